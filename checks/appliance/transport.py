"""HTTP to one UrBackup server: bounded bodies, TLS always verified, failures typed.

The exchanges go through urllib3, the engine under `requests`, without requests' session
layer: an audit sends plain form posts and needs no cookie jar, hooks nor settings merged on
every request, which cost more CPU than the exchange itself in a fleet of a thousand
appliances. What requests does well beyond that is kept: the proxy chosen from the
environment (NO_PROXY and its address ranges included) and its CA bundle. One connection
pool per appliance, shared by the threads that read it in parallel over one login, never by
two appliances. Failures are classified by exception type (the ssl module's verification
codes, urllib3's exception classes), never by message text, and each becomes one error of
checks.errors with a French message naming the appliance, never a password or a session id.

A real UrBackup 2.5.33 closes the connection after each API answer, but keeps it open after a
static file (`/js/urbackup.js`: `Connection: Keep-Alive`, `Keep-Alive: timeout=15, max=95`,
recordings M03 and M04), and may close that kept connection as an API call goes out on it:
three audits at once lost 10 of 60 readings that way, a `clientsettings` read dropped without
any answer. A reverse proxy that keeps API connections alive can close them the same way. So
only a request that may be sent twice ever goes out on a pooled connection:
- a static file is read on a connection of its own, closed after its answer
  (`own_connection=True`): a short-lived pool of one connection, emptied at once. urllib3
  hands a fully read connection back to its pool by itself, so neither a `Connection: close`
  request header (the server may still answer Keep-Alive) nor closing the response after
  reading keeps it out of the shared pool; a pool of its own does, without touching urllib3's
  internals, for one TCP (and TLS) handshake more per audit;
- an API read (the caller's allow-list, checks.appliance.client.RETRIED_READS, says which) goes
  on a pooled connection and, when it got no answer at all (NoAnswer), once more on a
  connection of its own;
- any other API call (salt, login, a save) is never sent twice, so it always goes on a
  connection of its own, which the server has no reason to be closing. Against the real
  server this costs nothing: it closes every API connection after the answer anyway.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests.utils
import urllib3
from urllib3 import exceptions as http_errors

from checks import errors
from checks.french.numbers import agree, count, decimal

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 64 * 1024 * 1024
"""Larger answers are refused: no UrBackup answer an audit reads comes near this."""

IN_FLIGHT = 16
"""Requests sent at once to one appliance, and so connections kept for it. A real UrBackup
2.5.33 on two cores serves best with about 16 in flight (about 330 requests per second; fewer
leave it idle, more only wait in its queue)."""

_HEADERS = {"User-Agent": "datis-audit"}
_FORM = {**_HEADERS, "Content-Type": "application/x-www-form-urlencoded"}

# OpenSSL's X509_V_ERR_* codes, as ssl.SSLCertVerificationError.verify_code gives them.
_CERT_REASONS = {
    10: "le certificat a expiré",
    18: "le certificat est auto-signé",
    19: "le certificat est auto-signé",
    62: "le certificat ne correspond pas au nom de l'appliance",
    64: "le certificat ne correspond pas au nom de l'appliance",
}

_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL"})
"""OpenSSL's reason codes (ssl.SSLError.reason) when the first bytes the peer sends are no TLS
record: what a plain-HTTP port answers a handshake (OpenSSL 1.1 and 3: the version; 1.0: the
protocol)."""


def strip_credentials(url: str) -> str:
    """The URL without any user:password part, so that it may be shown or logged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def api_endpoint(base_url: str) -> str:
    """`https://host` or `https://host/` -> `https://host/x`; a URL already ending in /x is kept."""
    base = base_url.rstrip("/")
    return base if base.endswith("/x") else base + "/x"


class NoAnswer(errors.ConnectionDropped):
    """The connection closed (or was reset) before any byte of the answer: the server was
    closing it as the request went out. Only then may a read be sent again."""


def _pools(endpoint: str, verify: bool | str,
           timeouts: tuple[float, float]) -> Callable[[int], urllib3.PoolManager]:
    """How to make the appliance's connection pools, each keeping up to N connections: direct,
    or through the environment's proxy for it (looked up once, here)."""
    if verify is False:
        tls: dict[str, Any] = {"cert_reqs": "CERT_NONE"}
    else:
        bundle = requests.utils.DEFAULT_CA_BUNDLE_PATH if verify is True else verify
        where = "ca_cert_dir" if verify is not True and Path(bundle).is_dir() else "ca_certs"
        tls = {"cert_reqs": "CERT_REQUIRED", where: bundle}
    common: dict[str, Any] = {
        "num_pools": 2, "block": False, "retries": False,
        "timeout": urllib3.Timeout(connect=timeouts[0], read=timeouts[1]), **tls}
    proxies = requests.utils.get_environ_proxies(endpoint)
    proxy = requests.utils.select_proxy(endpoint, proxies)
    if not proxy:
        return lambda size: urllib3.PoolManager(maxsize=size, **common)
    user, password = requests.utils.get_auth_from_url(proxy)
    headers = urllib3.make_headers(proxy_basic_auth=f"{user}:{password}") if user else None
    with_scheme: str = requests.utils.prepend_scheme_if_needed(  # type: ignore[no-untyped-call]
        proxy, "http")
    return lambda size: urllib3.ProxyManager(with_scheme, proxy_headers=headers, maxsize=size,
                                             **common)


class Transport:
    """Sends requests to one server and hands back bodies or JSON, or raises a typed error."""

    def __init__(self, base_url: str, *, connect_timeout: float, read_timeout: float,
                 verify: bool | str, max_answer_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.base_url = base_url
        self.endpoint = api_endpoint(base_url)
        self._timeouts = (connect_timeout, read_timeout)
        self._max_answer_bytes = max_answer_bytes
        self._new_pools = _pools(self.endpoint, verify, self._timeouts)
        self._http = self._new_pools(IN_FLIGHT)
        self._lock = threading.Lock()
        self.request_count = 0

    def close(self) -> None:
        self._http.clear()

    def send(self, method: str, url: str, data: Mapping[str, Any] | None, *,
             own_connection: bool = False) -> bytes:
        """One HTTP exchange, mapped to our errors; returns the body (bounded in size).

        `own_connection`: on a new connection, closed after the answer, never pooled.
        """
        shown = self.base_url
        started = time.perf_counter()
        with self._lock:
            self.request_count += 1
        http = self._new_pools(1) if own_connection else self._http
        try:
            try:
                response = http.request(
                    method, url, body=urlencode(data) if data is not None else None,
                    headers=_FORM if data is not None else _HEADERS, redirect=False,
                    preload_content=False)
            except http_errors.ProtocolError as exc:
                if _unanswered(exc):
                    raise NoAnswer(f"La connexion à {shown} a été coupée avant toute réponse "
                                   "(fermée par le serveur).") from None
                raise
            try:
                body = self._read_body(response)
            except BaseException:
                response.close()  # a body left unread must not go back to the pool
                raise
            finally:
                response.release_conn()
        except http_errors.SSLError as exc:
            raise errors.TlsFailure(_tls_message(shown, exc)) from None
        except (http_errors.NewConnectionError, http_errors.ProxyError) as exc:
            raise _connection_error(shown, exc) from None
        except http_errors.ConnectTimeoutError:
            raise errors.RequestTimeout(
                f"{shown} ne répond pas : délai de connexion dépassé "
                f"({decimal(self._timeouts[0])} s).") from None
        except http_errors.ReadTimeoutError:
            raise errors.RequestTimeout(
                f"{shown} n'a pas répondu dans le délai de lecture "
                f"({decimal(self._timeouts[1])} s).") from None
        except http_errors.ProtocolError as exc:
            raise _connection_error(shown, exc) from None
        except http_errors.HTTPError as exc:
            raise errors.ConnectionDropped(
                f"Échange interrompu avec {shown} ({type(exc).__name__}).") from None
        finally:
            if own_connection:
                http.clear()  # closes the connection urllib3 handed back to that pool
        if log.isEnabledFor(logging.DEBUG):  # Babel's decimal only when the line is written
            log.debug("%s %s -> %s en %s ms", method, _action_of(url), response.status,
                      decimal((time.perf_counter() - started) * 1000, 1))
        if 300 <= response.status < 400:
            target = strip_credentials(response.headers.get("Location", "?"))
            raise errors.RedirectRefused(
                f"{shown} redirige vers « {target} » : redirection refusée, vérifiez l'adresse.")
        if response.status != 200:
            raise errors.HttpStatusError(
                f"{shown} a répondu HTTP {response.status} au lieu de 200 : "
                "ce n'est pas l'interface UrBackup, ou un proxy est en erreur.")
        return body

    def _read_body(self, response: urllib3.BaseHTTPResponse) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.stream(65536):
            size += len(chunk)
            if size > self._max_answer_bytes:
                raise errors.AnswerTooLarge(
                    f"Réponse de {self.base_url} trop volumineuse "
                    f"(plus de {self._max_answer_bytes // (1024 * 1024)} Mio) : refusée.")
            chunks.append(chunk)
        return b"".join(chunks)

    def post_json(self, action: str, body: Mapping[str, str], *, read: bool = False) -> Any:
        """POST an action of the API and decode its JSON answer.

        A `read` goes on a pooled connection and, if it got no answer at all, once more on a
        connection of its own (a pooled one might be closing too). Anything else is sent once,
        on a connection of its own. Any other failure, or a second one, is reported.
        """
        url = f"{self.endpoint}?a={action}"
        if not read:
            return self.decode(action, self.send("POST", url, body, own_connection=True))
        try:
            raw = self.send("POST", url, body)
        except NoAnswer:
            log.debug("%s : « %s » sans réponse (connexion fermée par le serveur) ; nouvel "
                      "essai, le seul, sur une nouvelle connexion", self.base_url, action)
            raw = self.send("POST", url, body, own_connection=True)
        return self.decode(action, raw)

    def decode(self, action: str, raw: bytes) -> Any:
        shown = self.base_url
        if not raw.strip():
            raise errors.EmptyAnswer(
                f"{shown} a renvoyé une réponse vide à « {action} » : "
                "la session n'est pas authentifiée (connexion refusée ou expirée).")
        head = raw.lstrip()[:64].lower()
        if head.startswith(b"<") or head.startswith(b"error:"):
            raise errors.NotJsonAnswer(
                f"{shown} a renvoyé une page HTML ou un texte au lieu de JSON à « {action} » : "
                "ce n'est pas l'API UrBackup attendue, ou un proxy est en erreur.")
        try:
            # A name the server stored in another encoding must not make the whole answer
            # unreadable: invalid UTF-8 bytes become U+FFFD, as a browser would show them.
            return json.loads(raw.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            raise errors.NotJsonAnswer(
                f"{shown} a renvoyé un JSON invalide ou tronqué à « {action} » "
                f"({count(len(raw), 'octet')} {agree(len(raw), 'reçu')}).") from None


def _action_of(url: str) -> str:
    query = urlsplit(url).query
    return query.removeprefix("a=") if query else urlsplit(url).path


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps (requests -> urllib3 -> socket/ssl), outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 10:
        seen.add(id(current))
        yield current
        nested = current.args[0] if current.args and isinstance(current.args[0],
                                                                 BaseException) else None
        reason = getattr(current, "reason", None)
        current = (reason if isinstance(reason, BaseException) else None) or nested or \
            current.__cause__ or current.__context__


def _unanswered(exc: http_errors.ProtocolError) -> bool:
    """Raised before the answer's headers, by the connection closing or being reset
    (http.client's RemoteDisconnected is a ConnectionResetError), or by the request not
    going out (broken pipe): nothing of the answer came. A status line or a body cut short by
    the server closing is a partial answer, never this."""
    return any(isinstance(c, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError))
               for c in _causes(exc))


def _tls_message(shown: str, exc: BaseException) -> str:
    chain = list(_causes(exc))
    if any(isinstance(c, ssl.SSLError) and c.reason in _NOT_TLS for c in chain):
        plain = "http://" + shown.removeprefix("https://")
        return (f"{shown} ne parle pas HTTPS sur ce port : il y répond sans chiffrement "
                f"(en HTTP simple). Vérifiez le port, ou essayez {plain}.")
    verification = next((c for c in chain if isinstance(c, ssl.SSLCertVerificationError)),
                        None)
    if verification is None:
        return f"Échec de la négociation TLS avec {shown} : connexion non sécurisée refusée."
    reason = _CERT_REASONS.get(verification.verify_code,
                               "le certificat n'est pas émis par une autorité reconnue")
    return (f"Certificat TLS refusé pour {shown} : {reason}. La vérification n'est jamais "
            "désactivée ; pour une autorité privée, utilisez --ca-bundle.")


def _connection_error(shown: str, exc: BaseException) -> errors.ApplianceError:
    chain = list(_causes(exc))
    if any(isinstance(c, (socket.gaierror, http_errors.NameResolutionError))
           for c in chain):
        return errors.DnsFailure(
            f"Nom d'hôte introuvable pour {shown} : vérifiez l'identifiant DATIS ou le DNS.")
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return errors.ConnectionRefused(
            f"Connexion refusée par {shown} : l'appliance est éteinte ou le service arrêté.")
    if any(isinstance(c, (TimeoutError, http_errors.TimeoutError)) for c in chain):
        return errors.RequestTimeout(f"{shown} ne répond pas : délai dépassé.")
    return errors.ConnectionDropped(
        f"La connexion à {shown} a été coupée avant la fin de la réponse.")
