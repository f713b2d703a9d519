"""Supervision output: a Nagios/Centreon plugin's answer (Prometheus: checks/reports/prometheus.py).

As the plugin guidelines have it: a short first line, `DATIS STATE - appliance : counts |
perfdata`, that a dashboard shows whole; then the long output, one line per écart (those of
one kind over many clients as one line), at most LISTED of them and saying how many are left
out; and the exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (`nagios_state`).
"""

from __future__ import annotations

from enum import IntEnum

from checks.audit.findings import Audit, Finding, Group, Severity, grouped
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


LISTED = 20
"""Lines of long output at most: Nagios keeps the first 8 KB of a plugin's answer."""

NAMED = 5
"""Clients named on the line of a group, the others counted."""

_GAP = {Severity.CRITICAL: ("critique", "critiques"), Severity.MAJOR: ("majeur", "majeurs"),
        Severity.MINOR: ("mineur", "mineurs")}
"""Each severity as an adjective of « écart »."""


def _counts(audit: Audit) -> str:
    """« 7 écarts (2 critiques, 3 majeurs, 2 mineurs) », « un écart majeur », « conforme »."""
    total = len(audit.failures)
    if not total:
        return f"conforme, {plural(len(audit.findings), 'contrôle')}"
    present = [(s, audit.count(s)) for s in _GAP if audit.count(s)]
    if len(present) == 1:
        one, many = _GAP[present[0][0]]
        return plural(total, f"écart {one}", many=f"écarts {many}")
    detail = ", ".join(f"{count} {_GAP[s][count > 1]}" for s, count in present)
    return f"{plural(total, 'écart')} ({detail})"


def _line(item: Finding | Group) -> str:
    finding = item.first if isinstance(item, Group) else item
    one, _ = _GAP.get(finding.severity, ("", ""))
    if isinstance(item, Group):
        shown, left = item.clients[:NAMED], len(item.clients) - NAMED
        rest = f" et {plural(left, 'autre')}" if left > 0 else ""
        text = f"{item.title} : {', '.join(shown)}{rest}"
    else:
        text = finding.message.split(". ")[0].rstrip(".")
    return f"{one} : {clean(text, 200)}".replace("|", "/")


def long_output(audit: Audit) -> list[str]:
    """The écarts, worst first, one line each; the count of those left out, if any."""
    worst = sorted(audit.failures, key=lambda f: -f.severity.rank)
    items = grouped(worst)
    lines = [_line(item) for item in items[:LISTED]]
    if len(items) > LISTED:
        left = sum(len(i.findings) if isinstance(i, Group) else 1 for i in items[LISTED:])
        others = plural(left, "autre écart non listé", many="autres écarts non listés")
        lines.append(f"… et {others} ici : le rapport de l'audit (--format html ou text) les "
                     "donne tous.")
    return lines


class NagiosWriter:
    def render(self, audit: Audit) -> str:
        state = nagios_state(audit)
        name = audit.identifier or clean(audit.url, 80)
        text = _counts(audit)
        if audit.waived:
            text += f", {plural(len(audit.waived), 'dérogation', feminine=True)}"
        perf = (f"critiques={audit.count(Severity.CRITICAL)};;1;0 "
                f"majeurs={audit.count(Severity.MAJOR)};;1;0 "
                f"mineurs={audit.count(Severity.MINOR)};1;;0 "
                f"derogations={len(audit.waived)};;;0 "
                f"controles={len(audit.findings)};;;0")
        first = f"DATIS {state.name} - {name} : {text.replace('|', '/')} | {perf}"
        return "\n".join([first, *long_output(audit)]) + "\n"

