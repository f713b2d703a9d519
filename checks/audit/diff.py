"""What changed on an appliance between two readings: settings, overrides, clients, backups.

Both sides go through the snapshot format first, so a live reading is compared exactly as a
snapshot would have stored it: secrets are reduced to « set or not » on both sides, and a
secret that is set on both sides cannot be told apart (said so in the result, never guessed).
Values are compared normalized (« 18000 » and 18000 are the same interval) and shown in
French, under the catalogue's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from checks.appliance import snapshot
from checks.appliance.model import ClientSetting, general_value, is_set
from checks.appliance.reading import ApplianceReading, ClientReading, Redacted
from checks.settings import catalogue, screens, values
from checks.settings.catalogue import Kind

SECRET_CHANGED = "modifié"
SECRET_NOTE = ("Les secrets (mots de passe, clés) ne sont comparés que sur leur présence : un "
               "instantané n'enregistre jamais leur valeur, si bien qu'un secret remplacé par "
               "un autre ne peut pas être détecté.")
_IGNORED = frozenset({"alert_scripts"})
"""Keys a snapshot does not keep; comparing them would report a change that is not one."""
_REWRITTEN_ON_SAVE = frozenset({"archive"})
"""Keys UrBackup makes a client's own on every save of its settings, whatever the user did
(recordings D20, D31, K02): only their effective value tells a change."""


@dataclass(frozen=True)
class Side:
    """One of the two readings: what it is, when, and of which appliance."""

    source: str
    date: datetime
    url: str
    identifier: str | None
    server_identity: str

    @property
    def name(self) -> str:
        return f"DATIS {self.identifier}" if self.identifier else self.url


@dataclass(frozen=True)
class SettingChange:
    """A value that differs; `client` is None for the appliance's own (global or mail) value.

    For a secret, `old` and `new` only say whether it is set: its value is never known.
    """

    key: str
    label: str
    old: str
    new: str
    client: str | None = None
    secret: bool = False


@dataclass(frozen=True)
class OverrideChange:
    """A client that got its own value for a key, or went back to the inherited one."""

    client: str
    key: str
    label: str
    added: bool
    value: str


@dataclass(frozen=True)
class ClientChange:
    name: str
    added: bool


@dataclass(frozen=True)
class BackupChange:
    """A kind of backup that UrBackup stopped calling up to date, or that is again."""

    client: str
    image: bool
    stopped: bool
    last: datetime | None

    @property
    def kind(self) -> str:
        return "image" if self.image else "fichiers"


@dataclass(frozen=True)
class Diff:
    old: Side
    new: Side
    settings: tuple[SettingChange, ...]
    overrides: tuple[OverrideChange, ...]
    clients: tuple[ClientChange, ...]
    backups: tuple[BackupChange, ...]
    warnings: tuple[str, ...]
    uncompared: tuple[str, ...] = ()
    """Labels of the secrets set on both sides: whether they changed cannot be known."""

    @property
    def changed(self) -> bool:
        return bool(self.settings or self.overrides or self.clients or self.backups)

    @property
    def count(self) -> int:
        return len(self.settings) + len(self.overrides) + len(self.clients) + len(self.backups)


def label(key: str) -> str:
    """The name a reader knows a key by: the catalogue's with the screen's words beside it,
    the screen's label for a key the catalogue does not hold, else the raw key."""
    spec = catalogue.setting(key)
    if spec is not None:
        return spec.label_with_screen
    spot = screens.field(key)
    if spot is not None:
        return f"{spot.label} (clé UrBackup « {key} »)"
    return f"Clé UrBackup « {key} »"


def compare(old: ApplianceReading, new: ApplianceReading, *, old_source: str,
            new_source: str) -> Diff:
    before, after = snapshot.redacted(old), snapshot.redacted(new)
    old_side, new_side = _side(before, old_source), _side(after, new_source)
    old_clients = {c.name: c for c in before.clients}
    new_clients = {c.name: c for c in after.clients}
    settings = [*_settings(before.general, after.general, general=True),
                *_settings(before.mail, after.mail, general=False)]
    overrides: list[OverrideChange] = []
    backups: list[BackupChange] = []
    for name in sorted(old_clients.keys() & new_clients.keys()):
        changed, own = _client_settings(old_clients[name], new_clients[name])
        settings += changed
        overrides += own
        backups += _backups(old_clients[name], new_clients[name])
    clients = [ClientChange(n, added=True) for n in sorted(new_clients.keys() - old_clients.keys())]
    clients += [ClientChange(n, added=False)
                for n in sorted(old_clients.keys() - new_clients.keys())]
    return Diff(old_side, new_side, tuple(settings), tuple(overrides), tuple(clients),
                tuple(backups), tuple(_identity_warnings(old_side, new_side)),
                _uncompared(before, after))


def _uncompared(old: ApplianceReading, new: ApplianceReading) -> tuple[str, ...]:
    both = []
    for store_old, store_new in ((old.general, new.general), (old.mail, new.mail)):
        for key in sorted(store_old.keys() & store_new.keys()):
            was, now = store_old[key], store_new[key]
            if isinstance(was, Redacted) and isinstance(now, Redacted) and was.is_set \
                    and now.is_set:
                both.append(label(key))
    return tuple(both)


def _side(reading: ApplianceReading, source: str) -> Side:
    return Side(source, reading.taken_at, reading.url, reading.identifier,
                reading.server_identity)


def _identity_warnings(old: Side, new: Side) -> list[str]:
    """Two readings of different appliances can be compared, but the reader must know."""
    if old.identifier and new.identifier and old.identifier.upper() != new.identifier.upper():
        return [f"Les deux relevés ne viennent pas de la même appliance ({old.name} et "
                f"{new.name}) : les différences ci-dessous comparent deux appliances distinctes."]
    if old.server_identity and new.server_identity and \
            old.server_identity != new.server_identity:
        return ["Les deux relevés ne viennent pas du même serveur UrBackup (identités de "
                "serveur différentes) : autre appliance, ou serveur réinstallé entre les "
                "deux ; les différences ci-dessous sont à lire avec prudence."]
    return []


def _settings(old: Mapping[str, Any], new: Mapping[str, Any], *,
              general: bool) -> list[SettingChange]:
    changes = []
    for key in sorted((old.keys() | new.keys()) - _IGNORED):
        before = general_value(old.get(key)) if general else old.get(key)
        after = general_value(new.get(key)) if general else new.get(key)
        change = _change(key, before, after, key in old, key in new)
        if change is not None:
            changes.append(change)
    return changes


def _change(key: str, before: Any, after: Any, had: bool, has: bool,
            client: str | None = None) -> SettingChange | None:
    if isinstance(before, Redacted) or isinstance(after, Redacted) or catalogue.is_secret(key):
        was, now = is_set(before), is_set(after)
        if was == now and had == has:
            return None
        return SettingChange(key, label(key), _presence(was if had else None),
                             _presence(now if has else None), client, secret=True)
    if _same(key, before, after) and had == has:
        return None
    return SettingChange(key, label(key), show(key, before) if had else "(absent)",
                         show(key, after) if has else "(absent)", client)


def _presence(is_set: bool | None) -> str:
    return "(absent)" if is_set is None else "renseigné" if is_set else "vide"


def _comparable(key: str, value: Any) -> Any:
    spec = catalogue.setting(key)
    if spec is not None:
        try:
            if spec.kind is Kind.SECONDS:
                return _schedule(value)
            return values.normalize(spec.kind, value)
        except ValueError:
            pass
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _same(key: str, before: Any, after: Any) -> bool:
    return bool(_comparable(key, before) == _comparable(key, after))


def _intervals(raw: Any) -> list[tuple[int, str | None]]:
    """The intervals of a time-span-value list (`3600@1-5/8-18;86400`), each with its window
    as written (None: the rest of the time)."""
    items = []
    for item in str(raw).split(";"):
        interval, at, window = item.partition("@")
        if interval.strip():
            items.append((values.parse_duration(interval.strip()), window if at else None))
    if not items:
        raise ValueError(f"intervalle invalide : « {raw} »")
    return items


def _schedule(raw: Any) -> tuple[tuple[int, tuple[values.Span, ...] | None], ...]:
    """An interval as its whole list, windows parsed: the audit judges the worst interval,
    but a diff must see a change of any of them."""
    return tuple((seconds, None if window is None else values.parse_window(window))
                 for seconds, window in _intervals(raw))


def show(key: str, value: Any) -> str:
    """A value in French, as the catalogue displays its kind; other keys as they are."""
    if value is None or value == "":
        return "(vide)"
    spec = catalogue.setting(key)
    if spec is not None:
        if spec.kind is Kind.SECONDS:
            try:
                return " ; ".join(
                    values.format_duration(seconds)
                    + ("" if window is None else f" ({values.format_window(window)})")
                    for seconds, window in _intervals(value))
            except ValueError:
                pass
        return values.display_raw(spec.kind, value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _client_settings(old: ClientReading, new: ClientReading
                     ) -> tuple[list[SettingChange], list[OverrideChange]]:
    """Overrides added or removed, and the client's own values that changed."""
    before = dict(old.settings.settings) if old.settings else {}
    after = dict(new.settings.settings) if new.settings else {}
    changes: list[SettingChange] = []
    overrides: list[OverrideChange] = []
    for key in sorted(before.keys() | after.keys()):
        was = before.get(key)
        now = after.get(key)
        had = was is not None and was.overridden
        has = now is not None and now.overridden
        if key in _REWRITTEN_ON_SAVE:
            had = has = was is not None and now is not None
        if has and not had and now is not None:
            overrides.append(OverrideChange(new.name, key, label(key), True, _own(now)))
        elif had and not has and was is not None:
            overrides.append(OverrideChange(new.name, key, label(key), False, _own(was)))
        elif had and has and was is not None and now is not None:
            change = _change(key, was.effective, now.effective, True, True, client=new.name)
            if change is not None:
                changes.append(change)
    return changes, overrides


def _own(setting: ClientSetting) -> str:
    value = setting.effective
    if isinstance(value, Redacted) or catalogue.is_secret(setting.key):
        return f"secret {_presence(is_set(value))}"
    return show(setting.key, value)


def _backups(old: ClientReading, new: ClientReading) -> list[BackupChange]:
    changes = []
    for image in (False, True):
        flag = "image_ok" if image else "file_ok"
        was, now = old.status.get(flag), new.status.get(flag)
        if {was, now} == {True, False}:
            last = new.status.get("lastbackup_image" if image else "lastbackup")
            changes.append(BackupChange(new.name, image, stopped=now is False,
                                        last=_moment(last)))
    return changes


def _moment(raw: Any) -> datetime | None:
    try:
        stamp = float(raw)
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(stamp, UTC) if stamp > 0 else None
