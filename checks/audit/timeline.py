"""An appliance's audits over time, as data: the points, and what changed between two.

Read from a history folder by `checks.operations.history`, laid out by
`checks.reports.history`: here, below both, so that neither imports the other.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from checks.audit.health import HEALTH

SEVERITIES = ("critique", "majeure", "mineure")


@dataclass(frozen=True)
class Check:
    """One finding of a past audit, as its JSON result recorded it (keyed by its id)."""

    section: str
    label: str
    severity: str
    failed: bool
    observed: str


@dataclass(frozen=True)
class Point:
    """One audit of the history."""

    date: datetime
    verdict: str
    counts: dict[str, int]
    checks: dict[str, Check]


@dataclass(frozen=True)
class Change:
    kind: str
    label: str
    detail: str


@dataclass(frozen=True)
class Step:
    """What changed from one audit to the next."""

    before: Point
    after: Point
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ApplianceHistory:
    key: str
    identifier: str | None
    url: str
    points: tuple[Point, ...]

    @property
    def name(self) -> str:
        return f"DATIS {self.identifier}" if self.identifier else self.url

    def steps(self) -> list[Step]:
        pairs = itertools.pairwise(self.points)
        return [Step(a, b, tuple(changes(a, b))) for a, b in pairs]

    def matches(self, reference: str) -> bool:
        """Whether the docs' reference appliance (identifier or address) is this one."""
        wanted = reference.strip().rstrip("/")
        return bool(wanted) and (wanted.upper() == (self.identifier or "").upper()
                                 or wanted == self.url.rstrip("/"))


def changes(before: Point, after: Point) -> list[Change]:
    """New écarts, écarts gone, and settings whose observed value moved."""
    found: list[Change] = []
    for key in sorted(before.checks.keys() | after.checks.keys()):
        old, new = before.checks.get(key), after.checks.get(key)
        if new is not None and new.failed and (old is None or not old.failed):
            found.append(Change("nouvel écart", new.label,
                                f"gravité {new.severity}, observé : {new.observed}"))
        elif old is not None and old.failed and (new is None or not new.failed):
            detail = f"observé : {new.observed}" if new else "contrôle disparu"
            found.append(Change("écart levé", old.label, detail))
        elif old is not None and new is not None and old.section != HEALTH.id and \
                old.observed != new.observed:
            found.append(Change("valeur changée", new.label, f"{old.observed} → {new.observed}"))
    return found
