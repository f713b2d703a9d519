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
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests.utils
import urllib3
from urllib3 import exceptions as http_errors

from checks import errors

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


def _pools(endpoint: str, verify: bool | str, timeouts: tuple[float, float]) -> urllib3.PoolManager:
    """The appliance's connection pools: direct, or through the environment's proxy for it."""
    if verify is False:
        tls: dict[str, Any] = {"cert_reqs": "CERT_NONE"}
    else:
        bundle = requests.utils.DEFAULT_CA_BUNDLE_PATH if verify is True else verify
        where = "ca_cert_dir" if verify is not True and Path(bundle).is_dir() else "ca_certs"
        tls = {"cert_reqs": "CERT_REQUIRED", where: bundle}
    common: dict[str, Any] = {
        "num_pools": 2, "maxsize": IN_FLIGHT, "block": False, "retries": False,
        "timeout": urllib3.Timeout(connect=timeouts[0], read=timeouts[1]), **tls}
    proxies = requests.utils.get_environ_proxies(endpoint)
    proxy = requests.utils.select_proxy(endpoint, proxies)
    if not proxy:
        return urllib3.PoolManager(**common)
    user, password = requests.utils.get_auth_from_url(proxy)
    headers = urllib3.make_headers(proxy_basic_auth=f"{user}:{password}") if user else None
    with_scheme: str = requests.utils.prepend_scheme_if_needed(  # type: ignore[no-untyped-call]
        proxy, "http")
    return urllib3.ProxyManager(with_scheme, proxy_headers=headers, **common)


class Transport:
    """Sends requests to one server and hands back bodies or JSON, or raises a typed error."""

    def __init__(self, base_url: str, *, connect_timeout: float, read_timeout: float,
                 verify: bool | str, max_answer_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.base_url = base_url
        self.endpoint = api_endpoint(base_url)
        self._timeouts = (connect_timeout, read_timeout)
        self._max_answer_bytes = max_answer_bytes
        self._http = _pools(self.endpoint, verify, self._timeouts)
        self._lock = threading.Lock()
        self.request_count = 0

    def close(self) -> None:
        self._http.clear()

    def send(self, method: str, url: str, data: Mapping[str, Any] | None) -> bytes:
        """One HTTP exchange, mapped to our errors; returns the body (bounded in size)."""
        shown = self.base_url
        started = time.perf_counter()
        with self._lock:
            self.request_count += 1
        try:
            response = self._http.request(
                method, url, body=urlencode(data) if data is not None else None,
                headers=_FORM if data is not None else _HEADERS, redirect=False,
                preload_content=False)
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
                f"({self._timeouts[0]:g} s).") from None
        except http_errors.ReadTimeoutError:
            raise errors.RequestTimeout(
                f"{shown} n'a pas répondu dans le délai de lecture "
                f"({self._timeouts[1]:g} s).") from None
        except http_errors.ProtocolError as exc:
            raise _connection_error(shown, exc) from None
        except http_errors.HTTPError as exc:
            raise errors.ConnectionDropped(
                f"Échange interrompu avec {shown} ({type(exc).__name__}).") from None
        log.debug("%s %s -> %s en %.1f ms", method, _action_of(url), response.status,
                  (time.perf_counter() - started) * 1000)
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

    def post_json(self, action: str, body: Mapping[str, str]) -> Any:
        """POST an action of the API and decode its JSON answer."""
        return self.decode(action, self.send("POST", f"{self.endpoint}?a={action}", body))

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
                f"({len(raw)} octets reçus).") from None


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


def _tls_message(shown: str, exc: BaseException) -> str:
    verification = next((c for c in _causes(exc)
                         if isinstance(c, ssl.SSLCertVerificationError)), None)
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
