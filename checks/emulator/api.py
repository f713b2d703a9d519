"""The actions of UrBackup's web API, answered from an ApplianceState as a 2.5.33 server does.

Each handler takes the parsed form body and the session, and returns the JSON object to send,
or None for the empty body that a real server sends to a session that never logged in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from checks.emulator import jsonfmt
from checks.emulator.records import Client, Rights, Session, random_token
from checks.emulator.state import ApplianceState

Answer = dict[str, Any] | None
_LOGIN_DOMAINS = {"browse_backups": "browse_backups", "graph": "piegraph", "logs": "logs",
                  "progress": "progress", "settings": "settings", "status": "status"}
"""The rights a login answers, and the domain each is read from (recordings B10, H04)."""
_WIN32 = {"ONLY_WIN32_BEGIN": "<!--", "ONLY_WIN32_END": "-->"}
_REFUSED: dict[str, Answer] = {"users": {"error": 1}, "backups": {"error": 1},
                               "start_backup": None}
"""What an action answers to a session without its right (recordings H14, H20, H21)."""
_ACTION_DOMAINS = {"add_client": "add_client", "backups": "browse_backups",
                   "lastacts": "lastacts", "piegraph": "piegraph", "progress": "progress",
                   "start_backup": "start_backup", "usage": "piegraph", "users": "users"}
"""The right each action needs (`usage` follows `piegraph`: H19; `add_client`: H22).
`status` and `settings` check theirs inside, as their refusals are answers of their own."""


class Api:
    def __init__(self, state: ApplianceState) -> None:
        self.state = state
        self._navitems_cache: tuple[object, jsonfmt.Written] | None = None
        self._actions: dict[str, Callable[[dict[str, str], Session], Answer]] = {
            "status": self.status,
            "settings": self.settings,
            "usage": self.usage,
            "users": self.users,
            "backups": self.backups,
            "progress": self.progress,
            "lastacts": self.lastacts,
            "piegraph": self.piegraph,
            "status_check": lambda form, session: {},
            "start_backup": self.start_backup,
            "add_client": self.add_client,
        }

    def known(self, action: str) -> bool:
        return action in self._actions or action in ("login", "salt")

    def answer(self, action: str, form: dict[str, str], address: str,
               headers: Mapping[str, str] | None = None) -> Answer:
        """The answer to one call; raises KeyError for an unknown action.

        `headers` are the request's, names in lower case: the login negotiates the
        interface's language with them.
        """
        with self.state.lock:
            if action == "login":
                return self.login(form, address, (headers or {}).get("accept-language", ""))
            if action == "salt":
                return self.salt(form, address)
            handler = self._actions[action]
            session = self.state.session(form.get("ses"))
            if session is None:
                if action == "start_backup":
                    return None  # recording F12: an empty body, not error 1
                return {**_WIN32, "error": 1} if action == "settings" else {"error": 1}
            if not session.logged_in:
                return None
            domain = _ACTION_DOMAINS.get(action)
            if domain is not None and self.state.rights(session)(domain) == "none":
                return _REFUSED.get(action, {"error": 1})
            return handler(form, session)

    # --- login --------------------------------------------------------------------------

    def login(self, form: dict[str, str], address: str, accept_language: str) -> Answer:
        state = self.state
        if state.banned(address):
            return {"api_version": 2, "error": 3}
        username = form.get("username")
        if not username:
            lang = negotiate_language(form, accept_language)
            if not state.users:
                session = state.new_session(logged_in=True, rights={"all": "all"})
                return {"api_version": 2, "lang": lang, "session": session.id, "success": True}
            return {"admin_only": state.users[0].name, "api_version": 2, "lang": lang,
                    "success": False}
        user = state.user(username)
        if form.get("plainpw") == "1":
            session = state.new_session()
            if user is not None and state.check_plain(user, form.get("password", "")):
                return {**self._logged_in(session, user.name), "session": session.id}
            state.record_failure(address)
            return {"api_version": 2, "error": 2, "session": session.id}
        found = state.session(form.get("ses"))
        if found is None:
            return {"api_version": 2, "error": 1}
        if user is None or found.rnd is None or not state.check_proof(
            user, found.rnd, form.get("password", "")
        ):
            state.record_failure(address)
            return {"api_version": 2, "error": 2}
        return self._logged_in(found, user.name)

    def _logged_in(self, session: Session, name: str) -> dict[str, Any]:
        user = self.state.user(name)
        assert user is not None
        session.logged_in = True
        session.user = user.name
        rights = self.state.rights(session)
        answer: dict[str, Any] = {"api_version": 2, "success": True}
        for shown, domain in _LOGIN_DOMAINS.items():
            answer[shown] = rights(domain)
        return answer

    def salt(self, form: dict[str, str], address: str) -> Answer:
        state = self.state
        username = form.get("username")
        if not username:
            return {"error": 1}
        session = state.session(form.get("ses"))
        fresh = session is None
        if session is None:
            session = state.new_session()
        ses = {"ses": session.id} if fresh else {}
        if state.banned(address):
            return {"error": 3, **ses}
        user = state.user(username)
        if user is None:
            state.record_failure(address)
            return {"error": 0, **ses}
        session.rnd = random_token(10)
        return {"pbkdf2_rounds": user.pbkdf2_rounds, "rnd": session.rnd, "salt": user.salt,
                **ses}

    # --- reads ----------------------------------------------------------------------------

    def status(self, form: dict[str, str], session: Session) -> Answer:
        state = self.state
        rights = state.rights(session)
        shown = rights.clients("status")
        if shown is not None and not shown:
            # Without the right: an empty list, not an error (recording L02).
            return {"extra_clients": [], "no_file_backups": state.global_value("no_file_backups"),
                    "no_images": state.global_value("no_images"),
                    "server_identity": state.server_identity, "status": []}
        answer: dict[str, Any] = {
            "allow_extra_clients": True,
            "allow_modify_clients": True,
            "extra_clients": [],
            "has_status_check": True,
            "no_file_backups": state.global_value("no_file_backups"),
            "no_images": state.global_value("no_images"),
            "server_identity": state.server_identity,
            "server_pubkey": f"{state.server_identity}#fingerprint=D3:25:B1:93:2E:D0",
            "status": [state.client_status(c) for c in state.by_name()
                       if shown is None or c.id in shown],
        }
        # Keys only the admin gets (H05 against L07).
        if rights.full("all"):
            answer["admin"] = True
        if rights.full("add_client"):
            answer["allow_add_client"] = True
        if rights.full("remove_client"):
            answer["remove_client"] = True
        answer.update(state.status_flags)
        return answer

    def _envelope(self, sa: str, rights: Rights, **extra: Any) -> dict[str, Any]:
        return {**_WIN32, "navitems": self._navitems(rights), "sa": sa, **extra}

    def _navitems(self, rights: Rights) -> jsonfmt.Written:
        """The navigation list every settings answer carries, written once per set of clients.

        With a hundred clients it is most of each `clientsettings` answer; the key holds every
        field it is made from, so a change made any way (save, scenario, test) is seen.
        """
        state = self.state
        key = (tuple((c.id, c.group, c.name, c.override) for c in state.clients.values()),
               tuple(state.groups.items()), tuple(sorted(rights.by_domain.items())))
        if self._navitems_cache is None or self._navitems_cache[0] != key:
            self._navitems_cache = (key, jsonfmt.Written(state.navitems(rights)))
        return self._navitems_cache[1]

    def settings(self, form: dict[str, str], session: Session) -> Answer:
        """`a=settings`, refused as the real server refuses: without the `settings` right like
        an expired session (H06-H13), without a sub-right with the menu only (L04)."""
        state = self.state
        rights = state.rights(session)
        if rights("settings") == "none":
            return {**_WIN32, "error": 1}
        sa = form.get("sa") or _default_sa(rights)
        extra: dict[str, Any] = {}
        if sa in ("general", "general_save") and rights.full("general_settings"):
            if sa == "general_save":
                state.save_general(_without(form, "ses", "sa"))
                extra = {"saved_ok": True}
            view = state.general_view()
            if not rights.full("all"):
                del view["can_edit_scripts"]  # L03 against I13
            return self._envelope("general", rights, cowraw_available=False,
                                  settings=view, **extra)
        if sa in ("mail", "mail_save") and rights.full("mail_settings"):
            if sa == "mail_save":
                result = state.save_mail(_without(form, "ses", "sa"))
                extra = {"saved_ok": True} | ({"mail_test": result} if result else {})
            return self._envelope("mail", rights, settings=dict(state.mail), **extra)
        if sa == "updaterights" and rights.full("usermod"):
            rights_given = _parse_rights(form.get("rights", ""))
            state.update_rights(_int(form.get("userid", "0")), rights_given)
            return self._listusers(rights, update_right=True)
        if sa in ("clientsettings", "clientsettings_save"):
            target = _int(form.get("t_clientid", "0"))
            allowed = rights.clients("client_settings")
            if allowed is not None and target not in allowed:
                return {**_WIN32, "navitems": self._navitems(rights)}
            if target > 0 and target not in state.clients:
                return {**_WIN32, "error": 2}
            if target < 0 and -target not in state.groups:
                return {**_WIN32, "error": 2}
            if sa == "clientsettings_save":
                state.save_client_settings(target, _without(form, "ses", "sa", "t_clientid"))
                extra = {"saved_part": True} if form.get("no_ok") == "true" else {"saved_ok": True}
            view = state.client_view(target) if target > 0 else state.group_view(-target)
            return self._envelope("clientsettings", rights, cowraw_available=False,
                                  settings=view, **extra)
        if sa == "listusers" and rights.full("usermod"):
            return self._listusers(rights)
        if sa == "ldap" and rights.full("ldap_settings"):
            return self._envelope("ldap", rights, settings=dict(state.ldap))
        return {**_WIN32, "navitems": self._navitems(rights)}

    def _listusers(self, rights: Rights, **extra: Any) -> dict[str, Any]:
        users = [{"id": str(u.id), "name": u.name, "rights": _by_domain(u.rights)}
                 for u in self.state.users]
        return self._envelope("listusers", rights, users=users, **extra)

    def usage(self, form: dict[str, str], session: Session) -> Answer:
        """Storage per client, in id order (H19: poste-001 ... poste-100, then ids 101, 102)."""
        rows = []
        for client in sorted(self.state.clients.values(), key=lambda c: c.id):
            files = sum(b.size_bytes for b in client.backups if not b.image)
            images = sum(b.size_bytes for b in client.backups if b.image)
            rows.append({"files": files, "images": images, "name": client.name,
                         "used": files + images})
        if not self.state.rights(session).full("all"):
            return {"usage": rows}  # H19: no reset offered to a limited account
        return {"reset_statistics": "true", "usage": rows}

    def users(self, form: dict[str, str], session: Session) -> Answer:
        return {"users": [{"id": c.id, "name": c.name}
                          for c in sorted(self.state.clients.values(), key=lambda c: c.id)]}

    def backups(self, form: dict[str, str], session: Session) -> Answer:
        state = self.state
        if form.get("sa") != "backups":
            clients = sorted(state.clients.values(), key=lambda c: c.name)
            return {"clients": [{"id": c.id, "lastbackup": max(
                (b.backuptime for b in c.backups), default=0), "name": c.name} for c in clients]}
        clientid = _int(form.get("clientid", "0"))
        client = state.clients.get(clientid)
        found = sorted(client.backups if client else [], key=lambda b: -b.backuptime)
        files = [b for b in found if not b.image]
        return {
            "backup_images": [
                {"archived": 0, "backuptime": b.backuptime, "id": b.id,
                 "incremental": int(b.incremental), "letter": b.letter,
                 "size_bytes": b.size_bytes} for b in found if b.image],
            "backups": [
                {"archived": 0, "backuptime": b.backuptime, "id": b.id,
                 "incremental": int(b.incremental), "size_bytes": b.size_bytes}
                # The newest file backup cannot be deleted (M02: a client's only backup).
                | ({"disable_delete": True} if b is files[0] else {})
                for b in files],
            "can_archive": True,
            "can_delete": True,
            "clientid": clientid,
            "clientname": client.name if client else "",
        }

    def _lastacts(self) -> list[dict[str, Any]]:
        everything = [(c, b) for c in self.state.clients.values() for b in c.backups]
        everything.sort(key=lambda cb: -cb[1].backuptime)
        return [
            {"backuptime": b.backuptime, "clientid": c.id, "del": False,
             "details": b.letter if b.image else "", "duration": b.duration, "id": b.id,
             "image": int(b.image), "incremental": int(b.incremental), "name": c.name,
             "restore": 0, "resumed": 0, "size_bytes": b.size_bytes}
            for c, b in everything[:20]
        ]

    def progress(self, form: dict[str, str], session: Session) -> Answer:
        return {"lastacts": self._lastacts(), "progress": []}

    def lastacts(self, form: dict[str, str], session: Session) -> Answer:
        return {"lastacts": self._lastacts()}

    def piegraph(self, form: dict[str, str], session: Session) -> Answer:
        usage: dict[str, Any] = self.usage(form, session) or {}
        return {"data": [{"data": row["used"], "label": row["name"]} for row in usage["usage"]]}

    def add_client(self, form: dict[str, str], session: Session) -> Answer:
        """An internet client entered by name, never connected yet (recordings C20-C22)."""
        state = self.state
        name = form.get("clientname", "")
        if any(c.name == name for c in state.clients.values()):
            return {"already_exists": True, "ok": True}
        client = Client(id=max(state.clients, default=0) + 1, name=name,
                        lastseen=int(time.time()), os_simple="")
        state.add_client(client)
        return {"added_new_client": True,
                "internet_server": str(state.global_value("internet_server")),
                "internet_server_port": str(state.global_value("internet_server_port")),
                "new_authkey": state.rows[client.id]["internet_authkey"].value,
                "new_clientid": client.id, "new_clientname": name, "ok": True,
                "server_url": str(state.global_value("server_url"))}

    def start_backup(self, form: dict[str, str], session: Session) -> Answer:
        clientid = _int(form.get("start_client", "0"))
        client = self.state.clients.get(clientid)
        return {"result": [{"clientid": clientid, "start_ok": bool(client and client.online),
                            "start_type": form.get("start_type", "")}]}


def negotiate_language(form: dict[str, str], accept_language: str) -> str:
    """The interface's language as the real server picks it: the posted `lang` unless it is
    "-", else the first `Accept-Language` entry whose `xx_YY` or `xx` form is among the posted
    `langs` (a French browser's "fr-FR" gives "fr"), else English."""
    posted = form.get("lang", "")
    if posted and posted != "-":
        return posted
    offered = {lang.strip() for lang in form.get("langs", "").split(",") if lang.strip()}
    for entry in accept_language.split(","):
        tag = entry.split(";")[0].strip()
        for candidate in (tag.replace("-", "_"), tag.split("-")[0]):
            if candidate in offered:
                return candidate
    return "en"


def _default_sa(rights: Rights) -> str:
    """The page a settings call without `sa` shows (L05): general settings if allowed."""
    if rights.full("client_settings") or rights.full("general_settings"):
        return "general"
    if rights.full("usermod"):
        return "listusers"
    return ""


def _parse_rights(raw: str) -> list[dict[str, str]]:
    """The `rights` of `sa=updaterights`: itself a form, `N_domain=D&N_right=R&idx=0,1,...`."""
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    rights = []
    for index in fields.get("idx", "").split(","):
        domain, right = fields.get(f"{index}_domain"), fields.get(f"{index}_right")
        if index and domain is not None and right is not None:
            rights.append({"domain": domain, "right": right})
    return rights


def _by_domain(rights: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rights, key=lambda right: right["domain"])


def _without(form: dict[str, str], *keys: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in keys}


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0
