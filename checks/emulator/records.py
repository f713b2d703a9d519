"""The records an emulated UrBackup server keeps, and the facts they follow.

Settings rows, clients and their backups, web users, sessions and their rights, with the
defaults a fresh 2.5.33 server has (data/defaults.json, read from a real server) and the
coercion a save applies. `state.ApplianceState` holds them together.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_ALNUM = string.ascii_letters + string.digits

CLIENT_CONFIGURABLE = frozenset(
    [
        "update_freq_incr", "update_freq_full", "max_file_incr", "min_file_incr",
        "max_file_full", "min_file_full", "default_dirs", "exclude_files", "include_files",
        "update_freq_image_incr", "update_freq_image_full", "max_image_incr", "min_image_incr",
        "max_image_full", "min_image_full", "image_letters", "startup_backup_delay",
        "computername", "virtual_clients", "vss_select_components", "local_speed",
        "local_encrypt", "local_compress", "internet_mode_enabled", "internet_speed",
        "internet_image_backups", "internet_full_file_backups", "internet_encrypt",
        "internet_compress", "internet_connect_always"
    ]
)
MERGE_SEPARATORS = {
    "default_dirs": ";", "exclude_files": ";", "include_files": ";", "image_letters": ";",
    "virtual_clients": "|", "vss_select_components": "&", "archive": "&",
}
"""The mergeable keys (flag M of SETTINGS.md) and the separator joining their sources."""
MERGEABLE = frozenset(MERGE_SEPARATORS)
SAVED_AS_TEXT = frozenset(["alert_script"])
"""Keys whose default is a number but which a save stores, and answers, as text (D03, D04)."""
NOT_COPIED_TO_GROUPS = frozenset(["internet_authkey", "client_set_settings"])
"""Keys a new group does not get a row for: it inherits them (recording G07)."""
MAIL_KEYS = (
    [
        "mail_servername", "mail_serverport", "mail_username", "mail_password", "mail_from",
        "mail_ssl_only", "mail_check_certificate", "mail_use_smtps", "mail_admin_addrs"
    ]
)
MAIL_DEFAULTS = {key: "" for key in MAIL_KEYS} | {"mail_serverport": "25"}

DEFAULT_PBKDF2_ROUNDS = 10000
"""The rounds a 2.5.33 server's `salt` answer gives (recordings B09, H03, I01, M04)."""
SESSION_IDLE_SECONDS = 30 * 60
BAN_THRESHOLD = 10
BAN_WINDOW_SECONDS = 40.0
BAN_SECONDS = 600.0


def random_token(length: int) -> str:
    """Letters and digits, uniformly drawn from one read of the system's random source.

    (secrets.choice read it once per character: a thousand reads for a 100-client read.)
    """
    chars: list[str] = []
    while len(chars) < length:
        # 248 = 4 × 62: bytes above it are dropped so that every character is equally likely.
        chars += [_ALNUM[b % 62] for b in secrets.token_bytes(2 * length) if b < 248]
    return "".join(chars[:length])


def _load_defaults() -> dict[str, Any]:
    text = resources.files("checks.emulator").joinpath("data/defaults.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


DEFAULTS = _load_defaults()
GLOBAL_DEFAULTS: dict[str, Any] = DEFAULTS["global"]
CLIENT_DEFAULTS: dict[str, Any] = DEFAULTS["per_client"]
ALERT_SCRIPTS: list[Any] = DEFAULTS["alert_scripts"]
LDAP_DEFAULTS: dict[str, Any] = DEFAULTS["ldap"]


def coerce(default: Any, raw: Any) -> Any:
    """A posted text stored in the type the key has, without validation, as the server does."""
    if isinstance(default, bool):
        # Only the lower-case word: "True" (a Python client's bool) is false (recording G04).
        return raw is True or str(raw).strip() == "true"
    if isinstance(default, int):
        if isinstance(raw, bool):
            return int(raw)
        try:
            return int(str(raw).strip())
        except ValueError:
            return 0
    return raw if isinstance(raw, str) else as_text(raw)


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def empty_client_value(default: Any) -> Any:
    if isinstance(default, bool):
        return False
    if isinstance(default, int):
        return 0
    return ""


@dataclass
class Row:
    value: Any
    use: int = 2
    value_client: Any = None


@dataclass
class Backup:
    id: int
    clientid: int
    image: bool
    backuptime: int
    incremental: bool
    size_bytes: int
    letter: str = "C:"
    duration: int = 600


@dataclass
class Client:
    id: int
    name: str
    group: int = 0
    online: bool = False
    ip: str = "-"
    lastseen: int = 0
    os_simple: str = "windows"
    os_version_string: str = ""
    client_version_string: str = ""
    file_ok: bool | None = None
    image_ok: bool | None = None
    last_filebackup_issues: int = 0
    delete_pending: str = ""
    uid: str = ""
    image_not_supported: bool = False
    """A client that cannot make image backups (a Linux client without the image driver):
    its status has `image_not_supported: true`, other clients lack the key (M01)."""
    backups: list[Backup] = field(default_factory=list)
    override: bool = True
    """The settings menu's `override` mark: set once the web interface added the client or
    saved settings for it (C25, K03), not by an own internet key alone (I05: poste-001)."""


@dataclass
class WebUser:
    id: int
    name: str
    salt: str
    stored_hash: str
    rights: list[dict[str, str]]
    pbkdf2_rounds: int = DEFAULT_PBKDF2_ROUNDS
    """The rounds its hash was made with, which `salt` tells (0: md5 only, an older server's)."""


@dataclass
class Session:
    """A web session. A user's session reads that user's rights on every request (a change by
    the admin applies at once, recordings L01-L06); a session without user (the open
    appliance's) keeps the rights it was made with."""

    id: str
    last_used: float
    logged_in: bool = False
    user: str | None = None
    rnd: str | None = None
    rights: dict[str, str] = field(default_factory=dict)


class Rights:
    """What one session may do, looked up as UrBackup's `getRights(domain)` does: the domain's
    own right, else the right of the domain `all`, else "none". A right is "all", "none" or
    a comma-separated list of client ids."""

    def __init__(self, by_domain: dict[str, str]) -> None:
        self.by_domain = by_domain

    def __call__(self, domain: str) -> str:
        return self.by_domain.get(domain) or self.by_domain.get("all") or "none"

    def full(self, domain: str) -> bool:
        return self(domain) == "all"

    def clients(self, domain: str) -> frozenset[int] | None:
        """The client ids a domain's right covers; None for every client."""
        right = self(domain)
        if right == "all":
            return None
        if right == "none":
            return frozenset()
        return frozenset(as_int(part) for part in right.split(",") if part.strip())


def as_int(raw: Any) -> int:
    """A posted number as the server reads it: anything else is 0."""
    try:
        return int(str(raw).strip())
    except ValueError:
        return 0
