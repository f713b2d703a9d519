"""One reading of an appliance: everything an audit or a docs build needs, fetched once.

The reads that do not depend on each other go out together over the one login (status,
general and mail settings, web users, version); the per-client settings follow as soon as
the status names the clients. Secrets stay in memory only: a snapshot redacts them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from checks import errors
from checks.appliance import rights
from checks.appliance.client import UrBackupClient
from checks.appliance.model import (
    ClientSetting,
    ClientSettings,
    LoginInfo,
    Use,
    general_value,
    is_set,
)
from checks.appliance.transport import IN_FLIGHT
from checks.french.numbers import count
from checks.settings import catalogue
from checks.settings.catalogue import Store

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Told `(reads done, reads known)` after each read: the CLI draws it, this module does not."""


@dataclass(frozen=True)
class Redacted:
    """Stands for a secret value: only whether it is set survives."""

    is_set: bool

    def __str__(self) -> str:
        return "(secret, non affiché)"


@dataclass(frozen=True)
class ClientReading:
    id: int
    name: str
    status: Mapping[str, Any]
    settings: ClientSettings | None


@dataclass(frozen=True)
class ApplianceReading:
    url: str
    taken_at: datetime
    open_access: bool
    server_identity: str
    version: str | None
    general: Mapping[str, Any]
    mail: Mapping[str, Any]
    status: Mapping[str, Any]
    clients: tuple[ClientReading, ...]
    web_users: tuple[Mapping[str, Any], ...]
    identifier: str | None = None
    request_count: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        """A setting's global value as the server reports it (None if it has no such key)."""
        spec = catalogue.setting(key)
        store = spec.store if spec else Store.GENERAL
        if store is Store.MAIL:
            return self.mail.get(key)
        return general_value(self.general.get(key))

    def has(self, key: str) -> bool:
        spec = catalogue.setting(key)
        if spec is not None and spec.store is Store.MAIL:
            return key in self.mail
        return key in self.general


class _Counter:
    """Counts finished reads (from the reading threads) and tells a Progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0
        self.known = 0
        self._lock = threading.Lock()

    def calls(self, calls: Mapping[str, Callable[[], Any]]) -> dict[str, Callable[[], Any]]:
        with self._lock:
            self.known += len(calls)
        return {name: self._counted(call) for name, call in calls.items()}

    def _counted(self, call: Callable[[], Any]) -> Callable[[], Any]:
        def counted() -> Any:
            result = call()
            with self._lock:
                self.done += 1
                done, known = self.done, self.known
            if self.progress is not None:
                self.progress(done, known)
            return result
        return counted


def read_appliance(client: UrBackupClient, *, identifier: str | None = None,
                   workers: int = IN_FLIGHT,
                   progress: Progress | None = None,
                   client_settings: bool = True) -> ApplianceReading:
    """Read everything from a logged-in client, independent calls in parallel.

    Up to `workers` requests are in flight at once: enough to keep the server busy while
    each answer crosses the network. `client_settings` False leaves out each client's own
    settings (one request per client; their `settings` stay None): for a reader that shows
    global values only, a docs build whose pages show no per-client value.
    """
    login = client.login_info or LoginInfo(open_access=False)
    counter = _Counter(progress)
    refused: list[str] = []
    log.info("lecture de l'état, des réglages généraux et de messagerie, des comptes et de "
             "la version")
    first: dict[str, Any] = client.run_parallel(counter.calls(_gathering({
        "status": client.status,
        "general": client.general_settings,
        "mail": client.mail_settings,
        "users": client.web_users,
        "version": client.server_version,
    }, refused)), workers=workers)
    status: dict[str, Any] = first["status"]
    entries = [e for e in status.get("status", []) if isinstance(e, dict) and "id" in e]
    if any(isinstance(e["id"], bool) or not isinstance(e["id"], int) for e in entries):
        raise errors.UnexpectedAnswer(
            f"{client.base_url} a renvoyé un état dont un client n'a pas d'identifiant "
            "numérique : serveur UrBackup incompatible ou réponse altérée.")
    settings: dict[str, Any] = {}
    if client_settings:
        log.info("lecture des réglages propres de %s", count(len(entries), "client"))
        wanted = entries[:1] if refused else entries  # one client tells whether its right lacks
        settings = client.run_parallel(counter.calls(_gathering(
            {str(e["id"]): _bind(client, int(e["id"])) for e in wanted}, refused)),
            workers=workers)
    else:
        log.info("réglages propres non lus (%s) : rien ne les montre",
                 count(len(entries), "client"))
    if refused:
        raise rights.refused(refused, client.username, client.base_url, client.purpose)
    log.info("lecture terminée : %s", count(client.request_count, "requête"))
    clients = tuple(
        ClientReading(int(e["id"]), str(e.get("name", "")), e, settings.get(str(e["id"])))
        for e in entries
    )
    version = first["version"]
    return ApplianceReading(
        url=client.base_url,
        taken_at=datetime.now(UTC),
        open_access=login.open_access,
        server_identity=str(status.get("server_identity", "")),
        version=version.text if version else None,
        general=first["general"],
        mail=first["mail"],
        status=status,
        clients=clients,
        web_users=tuple(first["users"]),
        identifier=identifier,
        request_count=client.request_count,
    )


def _gathering(calls: Mapping[str, Callable[[], Any]],
               refused: list[str]) -> dict[str, Callable[[], Any]]:
    """The calls, each settings page refused for lack of its right noted in `refused` (and
    answering None) rather than raised: the account is told every right it lacks at once."""
    def gathered(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            try:
                return call()
            except rights.PageRefused as exc:
                refused.append(exc.right)
                return None
        return run
    return {name: gathered(call) for name, call in calls.items()}


def _bind(client: UrBackupClient, clientid: int) -> Any:
    return lambda: client.client_settings(clientid)


def _redacted(value: Any) -> dict[str, Any]:
    """A secret as a snapshot writes it: only whether it is set."""
    return {"secret": True, "renseigne": is_set(value)}


def _restored(value: Any) -> Any:
    """A value as a snapshot gives it back: a written-out secret becomes a Redacted marker."""
    if isinstance(value, dict) and value.get("secret") is True:
        return Redacted(bool(value.get("renseigne")))
    return value


def redact_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """A settings object with every secret replaced by whether it is set."""
    # A secret sent as an object without "value" counts as not set.
    return {key: _redacted(value.get("value") if isinstance(value, dict) else value)
            if catalogue.is_secret(key) else value for key, value in values.items()}


def restore_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of redact_settings, secrets as Redacted markers."""
    return {key: _restored(value) for key, value in values.items()}


def client_setting_to_json(setting: ClientSetting) -> dict[str, Any]:
    secret = catalogue.is_secret(setting.key)
    def shown(value: Any) -> Any:
        # An absent value (no row of the client's own) stays absent, secret or not.
        return _redacted(value) if secret and value is not None else value
    return {"use": int(setting.use), "value": shown(setting.value),
            "value_client": shown(setting.value_client), "value_group": shown(setting.value_group)}


def client_setting_from_json(key: str, data: Mapping[str, Any]) -> ClientSetting:
    return ClientSetting(key, Use(int(data.get("use", 1)) & 7), _restored(data.get("value")),
                         _restored(data.get("value_client")), _restored(data.get("value_group")))
