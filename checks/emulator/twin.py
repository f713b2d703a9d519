"""A twin: the emulator holding the state a snapshot describes, served through the same API.

A technician rehearses `datis-audit fix --yes` on it, a writer builds the docs against it, a
bug seen on a real appliance is reproduced with it. The snapshot keeps no secret: a secret
that was set becomes a random stand-in (set, unknown, different on every start), one that was
empty stays empty, so the audit of the twin judges it as the original was judged and no
real secret is ever invented or shown.

What a snapshot does not hold, the twin cannot have (see `LIMITS`): the backup history
(only the newest file and image backup of each client, from its status), the settings of
groups no client belongs to, the LDAP settings, web users' passwords (every account of the
twin takes the password given when it starts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checks.appliance.model import general_value, is_set
from checks.appliance.reading import ApplianceReading, ClientReading, Redacted
from checks.emulator.records import CLIENT_DEFAULTS, Backup, Client, random_token
from checks.emulator.state import ApplianceState
from checks.settings.catalogue import is_secret

LIMITS = (
    "historique des sauvegardes (seules la dernière sauvegarde de fichiers et la dernière "
    "image de chaque client sont reprises de son état)",
    "réglages des groupes sans aucun client",
    "réglages LDAP",
    "mots de passe des comptes web (tous prennent celui donné au démarrage du jumeau)",
)
"""What a twin cannot reproduce, in the words `datis-audit twin` prints."""

_DERIVED_STATUS = frozenset({
    "status", "server_identity", "server_pubkey", "no_images", "no_file_backups", "admin",
    "allow_add_client", "allow_extra_clients", "allow_modify_clients", "remove_client",
    "extra_clients", "has_status_check",
})
"""Status keys the emulator computes from its own state; the others are copied as they were."""


def state_from_snapshot(reading: ApplianceReading, *, admin_password: str,
                        now: float | None = None) -> ApplianceState:
    """An ApplianceState set up as the snapshot says, its clock shifted to keep every age."""
    state = ApplianceState(now=now)
    shift = int(state.started - reading.taken_at.timestamp())
    state.server_identity = reading.server_identity or state.server_identity
    if reading.version:
        major, minor, patch = (int(part) for part in reading.version.split("."))
        state.version_number = major * 1_000_000_000 + minor * 1_000_000 + patch * 100
    state.status_flags = {k: v for k, v in reading.status.items() if k not in _DERIVED_STATUS}
    state.save_general({key: _form(key, general_value(raw))
                        for key, raw in reading.general.items() if key != "internet_authkey"
                        and general_value(raw) != state.global_value(key)})
    state.save_mail({key: _form(key, raw) for key, raw in reading.mail.items()})
    _groups(state, reading.clients)
    for entry in reading.clients:
        state.add_client(_client(entry, shift))
        if entry.settings is None:
            continue
        for key, setting in entry.settings.settings.items():
            if key not in CLIENT_DEFAULTS or (setting.use == 1 and setting.value is None):
                continue  # inherited with no row of its own: the twin has none either
            state.set_client_row(entry.id, key, _stand_in(key, setting.value), int(setting.use),
                                 None if setting.value_client is None
                                 else _stand_in(key, setting.value_client))
    if not reading.open_access:
        for user in reading.web_users:
            rights = [{"domain": str(r.get("domain", "")), "right": str(r.get("right", ""))}
                      for r in user.get("rights") or [] if isinstance(r, Mapping)]
            state.add_web_user(str(user.get("name", "admin")), admin_password, rights)
    return state


def _groups(state: ApplianceState, clients: tuple[ClientReading, ...]) -> None:
    """Each group some client belongs to, with the values its members inherit from it."""
    for entry in clients:
        group = entry.settings.group_id if entry.settings else 0
        if group <= 0 or group in state.groups:
            continue
        state.add_group(group, str(entry.status.get("groupname", "")))
        assert entry.settings is not None
        form: dict[str, str] = {}
        for key, setting in entry.settings.settings.items():
            if key in CLIENT_DEFAULTS and not is_secret(key) and \
                    setting.value_group is not None and \
                    setting.value_group != state.inherited_global(key):
                form[key] = _form(key, setting.value_group)
                form[f"{key}.use"] = "2"
        state.save_client_settings(-group, form)


def _client(entry: ClientReading, shift: int) -> Client:
    status = entry.status

    def moment(key: str) -> int:
        value = _int(status.get(key))
        return value + shift if value > 0 else 0

    client = Client(
        id=entry.id, name=entry.name,
        group=entry.settings.group_id if entry.settings else 0,
        online=bool(status.get("online", False)), ip=str(status.get("ip", "-")),
        lastseen=moment("lastseen"), os_simple=str(status.get("os_simple", "")),
        os_version_string=str(status.get("os_version_string", "")),
        client_version_string=str(status.get("client_version_string", "")),
        file_ok=_flag(status.get("file_ok")), image_ok=_flag(status.get("image_ok")),
        last_filebackup_issues=_int(status.get("last_filebackup_issues")),
        delete_pending=str(status.get("delete_pending", "")), uid=str(status.get("uid", "")),
        image_not_supported=status.get("image_not_supported") is True)
    for number, (key, image) in enumerate((("lastbackup", False), ("lastbackup_image", True))):
        if moment(key):
            client.backups.append(Backup(id=entry.id * 2 + number, clientid=entry.id,
                                         image=image, backuptime=moment(key),
                                         incremental=True, size_bytes=0))
    return client


def _stand_in(key: str, value: Any) -> Any:
    """A secret's stand-in: random when it was set, empty when it was not."""
    if isinstance(value, Redacted) or is_secret(key):
        return random_token(16) if is_set(value) else ""
    return value


def _form(key: str, value: Any) -> str:
    value = _stand_in(key, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def load(path: str, *, admin_password: str) -> ApplianceState:
    """The twin of the snapshot at `path` (a SnapshotError, exit 3, if it cannot be read)."""
    from checks.appliance import snapshot

    return state_from_snapshot(snapshot.load(path), admin_password=admin_password)
