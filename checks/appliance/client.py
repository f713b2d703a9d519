"""A client for the UrBackup web API, as a real 2.5 server speaks it.

One endpoint, `POST {base}/x?a=ACTION`, form-encoded bodies with the session id in the body,
JSON answers that report errors in-band (`{"error": N}`). Each failure becomes one typed error
with a French message (checks.errors). A login is attempted once and never retried: the server
bans an address for ten minutes after ten failures.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import IntFlag
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from checks import errors
from checks.appliance.login_proof import login_proof, password_hash
from checks.audit.catalogue import is_secret

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]
T = TypeVar("T")

MAX_ANSWER_BYTES = 64 * 1024 * 1024
"""Larger answers are refused: no UrBackup answer an audit reads comes near this."""

_VERSION_RE = re.compile(rb"g\.current_version\s*=\s*(\d+)")


class Use(IntFlag):
    """The `use` bit field of a per-client setting."""

    INHERIT = 1
    OWN = 2
    CLIENT = 4


MERGE_SEPARATORS: Mapping[str, str] = {
    "virtual_clients": "|",
    "vss_select_components": "&",
    "archive": "&",
}
"""Separators of mergeable keys; the others (default_dirs, image_letters, ...) use ';'."""


@dataclass(frozen=True)
class ClientSetting:
    """One per-client key as the server reports it, with its `use` bits decoded."""

    key: str
    use: Use
    value: Any = None
    value_client: Any = None
    value_group: Any = None

    def __repr__(self) -> str:
        if is_secret(self.key):
            return f"ClientSetting(key={self.key!r}, use={self.use!r}, valeurs masquées)"
        return (f"ClientSetting(key={self.key!r}, use={self.use!r}, value={self.value!r}, "
                f"value_client={self.value_client!r}, value_group={self.value_group!r})")

    @property
    def overridden(self) -> bool:
        """True when the client does not simply inherit its group's (or the global) value."""
        return self.use != Use.INHERIT

    @property
    def pushed_by_client(self) -> bool:
        return bool(self.use & Use.CLIENT)

    @property
    def effective(self) -> Any:
        """The value the server applies: one source, or several merged in UrBackup's order."""
        sources = [
            (Use.INHERIT, self.value_group),
            (Use.OWN, self.value),
            (Use.CLIENT, self.value_client),
        ]
        chosen = [v for bit, v in sources if self.use & bit]
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            return self.value_group
        sep = MERGE_SEPARATORS.get(self.key, ";")
        return sep.join(str(v) for v in chosen if v not in ("", None))


@dataclass(frozen=True)
class ClientSettings:
    """The settings of one backup client (`sa=clientsettings`)."""

    clientid: int
    clientname: str
    group_id: int
    settings: Mapping[str, ClientSetting]

    def overrides(self) -> list[ClientSetting]:
        return [s for s in self.settings.values() if s.overridden]


@dataclass(frozen=True)
class LoginInfo:
    """What a login gave: the rights, and whether the appliance is open (no admin account)."""

    open_access: bool
    rights: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServerVersion:
    number: int

    @property
    def text(self) -> str:
        major, rest = divmod(self.number, 1_000_000_000)
        minor, rest = divmod(rest, 1_000_000)
        return f"{major}.{minor}.{rest // 100}"


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


class UrBackupClient:
    """A logged-in conversation with one UrBackup server.

    Independent reads may run in parallel threads: each thread gets its own HTTP session
    (connection pool) and they share the one login.
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
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise errors.UsageError(
                f"Adresse d'appliance invalide : « {strip_credentials(base_url)} » "
                "(attendu : https://nom-d-hote ou http://hote:port)."
            )
        self.base_url = strip_credentials(base_url).rstrip("/")
        self.endpoint = api_endpoint(self.base_url)
        self.username = username
        self._password = password
        self._timeouts = (connect_timeout, read_timeout)
        self._verify = verify
        self._max_answer_bytes = max_answer_bytes
        self._ses: str | None = None
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        # Proxy settings from the environment, looked up once rather than on every request.
        self._proxies = requests.utils.get_environ_proxies(self.endpoint)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0
        self.request_count = 0
        self.login_info: LoginInfo | None = None

    def __repr__(self) -> str:
        state = "connecté" if self._ses else "non connecté"
        return f"<UrBackupClient {self.base_url} utilisateur={self.username!r} {state}>"

    # --- HTTP plumbing ------------------------------------------------------------------

    def _http(self) -> requests.Session:
        http: requests.Session | None = getattr(self._local, "http", None)
        if http is None:
            http = requests.Session()
            adapter = HTTPAdapter(max_retries=0, pool_connections=1, pool_maxsize=1)
            http.mount("http://", adapter)
            http.mount("https://", adapter)
            http.verify = self._verify
            http.trust_env = False
            http.proxies = dict(self._proxies)
            http.headers["User-Agent"] = "datis-audit"
            self._local.http = http
            with self._sessions_lock:
                self._sessions.append(http)
        return http

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        with self._sessions_lock:
            for http in self._sessions:
                http.close()
            self._sessions.clear()
        self._local = threading.local()

    def __enter__(self) -> UrBackupClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, data: Mapping[str, Any] | None) -> bytes:
        """One HTTP exchange, mapped to our errors; returns the body (bounded in size)."""
        shown = self.base_url
        started = time.perf_counter()
        with self._sessions_lock:
            self.request_count += 1
        try:
            response = self._http().request(
                method,
                url,
                data=dict(data) if data is not None else None,
                timeout=self._timeouts,
                allow_redirects=False,
                stream=True,
            )
            with response:
                body = self._read_body(response)
        except requests.exceptions.SSLError as exc:
            raise errors.TlsFailure(_tls_message(shown, exc)) from None
        except requests.exceptions.ConnectTimeout:
            raise errors.RequestTimeout(
                f"{shown} ne répond pas : délai de connexion dépassé "
                f"({self._timeouts[0]:g} s)."
            ) from None
        except requests.exceptions.ReadTimeout:
            raise errors.RequestTimeout(
                f"{shown} n'a pas répondu dans le délai de lecture ({self._timeouts[1]:g} s)."
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise _connection_error(shown, exc) from None
        except requests.exceptions.RequestException as exc:
            raise errors.ConnectionDropped(
                f"Échange interrompu avec {shown} ({type(exc).__name__})."
            ) from None
        log.debug("%s %s -> %s en %.1f ms", method, _action_of(url), response.status_code,
                  (time.perf_counter() - started) * 1000)
        if 300 <= response.status_code < 400:
            target = strip_credentials(response.headers.get("Location", "?"))
            raise errors.RedirectRefused(
                f"{shown} redirige vers « {target} » : redirection refusée, vérifiez l'adresse."
            )
        if response.status_code != 200:
            raise errors.HttpStatusError(
                f"{shown} a répondu HTTP {response.status_code} au lieu de 200 : "
                "ce n'est pas l'interface UrBackup, ou un proxy est en erreur."
            )
        return body

    def _read_body(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self._max_answer_bytes:
                raise errors.AnswerTooLarge(
                    f"Réponse de {self.base_url} trop volumineuse "
                    f"(plus de {self._max_answer_bytes // (1024 * 1024)} Mio) : refusée."
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _post(self, action: str, params: Mapping[str, Any], *, with_session: bool = True) -> Any:
        body: dict[str, Any] = {k: _form_value(v) for k, v in params.items()}
        if with_session and self._ses is not None:
            body["ses"] = self._ses
        raw = self._send("POST", f"{self.endpoint}?a={action}", body)
        return self._decode(action, raw)

    def _decode(self, action: str, raw: bytes) -> Any:
        shown = self.base_url
        if not raw.strip():
            raise errors.EmptyAnswer(
                f"{shown} a renvoyé une réponse vide à « {action} » : "
                "la session n'est pas authentifiée (connexion refusée ou expirée)."
            )
        head = raw.lstrip()[:64].lower()
        if head.startswith(b"<") or head.startswith(b"error:"):
            raise errors.NotJsonAnswer(
                f"{shown} a renvoyé une page HTML ou un texte au lieu de JSON à « {action} » : "
                "ce n'est pas l'API UrBackup attendue, ou un proxy est en erreur."
            )
        try:
            # A name the server stored in another encoding must not make the whole answer
            # unreadable: invalid UTF-8 bytes become U+FFFD, as a browser would show them.
            return json.loads(raw.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            raise errors.NotJsonAnswer(
                f"{shown} a renvoyé un JSON invalide ou tronqué à « {action} » "
                f"({len(raw)} octets reçus)."
            ) from None

    # --- calls with UrBackup's in-band errors --------------------------------------------

    def _call(self, action: str, **params: Any) -> JsonObject:
        """An authenticated call; in-band errors become typed errors."""
        if self._ses is None:
            raise errors.SessionExpired("Aucune session : connectez-vous d'abord.")
        answer = self._post(action, params)
        if not isinstance(answer, dict):
            raise errors.UnexpectedAnswer(
                f"{self.base_url} a renvoyé une réponse inattendue à « {action} » "
                f"({type(answer).__name__} au lieu d'un objet JSON)."
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
            raise errors.UsageError(
                "Mot de passe manquant : donnez-le par DATIS_PASSWORD, --password-file "
                "ou à l'invite."
            )
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

    @property
    def logged_in(self) -> bool:
        return self._ses is not None

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

    def ldap_settings(self) -> JsonObject:
        return self._settings_object("ldap")

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
        answer = self._call("settings", sa="listusers")
        return list(_require(answer, "users", list, self.base_url))

    def usage(self) -> list[JsonObject]:
        answer = self._call("usage")
        return list(_require(answer, "usage", list, self.base_url))

    def clients(self) -> list[JsonObject]:
        """The backup clients (`a=users`, which lists clients, not web users)."""
        answer = self._call("users")
        return list(_require(answer, "users", list, self.base_url))

    def backups(self, clientid: int) -> JsonObject:
        answer = self._call("backups", sa="backups", clientid=clientid)
        _require(answer, "backups", list, self.base_url)
        return answer

    def progress(self) -> JsonObject:
        return self._call("progress")

    def last_activities(self) -> list[JsonObject]:
        answer = self._call("lastacts")
        return list(_require(answer, "lastacts", list, self.base_url))

    def server_version(self) -> ServerVersion | None:
        """The installed version, from `/js/urbackup.js` (no API action gives it)."""
        raw = self._send("GET", f"{self.base_url}/js/urbackup.js", None)
        match = _VERSION_RE.search(raw)
        return ServerVersion(int(match.group(1))) if match else None

    def _settings_object(self, sa: str, **params: Any) -> JsonObject:
        answer = self._call("settings", sa=sa, **params)
        return dict(_require(answer, "settings", dict, self.base_url))

    # --- writes (used by fix mode) ---------------------------------------------------------

    def save_general(self, values: Mapping[str, Any]) -> JsonObject:
        return self._save("general_save", values)

    def save_mail(self, values: Mapping[str, Any], *, test_address: str = "") -> JsonObject:
        answer = self._save("mail_save", {**values, "testmailaddr": test_address})
        return answer

    def save_client_settings(
        self, clientid: int, values: Mapping[str, Any], uses: Mapping[str, Use] | None = None
    ) -> JsonObject:
        params: dict[str, Any] = {"t_clientid": clientid, **values}
        for key, use in (uses or {}).items():
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


def _action_of(url: str) -> str:
    query = urlsplit(url).query
    return query.removeprefix("a=") if query else urlsplit(url).path


def _banned(shown: str) -> errors.AddressBanned:
    return errors.AddressBanned(
        f"{shown} a banni cette adresse pour 10 minutes après trop d'échecs de connexion. "
        "Attendez avant de réessayer, et vérifiez le mot de passe."
    )


def _tls_message(shown: str, exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        if "expired" in text:
            reason = "le certificat a expiré"
        elif any(m in text for m in ("Hostname mismatch", "doesn't match", "IP address mismatch")):
            reason = "le certificat ne correspond pas au nom de l'appliance"
        elif "self-signed" in text or "self signed" in text:
            reason = "le certificat est auto-signé"
        else:
            reason = "le certificat n'est pas émis par une autorité reconnue"
        return (
            f"Certificat TLS refusé pour {shown} : {reason}. La vérification n'est jamais "
            "désactivée ; pour une autorité privée, utilisez --ca-bundle."
        )
    return f"Échec de la négociation TLS avec {shown} : connexion non sécurisée refusée."


def _connection_error(
    shown: str, exc: requests.exceptions.ConnectionError
) -> errors.ApplianceError:
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        nested = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = getattr(cause, "reason", None) or nested or cause.__cause__ or cause.__context__
    names = " ".join(type(c).__name__ for c in chain) + " " + " ".join(str(c) for c in chain)
    if any(isinstance(c, socket.gaierror) for c in chain) or "NameResolutionError" in names:
        return errors.DnsFailure(
            f"Nom d'hôte introuvable pour {shown} : vérifiez l'identifiant DATIS ou le DNS."
        )
    if any(isinstance(c, ConnectionRefusedError) for c in chain) or "Connection refused" in names:
        return errors.ConnectionRefused(
            f"Connexion refusée par {shown} : l'appliance est éteinte ou le service arrêté."
        )
    if "timed out" in names or "Timeout" in names:
        return errors.RequestTimeout(f"{shown} ne répond pas : délai dépassé.")
    return errors.ConnectionDropped(
        f"La connexion à {shown} a été coupée avant la fin de la réponse."
    )
