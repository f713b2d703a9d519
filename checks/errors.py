"""Every failure a user can meet, as a typed error carrying one French message and an exit code.

The CLI turns any of these into one line on stderr and its exit code; nothing else may escape
as a traceback. Messages never contain a password, a session id or a request body.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of datis-audit."""

    COMPLIANT = 0
    NOT_COMPLIANT = 1
    CANNOT_AUDIT = 2
    USAGE = 3
    INTERNAL = 4


INTERNAL_MESSAGE = ("Erreur interne inattendue ({name}) : c'est un défaut de datis-audit, pas de "
                    "l'appliance. Merci de le signaler au support DATIS avec le journal obtenu en "
                    "relançant la commande avec -vv.")


class DatisError(Exception):
    """Base of our errors: a French message for the user and the exit code it leads to."""

    exit_code: ExitCode = ExitCode.CANNOT_AUDIT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InternalError(DatisError):
    """A defect of ours, not of the appliance nor of the user's input: it must be reported."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, cause: BaseException) -> None:
        super().__init__(INTERNAL_MESSAGE.format(name=type(cause).__name__))


class UsageError(DatisError):
    """The user's input is wrong: an identifier, a MAC, an option, a baseline file."""

    exit_code = ExitCode.USAGE


class ApplianceError(DatisError):
    """The appliance could not be audited: network, TLS, authentication or its answers."""


# --- transport -------------------------------------------------------------------------------


class TransportError(ApplianceError):
    """Nothing usable came back over the network."""


class ConnectionRefused(TransportError):
    pass


class DnsFailure(TransportError):
    pass


class RequestTimeout(TransportError):
    pass


class TlsFailure(TransportError):
    pass


class ConnectionDropped(TransportError):
    pass


class HttpStatusError(TransportError):
    pass


class RedirectRefused(TransportError):
    pass


# --- answers ---------------------------------------------------------------------------------


class ProtocolError(ApplianceError):
    """The server answered, but not as an UrBackup server does."""


class EmptyAnswer(ProtocolError):
    pass


class NotJsonAnswer(ProtocolError):
    pass


class UnexpectedAnswer(ProtocolError):
    pass


class AnswerTooLarge(ProtocolError):
    pass


# --- authentication --------------------------------------------------------------------------


class AuthenticationError(ApplianceError):
    """The login did not give us a usable session."""


class WrongPassword(AuthenticationError):
    pass


class UnknownUser(AuthenticationError):
    pass


class AddressBanned(AuthenticationError):
    pass


class SessionExpired(AuthenticationError):
    pass


class AccessDenied(AuthenticationError):
    pass


class OpenAppliance(AuthenticationError):
    """No admin account exists: anyone reaching the page is administrator.

    The client refuses such a session unless the caller asked for it, so that an open
    appliance is always reported and never used silently.
    """
