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

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED


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
