"""A client for the UrBackup web API, as a real 2.5 server speaks it.

One endpoint, `POST {base}/x?a=ACTION`, form-encoded bodies with the session id in the body,
JSON answers that report errors in-band (`{"error": N}`). The HTTP itself is the transport's
(checks.appliance.transport); the data it hands back is the model's (checks.appliance.model).
A login is attempted once and never retried: the server bans an address for ten minutes after
ten failures. Only the reads of RETRIED_READS are ever sent twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

from checks import errors
from checks.appliance import rights
from checks.appliance.login_proof import login_proof, password_hash
from checks.appliance.model import (
    ClientSetting,
    ClientSettings,
    JsonObject,
    LoginInfo,
    ServerVersion,
    Use,
)
from checks.appliance.transport import MAX_ANSWER_BYTES, Transport, strip_credentials

log = logging.getLogger(__name__)

T = TypeVar("T")

_VERSION_RE = re.compile(rb"g\.current_version\s*=\s*(\d+)")

RETRIED_READS = frozenset({
    "status",
    "settings/general",
    "settings/mail",
    "settings/listusers",
    "settings/clientsettings",
})
"""The reads an audit makes (`action` or `action/sa`), sent once more when the server closed
the connection before any answer (transport.NoAnswer). Nothing else is: not `salt` nor `login`
(ten failed logins ban the address for ten minutes), not a save (`*_save`: the server may
have applied it before closing)."""

PASSWORD_HINT = "donnez-le par DATIS_PASSWORD, --password-file ou à l'invite."
"""Where `datis-audit` takes a password from; a caller that takes it elsewhere (a fleet's
passwords file, a docs build's variable) says so instead, so the hint is one it can follow."""


class UrBackupClient:
    """A logged-in conversation with one UrBackup server.

    Independent reads may run in parallel threads: they share the one login and the
    transport's one connection pool.
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str = "admin",
        password: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        verify: bool | str = True,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        password_hint: str = PASSWORD_HINT,
        purpose: str = rights.PURPOSE,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise errors.UsageError(
                f"Adresse d'appliance invalide : « {strip_credentials(base_url)} » "
                "(attendu : https://nom-d-hote ou http://hote:port)."
            )
        self.base_url = strip_credentials(base_url).rstrip("/")
        self._transport = Transport(self.base_url, connect_timeout=connect_timeout,
                                    read_timeout=read_timeout, verify=verify,
                                    max_answer_bytes=max_answer_bytes)
        self.username = username
        self._password = password
        self._password_hint = password_hint
        self.purpose = purpose
        self._ses: str | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0
        self.login_info: LoginInfo | None = None

    def __repr__(self) -> str:
        state = "connecté" if self._ses else "non connecté"
        return f"<UrBackupClient {self.base_url} utilisateur={self.username!r} {state}>"

    @property
    def request_count(self) -> int:
        """HTTP exchanges so far (the benchmarks count round trips with it)."""
        return self._transport.request_count

    def close(self, *, wait: bool = True) -> None:
        """`wait=False` abandons the reads still in flight instead of waiting for them."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=not wait)
            self._pool = None
        self._transport.close()

    def __enter__(self) -> UrBackupClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        """After Ctrl-C, reads stalled on a slow appliance must not hold the exit back."""
        self.close(wait=exc_type is None or not issubclass(exc_type, KeyboardInterrupt))

    def _post(self, action: str, params: Mapping[str, Any], *, with_session: bool = True) -> Any:
        body: dict[str, str] = {k: _form_value(v) for k, v in params.items()}
        if with_session and self._ses is not None:
            body["ses"] = self._ses
        call = f"{action}/{params['sa']}" if "sa" in params else action
        return self._transport.post_json(action, body, read=call in RETRIED_READS)

    # --- calls with UrBackup's in-band errors --------------------------------------------

    def _call(self, action: str, **params: Any) -> JsonObject:
        """An authenticated call; in-band errors become typed errors."""
        if self._ses is None:
            raise errors.SessionExpired("Aucune session : connectez-vous d'abord.")
        answer = self._post(action, params)
        if not isinstance(answer, dict):
            raise errors.UnexpectedAnswer(
                f"{self.base_url} a renvoyé une réponse inattendue à « {action} » "
                f"({_json_kind(answer)} au lieu d'un objet JSON)."
            )
        if "error" in answer:
            raise self._error_for(action, answer.get("error"))
        return answer

    def _error_for(self, action: str, code: Any) -> errors.ApplianceError:
        shown = self.base_url
        if code == 1:
            return errors.SessionExpired(
                f"La session UrBackup sur {shown} a expiré ou n'est pas reconnue "
                f"(action « {action} »)."
            )
        if code == 3:
            return _banned(shown)
        if code == 2:
            return errors.AccessDenied(
                f"Le compte « {self.username} » n'a pas le droit d'exécuter « {action} » "
                f"sur {shown}."
            )
        return errors.UnexpectedAnswer(
            f"{shown} a renvoyé l'erreur UrBackup {code!r} à « {action} »."
        )

    # --- login ----------------------------------------------------------------------------

    def login(self, *, allow_open: bool = False) -> LoginInfo:
        """Log in once. Never retried: a failure is reported, not repeated.

        The salt is asked first, as the web interface does: two round trips in the usual case.
        Only when the server knows no such user do we probe the anonymous login, because an
        appliance without any account hands an administrator session to anyone. That session
        is refused (OpenAppliance) unless `allow_open`, and is recorded in `login_info`.
        """
        shown = self.base_url
        salt = self._post("salt", {"username": self.username}, with_session=False)
        if not isinstance(salt, dict):
            raise errors.UnexpectedAnswer(f"{shown} a renvoyé une réponse « salt » inattendue.")
        if salt.get("error") == 3:
            raise _banned(shown)
        if salt.get("error") == 0:
            return self._login_without_user(allow_open)
        if self._password is None:
            raise errors.UsageError(f"Mot de passe manquant : {self._password_hint}")
        try:
            ses, salt_value, rnd = str(salt["ses"]), str(salt["salt"]), str(salt["rnd"])
            rounds = int(salt.get("pbkdf2_rounds", 0))
        except (KeyError, TypeError, ValueError):
            raise errors.UnexpectedAnswer(
                f"{shown} a renvoyé une réponse « salt » incomplète."
            ) from None

        self._ses = ses
        proof = login_proof(rnd, password_hash(salt_value, self._password, rounds))
        try:
            answer = self._post("login", {"username": self.username, "password": proof})
        except BaseException:
            self._ses = None  # an answer lost or unreadable is not a login
            raise
        finally:
            self._password = None  # needed once: never kept beyond the login
        if not isinstance(answer, dict):
            self._ses = None
            raise errors.UnexpectedAnswer(f"{shown} a renvoyé une réponse de connexion inattendue.")
        if answer.get("success") is True:
            rights = {k: str(v) for k, v in answer.items() if k not in ("success", "api_version")}
            self.login_info = LoginInfo(open_access=False, rights=rights)
            return self.login_info
        self._ses = None
        code = answer.get("error")
        if code == 2:
            raise errors.WrongPassword(
                f"Mot de passe refusé pour « {self.username} » sur {shown}. Aucune nouvelle "
                "tentative n'est faite (UrBackup bannit l'adresse après 10 échecs)."
            )
        if code == 3:
            raise _banned(shown)
        if code == 1:
            raise errors.SessionExpired(
                f"{shown} n'a pas reconnu la session de connexion (expirée pendant la connexion)."
            )
        raise errors.UnexpectedAnswer(f"{shown} a refusé la connexion (réponse {code!r}).")

    def _login_without_user(self, allow_open: bool) -> LoginInfo:
        """The user is unknown: either the appliance is open (no account at all), or not."""
        shown = self.base_url
        probe = self._post("login", {}, with_session=False)
        if not isinstance(probe, dict):
            raise errors.UnexpectedAnswer(f"{shown} a renvoyé une réponse de connexion inattendue.")
        if probe.get("error") == 3:
            raise _banned(shown)
        if probe.get("success") is True and probe.get("session"):
            if not allow_open:
                raise errors.OpenAppliance(
                    f"{shown} n'a aucun compte administrateur : l'interface est ouverte à "
                    "quiconque l'atteint. Créez le compte admin avant toute autre chose."
                )
            log.warning("%s : aucun compte administrateur, session anonyme utilisée", shown)
            self._ses = str(probe["session"])
            self._password = None
            self.login_info = LoginInfo(open_access=True, rights={"all": "all"})
            return self.login_info
        raise errors.UnknownUser(
            f"L'utilisateur « {self.username} » n'existe pas sur {shown}. "
            "Aucune nouvelle tentative n'est faite."
        )

    # --- reads ----------------------------------------------------------------------------

    def status(self) -> JsonObject:
        answer = self._call("status")
        _require(answer, "status", list, self.base_url)
        return answer

    def general_settings(self) -> JsonObject:
        """The `settings` object of `sa=general`: global keys plain, per-client keys as {value}."""
        return self._settings_object("general")

    def mail_settings(self) -> JsonObject:
        return self._settings_object("mail")

    def client_settings(self, clientid: int) -> ClientSettings:
        raw = self._settings_object("clientsettings", t_clientid=clientid)
        decoded: dict[str, ClientSetting] = {}
        for key, entry in raw.items():
            if isinstance(entry, dict) and "use" in entry:
                try:
                    use = Use(int(entry["use"]) & 7)
                except (TypeError, ValueError):
                    raise errors.UnexpectedAnswer(
                        f"Réglage « {key} » du client {clientid} : champ « use » invalide."
                    ) from None
                decoded[key] = ClientSetting(
                    key=key,
                    use=use,
                    value=entry.get("value"),
                    value_client=entry.get("value_client"),
                    value_group=entry.get("value_group"),
                )
        return ClientSettings(
            clientid=_as_int(raw.get("clientid", clientid)),
            clientname=str(raw.get("clientname", "")),
            group_id=_as_int(raw.get("memberof", 0)),
            settings=decoded,
        )

    def web_users(self) -> list[JsonObject]:
        answer = self._page("listusers", "users")
        return list(_require(answer, "users", list, self.base_url))

    def server_version(self) -> ServerVersion | None:
        """The installed version, from `/js/urbackup.js` (no API action gives it).

        Read on a connection of its own: the server keeps a static file's connection open and
        may close it just as an API call would go out on it (see checks.appliance.transport).
        """
        raw = self._transport.send("GET", f"{self.base_url}/js/urbackup.js", None,
                                   own_connection=True)
        match = _VERSION_RE.search(raw)
        return ServerVersion(int(match.group(1))) if match else None

    def _settings_object(self, sa: str, **params: Any) -> JsonObject:
        answer = self._page(sa, "settings", **params)
        return dict(_require(answer, "settings", dict, self.base_url))

    def _page(self, sa: str, key: str, **params: Any) -> JsonObject:
        """A settings page; the menu alone, without the page, means the account lacks the
        page's right (a real server's only way of saying so: recording L04)."""
        answer = self._call("settings", sa=sa, **params)
        if key not in answer and "navitems" in answer and sa in rights.PAGE_RIGHTS:
            raise rights.PageRefused(rights.PAGE_RIGHTS[sa], self.username, self.base_url,
                                     self.purpose)
        return answer

    # --- writes (used by fix mode) ---------------------------------------------------------

    def save_general(self, values: Mapping[str, Any]) -> JsonObject:
        return self._save("general_save", values)

    def save_mail(self, values: Mapping[str, Any]) -> JsonObject:
        return self._save("mail_save", {**values, "testmailaddr": ""})

    def send_test_mail(self, address: str) -> JsonObject:
        """The mail page's test button: the stored settings kept, one mail sent (J02)."""
        return self._save("mail_save", {"testmailaddr": address})

    def save_client_settings(self, clientid: int, values: Mapping[str, Any],
                             uses: Mapping[str, Use]) -> JsonObject:
        params: dict[str, Any] = {"t_clientid": clientid, **values}
        for key, use in uses.items():
            params[f"{key}.use"] = int(use)
        return self._save("clientsettings_save", params)

    def _save(self, sa: str, params: Mapping[str, Any]) -> JsonObject:
        answer = self._call("settings", sa=sa, **params)
        if answer.get("saved_ok") is not True and answer.get("saved_part") is not True:
            raise errors.UnexpectedAnswer(
                f"{self.base_url} n'a pas confirmé l'enregistrement ({sa})."
            )
        return answer

    # --- parallel reads ----------------------------------------------------------------------

    def run_parallel(self, calls: Mapping[str, Callable[[], T]], workers: int = 8) -> dict[str, T]:
        """Run independent reads concurrently over this one login; the first error wins.

        The pool lives as long as the client, so that successive waves of reads reuse the
        threads and so their HTTP connections (where the server keeps them open).
        """
        if not calls:
            return {}
        if self._pool is None or self._pool_size < workers:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            self._pool = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="urbackup-read")
            self._pool_size = workers
        futures = {name: self._pool.submit(fn) for name, fn in calls.items()}
        return {name: future.result() for name, future in futures.items()}


def _form_value(value: Any) -> str:
    """Booleans as the web interface sends them; everything else as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_kind(value: Any) -> str:
    """What a decoded JSON value is, in the words of the message that refuses it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, (int, float)):
        return "un nombre"
    if isinstance(value, str):
        return "du texte"
    return "une liste"


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _require(answer: JsonObject, key: str, kind: type, shown: str) -> Any:
    value = answer.get(key)
    if not isinstance(value, kind):
        raise errors.UnexpectedAnswer(
            f"{shown} a renvoyé une réponse sans « {key} » exploitable : "
            "serveur UrBackup incompatible ou réponse altérée."
        )
    return value


def _banned(shown: str) -> errors.AddressBanned:
    return errors.AddressBanned(
        f"{shown} a banni cette adresse pour 10 minutes après trop d'échecs de connexion. "
        "Attendez avant de réessayer, et vérifiez le mot de passe."
    )
