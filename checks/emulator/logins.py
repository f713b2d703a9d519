"""Sessions and the login rate limit of an emulated UrBackup server.

A session lives while it is used (idle for 30 minutes, it is gone); an address that failed to
log in more than ten times within 40 seconds is banned for ten minutes, as the real server
does (recordings F51, F52). The proof of a login is checked as the real server checks it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque

from checks.appliance.login_proof import login_proof, password_hash
from checks.emulator.records import (
    BAN_SECONDS,
    BAN_THRESHOLD,
    BAN_WINDOW_SECONDS,
    PBKDF2_ROUNDS,
    SESSION_IDLE_SECONDS,
    Session,
    WebUser,
    random_token,
)


class Logins:
    """The sessions, failures and bans of one emulated server (a base of ApplianceState)."""

    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self.sessions: dict[str, Session] = {}
        self.failures: dict[str, deque[float]] = {}
        self.bans: dict[str, float] = {}
        self.session_idle_seconds = SESSION_IDLE_SECONDS
        self.ban_seconds = BAN_SECONDS

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
