"""Supervision output: a Nagios/Centreon status line (Prometheus: checks/reports/prometheus.py).

Nagios plugins speak through one line (`STATE - text | perfdata`) and their exit code:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. `nagios_state` gives that code for an audit.
"""

from __future__ import annotations

from enum import IntEnum

from checks.audit.findings import Audit, Severity
from checks.reports.common import clean
from checks.settings.values import plural


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

