"""Supervision outputs: a Nagios/Centreon status line, and Prometheus text-file metrics.

Nagios plugins speak through one line (`STATE - text | perfdata`) and their exit code:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. `nagios_state` gives that code for an audit.
"""

from __future__ import annotations

import time
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
    """The plugin convention, `SERVICE STATE - text`: the appliance is named after the dash."""
    return f"DATIS UNKNOWN - {clean(name, 80)} : {clean(message, 200)}\n"


class NagiosWriter:
    def render(self, audit: Audit) -> str:
        state = nagios_state(audit)
        name = audit.identifier or clean(audit.url, 80)
        worst = sorted(audit.failures, key=lambda f: -f.severity.rank)[:3]
        detail = " ; ".join(clean(f.message, 120).rstrip(".") for f in worst)
        text = audit.verdict + (f" : {detail}" if detail else "")
        if audit.waived:
            text += f" ({plural(len(audit.waived), 'dérogation', feminine=True)})"
        perf = (f"critiques={audit.count(Severity.CRITICAL)};;1;0 "
                f"majeurs={audit.count(Severity.MAJOR)};;1;0 "
                f"mineurs={audit.count(Severity.MINOR)};1;;0 "
                f"derogations={len(audit.waived)};;;0 "
                f"controles={len(audit.findings)};;;0")
        return f"DATIS {state.name} - {name} : {text.replace('|', '/')} | {perf}\n"


def _label(value: str) -> str:
    return clean(value, 200).replace("\\", "\\\\").replace('"', '\\"')


def _labels(identifier: str, url: str) -> str:
    return f'appliance="{_label(identifier)}",url="{_label(url)}"'


def _up(labels: str, up: bool) -> list[str]:
    return ["# HELP datis_audit_up 1 si l'audit a pu être mené, 0 s'il a échoué.",
            "# TYPE datis_audit_up gauge", f"datis_audit_up{{{labels}}} {int(up)}"]


def metrics_down(identifier: str, url: str) -> str:
    """The metrics of an audit that could not be made: only `datis_audit_up 0` and when.

    Written in place of the last good file, so that an alert fires rather than old numbers
    staying up as if the appliance were still compliant.
    """
    labels = _labels(identifier, url)
    lines = [*_up(labels, False),
             "# HELP datis_audit_timestamp_seconds Date de l'audit (secondes Unix).",
             "# TYPE datis_audit_timestamp_seconds gauge",
             f"datis_audit_timestamp_seconds{{{labels}}} {int(time.time())}"]
    return "\n".join(lines) + "\n"


class PrometheusWriter:
    """Metrics for node_exporter's text-file collector (write with --output: atomic)."""

    def render(self, audit: Audit) -> str:
        base = _labels(audit.identifier or "", audit.url)
        lines = [
            *_up(base, True),
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
