"""How an audit judges what it reads: the choices a technician makes on the command line.

Its own module so that every family of rules (`rules`, `health`) takes it from below,
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditOptions:
    tolerance: float = 2.0
    """A backup is late past this many intervals (UrBackup itself says 3)."""
    docs_url: str = ""
    now: float | None = None
