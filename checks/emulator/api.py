"""The actions of UrBackup's web API, answered from an ApplianceState as a 2.5.33 server does.

Each handler takes the parsed form body and the session, and returns the JSON object to send,
or None for the empty body that a real server sends to a session that never logged in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checks.emulator import jsonfmt
from checks.emulator.state import PBKDF2_ROUNDS, ApplianceState, Session, random_token

Answer = dict[str, Any] | None
_LOGIN_DOMAINS = ("browse_backups", "graph", "logs", "progress", "settings", "status")
_WIN32 = {"ONLY_WIN32_BEGIN": "<!--", "ONLY_WIN32_END": "-->"}


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
        }

    def known(self, action: str) -> bool:
        return action in self._actions or action in ("login", "salt")

    def answer(self, action: str, form: dict[str, str], address: str) -> Answer:
        """The answer to one call; raises KeyError for an unknown action."""
        with self.state.lock:
            if action == "login":
                return self.login(form, address)
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
            return handler(form, session)

    # --- login --------------------------------------------------------------------------

    def login(self, form: dict[str, str], address: str) -> Answer:
        state = self.state
        if state.banned(address):
            return {"api_version": 2, "error": 3}
        username = form.get("username")
        if not username:
            if not state.users:
                session = state.new_session(logged_in=True, rights={"all": "all"})
                return {"api_version": 2, "lang": "en", "session": session.id, "success": True}
            return {"admin_only": state.users[0].name, "api_version": 2, "lang": "en",
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
        rights = {r["domain"]: r["right"] for r in user.rights}
        everything = rights.get("all") == "all"
        session.logged_in = True
        session.user = user.name
        session.rights = rights
        answer: dict[str, Any] = {"api_version": 2, "success": True}
        for domain in _LOGIN_DOMAINS:
            answer[domain] = "all" if everything else rights.get(domain, "none")
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
        return {"pbkdf2_rounds": PBKDF2_ROUNDS, "rnd": session.rnd, "salt": user.salt, **ses}

    # --- reads ----------------------------------------------------------------------------

    def status(self, form: dict[str, str], session: Session) -> Answer:
        state = self.state
        answer: dict[str, Any] = {
            "admin": True,
            "allow_add_client": True,
            "allow_extra_clients": True,
            "allow_modify_clients": True,
            "extra_clients": [],
            "has_status_check": True,
            "no_file_backups": state.global_value("no_file_backups"),
            "no_images": state.global_value("no_images"),
            "remove_client": True,
            "server_identity": state.server_identity,
            "server_pubkey": f"{state.server_identity}#fingerprint=D3:25:B1:93:2E:D0",
            "status": [state.client_status(c) for c in sorted(state.clients.values(),
                                                               key=lambda c: c.id)],
        }
        answer.update(state.status_flags)
        return answer

    def _envelope(self, sa: str, **extra: Any) -> dict[str, Any]:
        return {**_WIN32, "navitems": self._navitems(), "sa": sa, **extra}

    def _navitems(self) -> jsonfmt.Written:
        """The navigation list every settings answer carries, written once per set of clients.

        With a hundred clients it is most of each `clientsettings` answer; the key holds every
        field it is made from, so a change made any way (save, scenario, test) is seen.
        """
        state = self.state
        key = (tuple((c.id, c.group, c.name) for c in state.clients.values()),
               tuple(state.groups.items()))
        if self._navitems_cache is None or self._navitems_cache[0] != key:
            self._navitems_cache = (key, jsonfmt.Written(state.navitems()))
        return self._navitems_cache[1]

    def settings(self, form: dict[str, str], session: Session) -> Answer:
        state = self.state
        sa = form.get("sa", "general")
        extra: dict[str, Any] = {}
        if sa in ("general", "general_save"):
            if sa == "general_save":
                state.save_general(_without(form, "ses", "sa"))
                extra = {"saved_ok": True}
            return self._envelope("general", cowraw_available=False,
                                  settings=state.general_view(), **extra)
        if sa in ("mail", "mail_save"):
            if sa == "mail_save":
                result = state.save_mail(_without(form, "ses", "sa"))
                extra = {"saved_ok": True} | ({"mail_test": result} if result else {})
            return self._envelope("mail", settings=dict(state.mail), **extra)
        if sa in ("clientsettings", "clientsettings_save"):
            target = _int(form.get("t_clientid", "0"))
            if target > 0 and target not in state.clients:
                return {**_WIN32, "error": 2}
            if target < 0 and -target not in state.groups:
                return {**_WIN32, "error": 2}
            if sa == "clientsettings_save":
                state.save_client_settings(target, _without(form, "ses", "sa", "t_clientid"))
                extra = {"saved_part": True} if form.get("no_ok") == "true" else {"saved_ok": True}
            view = state.client_view(target) if target > 0 else state.group_view(-target)
            return self._envelope("clientsettings", cowraw_available=False, settings=view,
                                  **extra)
        if sa == "listusers":
            users = [{"id": str(u.id), "name": u.name, "rights": _by_domain(u.rights)}
                     for u in state.users]
            return self._envelope("listusers", users=users)
        if sa == "ldap":
            return self._envelope("ldap", settings=dict(state.ldap))
        return {**_WIN32, "navitems": self._navitems()}

    def usage(self, form: dict[str, str], session: Session) -> Answer:
        rows = []
        for client in sorted(self.state.clients.values(), key=lambda c: c.name):
            files = sum(b.size_bytes for b in client.backups if not b.image)
            images = sum(b.size_bytes for b in client.backups if b.image)
            rows.append({"files": files, "images": images, "name": client.name,
                         "used": files + images})
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
        return {
            "backup_images": [
                {"archived": 0, "backuptime": b.backuptime, "id": b.id,
                 "incremental": int(b.incremental), "letter": b.letter,
                 "size_bytes": b.size_bytes} for b in found if b.image],
            "backups": [
                {"archived": 0, "backuptime": b.backuptime, "id": b.id,
                 "incremental": int(b.incremental), "size_bytes": b.size_bytes}
                for b in found if not b.image],
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

    def start_backup(self, form: dict[str, str], session: Session) -> Answer:
        clientid = _int(form.get("start_client", "0"))
        client = self.state.clients.get(clientid)
        return {"result": [{"clientid": clientid, "start_ok": bool(client and client.online),
                            "start_type": form.get("start_type", "")}]}


def _by_domain(rights: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rights, key=lambda right: right["domain"])


def _without(form: dict[str, str], *keys: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in keys}


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0
