"""Sessions and the login rate limit of an emulated UrBackup server.

A session lives while it is used (idle for 30 minutes, it is gone); an address that failed to
log in more than ten times within 40 seconds is banned for ten minutes, as the real server
does (recordings F51, F52). The proof of a login is checked as the real server checks it,
with code of its own written from the API reference and the openssl known answers
(tests/fixtures/vectors): the emulator is the oracle of the client's login, so it must not
share the client's hand (checks.appliance.login_proof).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque

from checks.emulator.records import (
    BAN_SECONDS,
    BAN_THRESHOLD,
    BAN_WINDOW_SECONDS,
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
        return hmac.compare_digest(expected_proof(rnd, user.stored_hash), proof.encode())

    def check_plain(self, user: WebUser, password: str) -> bool:
        stored = stored_hash(user.salt, password, user.pbkdf2_rounds)
        return hmac.compare_digest(stored, user.stored_hash)


def stored_hash(salt: str, password: str, rounds: int) -> str:
    """What the server keeps for a web user's password (API.md, Login, step 3).

    md5 of salt and password in hex; with rounds > 0, PBKDF2-HMAC-SHA256 keyed with the raw
    md5 digest, salted with the salt's UTF-8 bytes, 32 bytes, in hex. 0 rounds: md5 only, as
    servers older than PBKDF2 kept it.
    """
    salted = (salt + password).encode("utf-8")
    if rounds <= 0:
        return hashlib.md5(salted).hexdigest()
    key = hashlib.md5(salted).digest()
    return hashlib.pbkdf2_hmac("sha256", key, salt.encode("utf-8"), rounds, dklen=32).hex()


def expected_proof(rnd: str, stored: str) -> bytes:
    """The proof `a=login` must carry for this challenge: md5 hex of rnd then the stored hash."""
    return hashlib.md5(f"{rnd}{stored}".encode()).hexdigest().encode()
