"""The password proof of UrBackup's web login (salt, PBKDF2, random challenge).

Both the client (which proves) and the emulator (which checks) need it; the official Python
client, used in the tests, is the independent check that this is what a real server expects.
"""

from __future__ import annotations

import hashlib


def password_hash(salt: str, password: str, pbkdf2_rounds: int) -> str:
    """What the server stores for a password: md5(salt+pw), strengthened by PBKDF2 if asked."""
    md5 = hashlib.md5((salt + password).encode())
    if pbkdf2_rounds <= 0:
        return md5.hexdigest()
    derived = hashlib.pbkdf2_hmac("sha256", md5.digest(), salt.encode(), pbkdf2_rounds, 32)
    return derived.hex()


def login_proof(rnd: str, stored_hash: str) -> str:
    """The one-time proof sent to `a=login`: md5(rnd + stored hash)."""
    return hashlib.md5((rnd + stored_hash).encode()).hexdigest()
