"""What the UrBackup API tells about an appliance, as plain data: no HTTP here.

`rules`, `snapshot`, `fix` and the emulator work on these types without importing the
transport. The merge rule of per-client settings is written once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntFlag
from typing import Any, Protocol, TypeVar

from checks.settings.catalogue import is_secret

JsonObject = dict[str, Any]


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


def merge_separator(key: str) -> str:
    return MERGE_SEPARATORS.get(key, ";")


def merged(key: str, parts: Iterable[Any]) -> str:
    """Several sources of a mergeable key joined as UrBackup joins them (empty ones dropped)."""
    return merge_separator(key).join(str(v) for v in parts if v not in ("", None))


def is_set(value: Any) -> bool:
    """Whether a secret (or a redacted stand-in for one) holds anything.

    Readings keep secrets in memory; snapshots keep only a marker with `is_set`. Both
    answer the same question here, once.
    """
    marker = getattr(value, "is_set", None)
    if isinstance(marker, bool):
        return marker
    return value is not None and str(value).strip() != ""


def general_value(raw: Any) -> Any:
    """A general setting's value: `sa=general` gives the per-client keys as {"value": ...}."""
    if isinstance(raw, Mapping) and "value" in raw:
        return raw["value"]
    return raw


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
        return merged(self.key, chosen)


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


class _WithSettings(Protocol):
    @property
    def settings(self) -> ClientSettings | None: ...


C = TypeVar("C", bound=_WithSettings)


def overrides_of(clients: Iterable[C], keys: Iterable[str]) -> Iterator[tuple[C, ClientSetting]]:
    """Each (client, setting) where a client overrides one of `keys`, in client order.

    The audit and the fix walk client overrides through here, so they agree on what an
    override is.
    """
    wanted = tuple(keys)
    for client in clients:
        if client.settings is None:
            continue
        for key in wanted:
            setting = client.settings.settings.get(key)
            if setting is not None and setting.overridden:
                yield client, setting
