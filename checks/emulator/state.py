"""The state of an emulated UrBackup server: settings rows, groups, clients, web users, sessions.

Settings are kept the way the real server keeps them (table `settings`: one row per clientid
and key, 0 = global, -G = group G, N = client N, with `use` bits), so that inheritance, client
overrides and the answers of `sa=general` / `sa=clientsettings` come out as a real server's do.
Facts: shared UrBackup 2.5.33 recordings and SETTINGS.md.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from checks.appliance.login_proof import login_proof, password_hash

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
MERGEABLE = frozenset(
    [
        "default_dirs", "exclude_files", "include_files", "image_letters", "virtual_clients",
        "vss_select_components", "archive"
    ]
)
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

PBKDF2_ROUNDS = 10000
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
    return raw if isinstance(raw, str) else _text(raw)


def _text(value: Any) -> str:
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
        return frozenset(_int(part) for part in right.split(",") if part.strip())


class ApplianceState:
    """Everything the emulated server knows; every method is safe to call from many threads."""

    def __init__(self, *, now: float | None = None) -> None:
        self.lock = threading.RLock()
        self.started = time.time() if now is None else now
        self.rows: dict[int, dict[str, Row]] = {0: {}}
        self.groups: dict[int, str] = {}
        self.clients: dict[int, Client] = {}
        self.users: list[WebUser] = []
        self.mail: dict[str, str] = dict(MAIL_DEFAULTS)
        self.ldap: dict[str, Any] = dict(LDAP_DEFAULTS)
        self.sessions: dict[str, Session] = {}
        self.failures: dict[str, deque[float]] = {}
        self.bans: dict[str, float] = {}
        self.server_identity = random_token(20)
        self.version_number = 2005003300
        self.status_flags: dict[str, Any] = {}
        self.session_idle_seconds = SESSION_IDLE_SECONDS
        self.ban_seconds = BAN_SECONDS
        self.rows[0]["restore_authkey"] = Row(random_token(10))
        self.mail_log: list[str] = []
        self.network = True
        """False: a server that cannot reach any mail server, as the recorded one (J01, J02)."""

    # --- settings ------------------------------------------------------------------------

    def global_value(self, key: str) -> Any:
        row = self.rows[0].get(key)
        if row is not None:
            return row.value
        if key in GLOBAL_DEFAULTS:
            return GLOBAL_DEFAULTS[key]
        return CLIENT_DEFAULTS.get(key)

    def group_value(self, group: int, key: str) -> Any:
        """The effective value for members of `group` (0 = no group: the global value)."""
        if key == "internet_authkey":
            return random_token(10)
        row = self.rows.get(-group, {}).get(key) if group else None
        if row is not None and row.use & 2:
            return row.value
        return self.inherited_global(key)

    def inherited_global(self, key: str) -> Any:
        """The global value as a group or client inherits it: typed, even if saved as text."""
        value = self.global_value(key)
        return coerce(CLIENT_DEFAULTS[key], value) if key in SAVED_AS_TEXT else value

    def client_value(self, clientid: int, key: str) -> Any:
        """The value the server applies to a client, merging sources for mergeable keys."""
        client = self.clients[clientid]
        row = self.rows.get(clientid, {}).get(key)
        group_value = self.group_value(client.group, key)
        if row is None:
            return group_value
        parts = [(1, group_value), (2, row.value), (4, row.value_client)]
        chosen = [value for bit, value in parts if row.use & bit]
        if len(chosen) == 1:
            return chosen[0]
        sep = {"virtual_clients": "|", "vss_select_components": "&", "archive": "&"}.get(key, ";")
        return sep.join(str(v) for v in chosen if v not in ("", None))

    def general_view(self) -> dict[str, Any]:
        view: dict[str, Any] = {
            "ONLY_WIN32_BEGIN": "<!--",
            "ONLY_WIN32_END": "-->",
            "alert_scripts": ALERT_SCRIPTS,
            "can_edit_scripts": True,
        }
        for key in GLOBAL_DEFAULTS:
            view[key] = self.global_value(key)
        for key in CLIENT_DEFAULTS:
            value = random_token(10) if key == "internet_authkey" else self.global_value(key)
            view[key] = {"value": value}
        return view

    def client_view(self, clientid: int) -> dict[str, Any]:
        client = self.clients[clientid]
        rows = self.rows.get(clientid, {})
        view: dict[str, Any] = {
            "alert_scripts": ALERT_SCRIPTS,
            "can_edit_scripts": True,
            "clientid": clientid,
            "clientname": client.name,
            "main_client": True,
            "memberof": client.group,
        }
        for key, default in CLIENT_DEFAULTS.items():
            group_value = self.group_value(client.group, key)
            row = rows.get(key)
            if row is None:
                view[key] = {"use": 1, "value_group": group_value}
                continue
            value_client = row.value_client
            if value_client is None:
                value_client = empty_client_value(default)
            view[key] = {
                "use": row.use,
                "value": row.value,
                "value_client": value_client,
                "value_group": group_value,
            }
        return view

    def group_view(self, group: int) -> dict[str, Any]:
        rows = self.rows.setdefault(-group, {})
        view: dict[str, Any] = {
            "alert_scripts": ALERT_SCRIPTS,
            "can_edit_scripts": True,
            "clientid": -group,
            "groupid": group,
            "groupname": self.groups[group],
            "overwrite": True,
        }
        for key in CLIENT_DEFAULTS:
            if key == "internet_authkey":
                global_value: Any = random_token(10)
            else:
                global_value = self.inherited_global(key)
            row = rows.get(key)
            if row is None:
                view[key] = {"use": 1, "value_group": global_value}
            else:
                view[key] = {"use": row.use, "value": row.value, "value_group": global_value}
        return view

    def save_general(self, form: dict[str, str]) -> None:
        with self.lock:
            for key, raw in form.items():
                if key in GLOBAL_DEFAULTS:
                    self.rows[0][key] = Row(coerce(GLOBAL_DEFAULTS[key], raw))
                elif key in SAVED_AS_TEXT:
                    self.rows[0][key] = Row(_text(raw))
                elif key in CLIENT_DEFAULTS and key != "internet_authkey":
                    self.rows[0][key] = Row(coerce(CLIENT_DEFAULTS[key], raw))

    def save_mail(self, form: dict[str, str]) -> str | None:
        """Store the mail keys; a non-empty `testmailaddr` asks for a test mail."""
        with self.lock:
            for key in MAIL_KEYS:
                if key in form:
                    self.mail[key] = form[key]
            address = form.get("testmailaddr", "")
            if not address:
                return None
            host = self.mail["mail_servername"]
            if not host:
                return "Error: Sending mail failed: no mail server configured"
            if not self.network:
                # libcurl's words, as the recorded server without network said them (J01).
                return (f"Couldn't resolve host name(ec=6), "
                        f"Could not resolve host: {host}")
            self.mail_log.append(address)
            return "ok"

    def save_client_settings(self, target: int, form: dict[str, str]) -> None:
        """`clientsettings_save` for a client (target > 0) or a group (target = -G)."""
        with self.lock:
            rows = self.rows.setdefault(target, {})
            for key, default in CLIENT_DEFAULTS.items():
                has_value = key in form
                has_use = f"{key}.use" in form
                if not has_value and not has_use:
                    continue
                use = _accepted_use(key, form.get(f"{key}.use", "2"))
                row = rows.get(key)
                if row is None and use == 1 and not has_value:
                    continue  # "inherit" with nothing to keep: no row (recording G06)
                if row is None:
                    row = Row(empty_client_value(default), use)
                    rows[key] = row
                if has_value:
                    row.value = coerce(default, form[key])
                row.use = use
            if "archive" not in form:
                # UrBackup rewrites the archive schedule on every save (recordings D20, D31).
                archive = rows.setdefault("archive", Row(""))
                archive.use = 2
            if target > 0:
                self.clients[target].override = True
            if target > 0 and "memberof" in form:
                group = _int(form["memberof"])
                if group == 0 or group in self.groups:
                    self.clients[target].group = group

    def set_client_row(self, clientid: int, key: str, value: Any, use: int,
                       value_client: Any = None) -> None:
        """Scenario loading: a client's own row, as a client or the web interface left it."""
        self.rows.setdefault(clientid, {})[key] = Row(
            coerce(CLIENT_DEFAULTS[key], value), use,
            None if value_client is None else coerce(CLIENT_DEFAULTS[key], value_client),
        )

    # --- clients and users -----------------------------------------------------------------

    def add_client(self, client: Client) -> None:
        with self.lock:
            self.clients[client.id] = client
            self.rows.setdefault(client.id, {})["internet_authkey"] = Row(random_token(10), 2)

    def add_group(self, group: int, name: str) -> None:
        with self.lock:
            self.groups[group] = name
            self.rows.setdefault(-group, {})
            for key in CLIENT_DEFAULTS:
                if key not in NOT_COPIED_TO_GROUPS:
                    self.rows[-group].setdefault(key, Row(self.global_value(key), 1))

    def add_web_user(self, name: str, password: str, rights: list[dict[str, str]]) -> None:
        with self.lock:
            salt = random_token(50)
            self.users.append(
                WebUser(len(self.users) + 1, name.lower(), salt,
                        password_hash(salt, password, PBKDF2_ROUNDS), rights)
            )

    def user(self, name: str) -> WebUser | None:
        return next((u for u in self.users if u.name == name.lower()), None)

    def rights(self, session: Session) -> Rights:
        """The session's rights now: its user's, read again on every request."""
        if session.user is None:
            return Rights(session.rights)
        user = self.user(session.user)
        if user is None:
            return Rights({})
        return Rights({r["domain"]: r["right"] for r in user.rights})

    def update_rights(self, userid: int, rights: list[dict[str, str]]) -> bool:
        with self.lock:
            user = next((u for u in self.users if u.id == userid), None)
            if user is None:
                return False
            user.rights = rights
            return True

    # --- sessions and the login rate limit ---------------------------------------------------

    def new_session(self, *, logged_in: bool = False,
                    rights: dict[str, str] | None = None) -> Session:
        with self.lock:
            session = Session(random_token(30), time.monotonic(), logged_in=logged_in,
                              rights=rights or {})
            self.sessions[session.id] = session
            return session

    def session(self, ses: str | None) -> Session | None:
        """The live session for `ses`, touched; None if unknown or idle for too long."""
        if not ses:
            return None
        with self.lock:
            session = self.sessions.get(ses)
            if session is None:
                return None
            now = time.monotonic()
            if now - session.last_used > self.session_idle_seconds:
                del self.sessions[ses]
                return None
            session.last_used = now
            return session

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def banned(self, address: str) -> bool:
        with self.lock:
            until = self.bans.get(address)
            if until is None:
                return False
            if time.monotonic() >= until:
                del self.bans[address]
                self.failures.pop(address, None)
                return False
            return True

    def record_failure(self, address: str) -> None:
        """Count a failed login or unknown-user salt; past the threshold, ban the address."""
        with self.lock:
            now = time.monotonic()
            history = self.failures.setdefault(address, deque())
            history.append(now)
            while history and now - history[0] > BAN_WINDOW_SECONDS:
                history.popleft()
            if len(history) > BAN_THRESHOLD:
                self.bans[address] = now + self.ban_seconds

    def check_proof(self, user: WebUser, rnd: str, proof: str) -> bool:
        return secrets.compare_digest(login_proof(rnd, user.stored_hash), proof)

    def check_plain(self, user: WebUser, password: str) -> bool:
        expected = password_hash(user.salt, password, PBKDF2_ROUNDS)
        return secrets.compare_digest(expected, user.stored_hash)

    # --- derived views for status, backups and the like ---------------------------------------

    def interval(self, clientid: int, key: str) -> int:
        """An interval in seconds from a (possibly scheduled) `update_freq_*` value."""
        raw = str(self.client_value(clientid, key))
        first = raw.split(";")[-1].split("@")[0]
        return _int(first)

    def client_status(self, client: Client) -> dict[str, Any]:
        now = int(time.time())
        files = [b.backuptime for b in client.backups if not b.image]
        images = [b.backuptime for b in client.backups if b.image]
        last_file = max(files, default=0)
        last_image = max(images, default=0)
        return {
            "client_version_string": client.client_version_string,
            "delete_pending": client.delete_pending,
            "file_ok": client.file_ok if client.file_ok is not None else _fresh(
                last_file, now, self.interval(client.id, "update_freq_incr")),
            "groupname": self.groups.get(client.group, ""),
            "id": client.id,
            "image_ok": client.image_ok if client.image_ok is not None else _fresh(
                last_image, now, self.interval(client.id, "update_freq_image_incr")),
            "ip": client.ip,
            "last_filebackup_issues": client.last_filebackup_issues,
            "lastbackup": last_file,
            "lastbackup_image": last_image,
            "lastseen": client.lastseen,
            "name": client.name,
            "online": client.online,
            "os_simple": client.os_simple,
            "os_version_string": client.os_version_string,
            "processes": [],
            "status": 0,
            "uid": client.uid,
        }

    def by_name(self) -> list[Client]:
        """Clients in the server's order (`ORDER BY name`, byte order: recordings H05, I03)."""
        return sorted(self.clients.values(), key=lambda c: (c.name, c.id))

    def navitems(self, rights: Rights) -> dict[str, Any]:
        """The settings menu as this session may see it (recordings I03 for the admin, L03
        and L04 for an account with `settings` and `general_settings` only)."""
        shown = rights.clients("client_settings")
        items: dict[str, Any] = {
            "clients": [
                {"group": c.group, "groupname": self.groups.get(c.group, ""), "id": c.id,
                 "name": c.name, "override": c.override}
                for c in self.by_name() if shown is None or c.id in shown
            ],
            "groups": [{"id": 0, "name": ""}]
            + [{"id": gid, "name": name} for gid, name in sorted(self.groups.items())],
            "internet": True,
        }
        for item, domain in _NAV_DOMAINS:
            if rights.full(domain):
                items[item] = True
        return items


_NAV_DOMAINS = (
    ("disable_change_pw", "disable_change_pw"), ("general", "general_settings"),
    ("groupmod", "groupmod"), ("ldap", "ldap_settings"), ("mail", "mail_settings"),
    ("users", "usermod"),
)
"""Menu entries shown only with the full right on a domain (all of them for the admin)."""


def _fresh(last: int, now: int, interval: int) -> bool:
    """UrBackup calls a backup ok while younger than three intervals (backup_ok_mod = 3)."""
    if last <= 0:
        return False
    if interval <= 0:
        return True
    return now - last <= 3 * interval


def _int(raw: Any) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        return 0


def _accepted_use(key: str, raw: str) -> int:
    """The `use` value the server keeps, following updateClientSettings' rules."""
    use = _int(raw)
    if key == "internet_authkey":
        return 2
    allowed = {1, 2}
    if key in CLIENT_CONFIGURABLE:
        allowed.add(4)
    if key in MERGEABLE:
        allowed |= {3} | ({5, 6, 7} if key in CLIENT_CONFIGURABLE else set())
    return use if use in allowed else 2
