"""Supervision outputs: a Nagios/Centreon status line, and Prometheus text-file metrics.

Nagios plugins speak through one line (`STATE - text | perfdata`) and their exit code:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. `nagios_state` gives that code for an audit.
"""

from __future__ import annotations

from enum import IntEnum

from checks.audit.findings import Audit, Severity
from checks.audit.values import plural
from checks.reports.common import clean


class NagiosState(IntEnum):
    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3


def nagios_state(audit: Audit) -> NagiosState:
    """Critical or major gaps: CRITICAL; minor ones only: WARNING; none: OK."""
    if audit.count(Severity.CRITICAL) or audit.count(Severity.MAJOR):
        return NagiosState.CRITICAL
    if audit.failures:
        return NagiosState.WARNING
    return NagiosState.OK


def unknown_line(name: str, message: str) -> str:
    return f"DATIS {clean(name, 80)} UNKNOWN - {clean(message, 200)}\n"


class NagiosWriter:
    def render(self, audit: Audit) -> str:
        state = nagios_state(audit)
        name = audit.identifier or clean(audit.url, 80)
        worst = sorted(audit.failures, key=lambda f: -f.severity.rank)[:3]
        detail = "; ".join(clean(f.message, 120) for f in worst)
        text = audit.verdict + (f" : {detail}" if detail else "")
        if audit.waived:
            text += f" ({plural(len(audit.waived), 'dérogation', feminine=True)})"
        perf = (f"critiques={audit.count(Severity.CRITICAL)};;1;0 "
                f"majeurs={audit.count(Severity.MAJOR)};;1;0 "
                f"mineurs={audit.count(Severity.MINOR)};1;;0 "
                f"derogations={len(audit.waived)};;;0 "
                f"controles={len(audit.findings)};;;0")
        return f"DATIS {name} {state.name} - {text.replace('|', '/')} | {perf}\n"


def _label(value: str) -> str:
    return clean(value, 200).replace("\\", "\\\\").replace('"', '\\"')


class PrometheusWriter:
    """Metrics for node_exporter's text-file collector (write with --output: atomic)."""

    def render(self, audit: Audit) -> str:
        base = f'appliance="{_label(audit.identifier or "")}",url="{_label(audit.url)}"'
        lines = [
            "# HELP datis_audit_compliant 1 si l'appliance est conforme au référentiel.",
            "# TYPE datis_audit_compliant gauge",
            f"datis_audit_compliant{{{base}}} {int(audit.compliant)}",
            "# HELP datis_audit_gaps Écarts constatés, par gravité.",
            "# TYPE datis_audit_gaps gauge",
        ]
        for severity in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR):
            lines.append(f'datis_audit_gaps{{{base},gravite="{severity.value}"}} '
                         f"{audit.count(severity)}")
        lines += [
            "# HELP datis_audit_waived Écarts acceptés par dérogation.",
            "# TYPE datis_audit_waived gauge",
            f"datis_audit_waived{{{base}}} {len(audit.waived)}",
            "# HELP datis_audit_checks Contrôles effectués.",
            "# TYPE datis_audit_checks gauge",
            f"datis_audit_checks{{{base}}} {len(audit.findings)}",
            "# HELP datis_audit_timestamp_seconds Date de l'audit (secondes Unix).",
            "# TYPE datis_audit_timestamp_seconds gauge",
            f"datis_audit_timestamp_seconds{{{base}}} {int(audit.date.timestamp())}",
        ]
        return "\n".join(lines) + "\n"
