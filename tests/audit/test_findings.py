"""Findings add up to an audit exactly: failures, counts by gravity, the verdict, groups of
clients, links to the docs (checks.audit.findings, its public API)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from checks.audit.findings import (
    GROUP_MINIMUM,
    Audit,
    Category,
    Finding,
    Group,
    Outcome,
    SectionInfo,
    Severity,
    WaiverNote,
    grouped,
)

LATE = Category("sante.fichiers.retard", "postes en retard")


def _finding(id: str, outcome: Outcome = Outcome.FAILED, severity: Severity = Severity.MAJOR,
             **more: object) -> Finding:
    return Finding(id, "sante", severity, outcome, f"label {id}", "attendu", "observé",
                   f"message {id}", **more)  # type: ignore[arg-type]


def _audit(*findings: Finding, docs_url: str = "") -> Audit:
    return Audit("http://127.0.0.1:1", "1A2B", datetime(2026, 1, 2, tzinfo=UTC), "2.5.33", "x",
                 "referentiel.toml", "0" * 64, (SectionInfo("sante", "Santé"),), findings,
                 docs_url=docs_url)


def test_severities_rank_from_critical_to_info() -> None:
    assert [s.rank for s in Severity] == [3, 2, 1, 0]


def test_an_audit_counts_its_failures_by_gravity() -> None:
    audit = _audit(_finding("a", severity=Severity.CRITICAL), _finding("b"), _finding("c"),
                   _finding("d", severity=Severity.MINOR),
                   _finding("e", Outcome.PASSED, Severity.INFO),
                   _finding("f", Outcome.INFO, Severity.INFO),
                   _finding("g", Outcome.WAIVED, Severity.CRITICAL))
    assert [f.id for f in audit.failures] == ["a", "b", "c", "d"]
    assert [audit.count(s) for s in Severity] == [1, 2, 1, 0]
    assert [f.id for f in audit.waived] == ["g"]
    assert (audit.compliant, audit.verdict) == (False, "non conforme")
    assert [f.failed for f in audit.findings] == [True] * 4 + [False] * 3


def test_an_audit_without_failure_is_compliant_whatever_it_waived() -> None:
    audit = _audit(_finding("e", Outcome.PASSED, Severity.INFO),
                   _finding("g", Outcome.WAIVED, Severity.CRITICAL))
    assert (audit.compliant, audit.verdict, audit.failures) == (True, "conforme", [])
    assert [f.id for f in audit.in_section("sante")] == ["e", "g"]
    assert audit.in_section("securite") == []


def test_docs_links_are_absolute_and_only_with_a_docs_address() -> None:
    finding = _finding("a", doc="reglages#reglages-plan-fichiers")
    assert _audit(finding).doc_link(finding) is None
    linked = _audit(finding, docs_url="https://docs.inspee.re/datis/")
    assert linked.doc_link(finding) == ("https://docs.inspee.re/datis/reglages.html"
                                        "#reglages-plan-fichiers")
    assert linked.doc_link(replace(finding, doc="audit")) == "https://docs.inspee.re/datis/audit.html"
    assert linked.doc_link(replace(finding, doc=None)) is None
    intranet = _audit(finding, docs_url="https://intranet/DATIX/")
    assert intranet.doc_link(finding) == ("https://intranet/DATIX/reglages.html"
                                          "#reglages-plan-fichiers")


def test_clients_of_one_category_are_grouped_from_three() -> None:
    findings = [_finding(f"sante.{n}.fichiers", category=LATE, client=f"PC-{n}",
                         action=f"Relancer « PC-{n} ».") for n in range(1, GROUP_MINIMUM + 1)]
    alone = _finding("sante.version", severity=Severity.MINOR)
    out = grouped([findings[0], alone, *findings[1:]])
    assert out[1] is alone and len(out) == 2
    group = out[0]
    assert isinstance(group, Group)
    assert group.findings == tuple(findings)
    assert group.first is findings[0]
    assert group.title == f"{GROUP_MINIMUM} postes en retard"
    assert group.clients == ["PC-1", "PC-2", "PC-3"]
    assert group.action == "Relancer chaque poste."
    assert grouped(findings[:GROUP_MINIMUM - 1]) == findings[:GROUP_MINIMUM - 1]
    assert grouped(findings, minimum=4) == findings


def test_a_group_splits_by_outcome_and_gravity() -> None:
    late = [_finding(f"s.{n}", category=LATE, client=f"PC-{n}") for n in range(3)]
    minor = [replace(f, severity=Severity.MINOR) for f in late]
    out = grouped([*late, *minor])
    assert [type(o) for o in out] == [Group, Group]
    assert [len(o.findings) for o in out if isinstance(o, Group)] == [3, 3]


def test_a_group_s_action_is_shared_or_none() -> None:
    mixed = Group(LATE, (_finding("a", client="A", action="Relancer « A »."),
                         _finding("b", client="B", action="Vérifier « B »."),
                         _finding("c", action="")))
    assert mixed.action == ""
    assert mixed.clients == ["A", "B", "label c"]


def test_a_waiver_note_keeps_who_and_until_when() -> None:
    note = WaiverNote("Demandé par écrit.", "C. Tech", date(2030, 1, 31))
    finding = _finding("a", Outcome.WAIVED, waiver=note)
    assert finding.waiver == note and not finding.failed
