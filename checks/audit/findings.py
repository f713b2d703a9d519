"""Findings: what an audit says, one line per check, and the audit they add up to.

A finding carries everything a report shows: the section, the severity, the documented and
observed values already written in French, a message, a corrective action and the docs
section that explains it. Reports only lay findings out; they never decide anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Severity(Enum):
    CRITICAL = "critique"
    MAJOR = "majeure"
    MINOR = "mineure"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"critique": 3, "majeure": 2, "mineure": 1, "info": 0}[self.value]


class Outcome(Enum):
    PASSED = "conforme"
    FAILED = "écart"
    INFO = "information"
    WAIVED = "dérogation"


@dataclass(frozen=True)
class WaiverNote:
    """Why a failed finding is accepted, by whom, until when."""

    justification: str
    author: str
    expiry: date


@dataclass(frozen=True)
class Category:
    """What findings over many clients share, so that a report can show them as one group."""

    id: str
    """Stable across audits (« sante.fichiers.jamais »): the group's key in the JSON report."""
    title: str
    """Plural, read after a count: « postes jamais sauvegardés (fichiers) »."""


@dataclass(frozen=True)
class Finding:
    id: str
    section: str
    severity: Severity
    outcome: Outcome
    label: str
    expected: str
    observed: str
    message: str
    action: str = ""
    doc: str | None = None
    key: str | None = None
    client: str | None = None
    waiver: WaiverNote | None = None
    category: Category | None = None
    backup_time: float | None = None
    """Unix time of the last backup a health finding judged (checks/audit/health.py); None for
    every other finding, and for a client never backed up or that cannot make an image."""

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED


GROUP_MINIMUM = 3
"""From this many findings of one category, reports show them as one group."""


@dataclass(frozen=True)
class Group:
    """Findings of one category, outcome and severity over several clients: one line, a list."""

    category: Category
    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def title(self) -> str:
        return f"{len(self.findings)} {self.category.title}"

    @property
    def clients(self) -> list[str]:
        return [f.client or f.label for f in self.findings]

    @property
    def action(self) -> str:
        """The action all members share, each machine's name replaced by « chaque poste »."""
        shared = {_unnamed(f.action, f.client) for f in self.findings}
        return shared.pop() if len(shared) == 1 else ""


def _unnamed(action: str, client: str | None) -> str:
    return action.replace(f"« {client} »", "chaque poste") if client else action


def grouped(findings: list[Finding], minimum: int = GROUP_MINIMUM) -> list[Finding | Group]:
    """Findings in order, those of one category (same outcome, severity) gathered at the first."""
    members: dict[tuple[str, Outcome, Severity], list[Finding]] = {}
    for finding in findings:
        if finding.category is not None:
            members.setdefault(_key(finding.category, finding), []).append(finding)
    out: list[Finding | Group] = []
    placed: set[tuple[str, Outcome, Severity]] = set()
    for finding in findings:
        category = finding.category
        if category is None or len(members[_key(category, finding)]) < minimum:
            out.append(finding)
        elif _key(category, finding) not in placed:
            placed.add(_key(category, finding))
            out.append(Group(category, tuple(members[_key(category, finding)])))
    return out


def _key(category: Category, finding: Finding) -> tuple[str, Outcome, Severity]:
    return category.id, finding.outcome, finding.severity


@dataclass(frozen=True)
class SectionInfo:
    id: str
    title: str
    doc: str | None = None


@dataclass(frozen=True)
class Audit:
    """One audit of one appliance: who, when, against which baseline, and its findings."""

    url: str
    identifier: str | None
    date: datetime
    server_version: str | None
    server_identity: str
    baseline_path: str
    baseline_digest: str
    sections: tuple[SectionInfo, ...]
    findings: tuple[Finding, ...]
    docs_url: str = ""
    request_count: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.failed]

    @property
    def compliant(self) -> bool:
        return not self.failures

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.failures if f.severity is severity)

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome is Outcome.WAIVED]

    def in_section(self, section: str) -> list[Finding]:
        return [f for f in self.findings if f.section == section]

    @property
    def verdict(self) -> str:
        return "conforme" if self.compliant else "non conforme"

    def doc_link(self, finding: Finding) -> str | None:
        """The address of the docs section that documents a finding, when the docs have one.

        Only absolute: a report is opened alone or next to a fleet summary, where a relative
        link to the docs could never resolve; without --docs-url there is no link at all.
        """
        base = self.docs_url.rstrip("/")
        if not finding.doc or not base:
            return None
        page, _, anchor = finding.doc.partition("#")
        return f"{base}/{page}.html" + (f"#{anchor}" if anchor else "")
