"""The state of an emulated UrBackup server: settings rows, groups, clients, web users, sessions.

Settings are kept the way the real server keeps them (table `settings`: one row per clientid
and key, 0 = global, -G = group G, N = client N, with `use` bits), so that inheritance, client
overrides and the answers of `sa=general` / `sa=clientsettings` come out as a real server's do.
Facts: shared UrBackup 2.5.33 recordings and SETTINGS.md. The records themselves are in
`records`, sessions and the login rate limit in `logins`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from checks.emulator.logins import Logins, stored_hash
from checks.emulator.records import (
    ALERT_SCRIPTS,
    CLIENT_CONFIGURABLE,
    CLIENT_DEFAULTS,
    DEFAULT_PBKDF2_ROUNDS,
    GLOBAL_DEFAULTS,
    LDAP_DEFAULTS,
    MAIL_DEFAULTS,
    MAIL_KEYS,
    MERGE_SEPARATORS,
    MERGEABLE,
    NOT_COPIED_TO_GROUPS,
    SAVED_AS_TEXT,
    Client,
    Rights,
    Row,
    Session,
    WebUser,
    as_int,
    as_text,
    coerce,
    empty_client_value,
    random_token,
)


class ApplianceState(Logins):
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
        Logins.__init__(self, self.lock)
        self.server_identity = random_token(20)
        self.version_number = 2005003300
        self.status_flags: dict[str, Any] = {}
        self.rows[0]["restore_authkey"] = Row(random_token(10))
        self.mail_log: list[str] = []
        self.network = True
        """False: a server that cannot reach any mail server, as the recorded one (J01, J02)."""
        self.pbkdf2_rounds = DEFAULT_PBKDF2_ROUNDS
        """The rounds a web user added from now on has its password hashed with."""

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
        """The value the server applies to a client (SETTINGS.md, `use`): its own row's
        sources as its `use` bits choose them, the group's (or global) value without a row."""
        client = self.clients[clientid]
        row = self.rows.get(clientid, {}).get(key)
        group_value = self.group_value(client.group, key)
        if row is None:
            return group_value
        return applied(key, row.use, group_value, row.value, row.value_client)

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
                    self.rows[0][key] = Row(as_text(raw))
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
                group = as_int(form["memberof"])
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
                        stored_hash(salt, password, self.pbkdf2_rounds), rights,
                        self.pbkdf2_rounds)
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

    # --- derived views for status, backups and the like ---------------------------------------

    def interval(self, clientid: int, key: str) -> int:
        """An interval in seconds from a (possibly scheduled) `update_freq_*` value."""
        raw = str(self.client_value(clientid, key))
        first = raw.split(";")[-1].split("@")[0]
        return as_int(first)

    def client_status(self, client: Client) -> dict[str, Any]:
        now = int(time.time())
        files = [b.backuptime for b in client.backups if not b.image]
        images = [b.backuptime for b in client.backups if b.image]
        last_file = max(files, default=0)
        last_image = max(images, default=0)
        status: dict[str, Any] = {
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
        if client.image_not_supported:
            status["image_not_supported"] = True  # only for such a client (M01)
        return status

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


def applied(key: str, use: int, group: Any, own: Any, pushed: Any) -> Any:
    """What a row applies: bit 1 the group's value, 2 its own, 4 the one its client pushed.

    Several bits (mergeable keys only) join the chosen sources that are not empty, in that
    order, with the key's separator. No bit at all (never stored by a save, which forces 2;
    only a hand-written scenario row) inherits.
    """
    sources = [value for bit, value in ((1, group), (2, own), (4, pushed)) if use & bit]
    if not sources:
        return group
    if len(sources) == 1:
        return sources[0]
    separator = MERGE_SEPARATORS.get(key, ";")
    return separator.join(str(value) for value in sources if value not in ("", None))


def _fresh(last: int, now: int, interval: int) -> bool:
    """UrBackup calls a backup ok while younger than three intervals (backup_ok_mod = 3)."""
    if last <= 0:
        return False
    if interval <= 0:
        return True
    return now - last <= 3 * interval




def _accepted_use(key: str, raw: str) -> int:
    """The `use` value the server keeps, following updateClientSettings' rules."""
    use = as_int(raw)
    if key == "internet_authkey":
        return 2
    allowed = {1, 2}
    if key in CLIENT_CONFIGURABLE:
        allowed.add(4)
    if key in MERGEABLE:
        allowed |= {3} | ({5, 6, 7} if key in CLIENT_CONFIGURABLE else set())
    return use if use in allowed else 2
