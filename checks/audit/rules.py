"""Audit rules: from one appliance reading and the baseline, the findings.

Four families, each a function: the baseline's rules on the global settings, the clients
that override a documented setting, security (open access, transport, web users: in
`security`) and backup health (ages against the plan, failures, offline clients, storage,
server version: in `health`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checks.appliance.model import ClientSetting, is_set, overrides_of
from checks.appliance.reading import ApplianceReading, ClientReading, Redacted
from checks.audit.baseline import Baseline, Rule
from checks.audit.baseline import Severity as BaselineSeverity
from checks.audit.findings import Audit, Category, Finding, Outcome, SectionInfo, Severity
from checks.audit.health import HEALTH, health_findings
from checks.audit.options import AuditOptions as AuditOptions
from checks.audit.security import SECURITY, security_findings
from checks.settings import screens, values
from checks.settings.catalogue import Kind


def _severity(rule: Rule) -> Severity:
    return {BaselineSeverity.CRITICAL: Severity.CRITICAL, BaselineSeverity.MAJOR: Severity.MAJOR,
            BaselineSeverity.MINOR: Severity.MINOR}[rule.severity]


def observed_text(rule: Rule, raw: Any) -> str:
    """A live value as a report shows it; secrets only say whether they are set."""
    if rule.setting.secret or isinstance(raw, Redacted):
        return "(secret) renseigné" if is_set(raw) else "(secret) non renseigné"
    if raw is None:
        return "(absent)"
    return values.display_raw(rule.setting.kind, raw)


def baseline_findings(reading: ApplianceReading, baseline: Baseline) -> list[Finding]:
    findings = []
    for rule in baseline.rules.values():
        section = baseline.sections[rule.section]
        raw = reading.value(rule.key)
        present = reading.has(rule.key)
        passed = present and rule.check(raw)
        label = rule.setting.label
        if not present:
            message = f"{label} : réglage absent des réponses du serveur."
        elif passed:
            message = f"{label} : conforme."
        else:
            message = (f"{label} : {observed_text(rule, raw)}{_invalid(rule, raw)}, attendu : "
                       f"{rule.expected_text()}.")
        findings.append(Finding(
            id=f"reglage.{rule.key}",
            section=rule.section,
            severity=_severity(rule),
            outcome=Outcome.PASSED if passed else Outcome.FAILED,
            label=label,
            expected=rule.expected_text(),
            observed=observed_text(rule, raw),
            message=message if passed else f"{message} {rule.reason}",
            action="" if passed else _action(rule),
            doc=f"reglages#{section.doc}",
            key=rule.key,
        ))
    return findings


def _invalid(rule: Rule, raw: Any) -> str:
    """Why a value is not of its kind (« n'est pas une adresse e-mail »), or nothing."""
    if rule.setting.secret or raw is None or isinstance(raw, Redacted) or not str(raw).strip():
        return ""
    try:
        values.normalize(rule.setting.kind, raw)
    except ValueError:
        return f" ({_KIND_NAME.get(rule.setting.kind, 'valeur illisible')})"
    return ""


_KIND_NAME = {
    Kind.HOST: "ni un nom d'hôte ni une adresse IP",
    Kind.MAILBOX: "pas une adresse e-mail",
    Kind.ADDRESSES: "pas une liste d'adresses e-mail",
}


def _action(rule: Rule) -> str:
    """What to change on the screen, in its own words, or the command that does it."""
    where = screens.reach(rule.key)
    if rule.setting.secret:
        return (f"Dans {where}, saisir le secret (jamais affiché) puis cliquer "
                f"« {screens.SAVE} » ; ou lancer « datis-audit fix », qui le demande.")
    what = screens.entry(rule.key, rule.documented, seconds=rule.setting.kind is Kind.SECONDS)
    return (f"Dans {where}, {what} puis cliquer « {screens.SAVE} » ; ou lancer "
            "« datis-audit fix ».")


def override_findings(reading: ApplianceReading, baseline: Baseline) -> list[Finding]:
    """Clients whose own settings replace a documented one (from the `use` bits)."""
    findings = []
    for client, setting in overrides_of(reading.clients, baseline.client_keys()):
        findings.append(_override(client, baseline.rules[setting.key], setting, baseline))
    return findings


def _override(client: ClientReading, rule: Rule, setting: ClientSetting,
              baseline: Baseline) -> Finding:
    """A client's own value: an écart if it breaks the rule, else information only."""
    effective = setting.effective
    ok = rule.check(effective)
    origin = "imposé depuis l'agent du poste" if setting.pushed_by_client else \
        "défini pour ce client dans l'interface"
    label = rule.setting.label
    message = (f"Le client « {client.name} » a son propre réglage « {label} » ({origin}) : "
               f"{observed_text(rule, effective)}")
    if ok:
        same = _same(rule, effective)
        message += (", la valeur documentée." if same else
                    " ; la valeur reste conforme au référentiel.")
    else:
        message += f", attendu : {rule.expected_text()}."
    return Finding(
        id=f"client.{client.id}.{rule.key}",
        section=rule.section,
        severity=Severity.INFO if ok else _severity(rule),
        outcome=Outcome.INFO if ok else Outcome.FAILED,
        label=f"{label} — {client.name}",
        expected=rule.expected_text(),
        observed=observed_text(rule, effective),
        message=message,
        action="" if ok else (
            f"Dans {screens.reach_for_client(rule.key, client.name)}, "
            f"{screens.INHERIT_BUTTON} puis cliquer « {screens.SAVE} » ; ou lancer "
            "« datis-audit fix »."),
        doc=f"reglages#{baseline.sections[rule.section].doc}",
        key=rule.key,
        client=client.name,
        category=Category(f"client.{rule.key}", f"postes ayant leur propre réglage « {label} »"),
    )


def _same(rule: Rule, raw: Any) -> bool:
    try:
        return bool(values.normalize(rule.setting.kind, raw) == rule.documented)
    except ValueError:
        return False


FAMILIES: tuple[Callable[[ApplianceReading, Baseline, AuditOptions], list[Finding]], ...] = (
    lambda r, b, o: baseline_findings(r, b),
    lambda r, b, o: override_findings(r, b),
    lambda r, b, o: security_findings(r),
    lambda r, b, o: health_findings(r, o),
)


def audit(reading: ApplianceReading, baseline: Baseline,
          options: AuditOptions | None = None) -> Audit:
    """Every rule on one reading: the audit a report lays out."""
    options = options or AuditOptions()
    findings = [f for family in FAMILIES for f in family(reading, baseline, options)]
    documented = [SectionInfo(s.id, s.title, f"reglages#{s.doc}")
                  for s in baseline.sections.values()]
    sections = (*documented, SECURITY, HEALTH)
    return Audit(
        url=reading.url,
        identifier=reading.identifier,
        date=reading.taken_at,
        server_version=reading.version,
        server_identity=reading.server_identity,
        baseline_path=baseline.path,
        baseline_digest=baseline.digest,
        sections=sections,
        findings=tuple(findings),
        docs_url=options.docs_url,
        request_count=reading.request_count,
    )
