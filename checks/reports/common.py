"""What every writer shares: clean text, French dates, labels of outcomes and severities."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime

from checks.audit.findings import Audit, Finding, Group, Outcome, Severity
from checks.french import dates
from checks.french.numbers import agree, plural

MAX_TEXT = 300
DEFAULT_WIDTH = 100
"""Columns of a terminal output when there is no terminal to ask (a pipe, a file)."""
NARROWEST = 20
"""Columns of text a wrapped paragraph keeps however deep it is indented."""
ACTION_LIMIT = 600
"""An action names a whole path on the screen and a machine: it is allowed more room."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")

OUTCOME_TEXT = {Outcome.PASSED: "conforme", Outcome.FAILED: "écart",
                Outcome.INFO: "information", Outcome.WAIVED: "dérogation"}
SEVERITY_TEXT = {Severity.CRITICAL: "critique", Severity.MAJOR: "majeure",
                 Severity.MINOR: "mineure", Severity.INFO: "info"}
"""A severity as a word agreeing with « la gravité » (the JSON report's field values)."""
GAP_TEXT = {Severity.CRITICAL: "critique", Severity.MAJOR: "majeur", Severity.MINOR: "mineur"}
"""A severity agreeing with « un écart »: « un écart majeur », « deux écarts mineurs »."""


def clean(text: object, limit: int = MAX_TEXT) -> str:
    """One line of printable text, bounded: what any report may show of a value."""
    value = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text).replace("\n", " "))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def wrap(text: str, width: int, *, indent: str = "", hanging: str | None = None) -> list[str]:
    """`text` in lines of at most `width` columns, cut between words only.

    Never inside a word, a name, an address or a path (one longer than the line keeps its own
    line); never at the space French typography keeps with its sign (after «, before » : ; !
    ?): a line ending on a lone « or starting with a colon reads as a typo. textwrap breaks at
    ASCII spaces only, so a non-breaking space in the text holds too. `hanging` indents the
    lines after the first (default: `indent`).
    """
    after = indent if hanging is None else hanging
    room = max(width, max(len(indent), len(after)) + NARROWEST)
    lines = textwrap.wrap(sticky(text), room, initial_indent=indent, subsequent_indent=after,
                          break_long_words=False, break_on_hyphens=False)
    return [unstick(line) for line in lines] or [indent.rstrip()]


_STICKY = re.compile(r"(?<=«) | (?=[»:;!?])")
"""The spaces French typography keeps with their sign: after «, before » : ; ! ?"""
_GLUE = "\ue000"
"""A private-use sign one column wide that no wrapper takes for a space."""


def sticky(text: str) -> str:
    """`text` with the spaces French typography keeps with their sign glued, for a wrapper
    that breaks at any space, no-break ones included (rich does); `unstick` gives them back."""
    return _STICKY.sub(_GLUE, text)


def unstick(text: str) -> str:
    """The glued spaces of `sticky` made spaces again (then typeset, or left plain)."""
    return text.replace(_GLUE, " ")


def french_date(moment: datetime, *, zone: bool = True) -> str:
    """« 8 décembre 2026 à 05:14 (heure de Paris) »: the one way a report dates a reading."""
    return dates.long_date(moment, zone=zone)


def title(audit: Audit) -> str:
    who = f"DATIS {audit.identifier}" if audit.identifier else clean(audit.url)
    return f"Page de conformité — {who}"


def summary(audit: Audit) -> str:
    count = len(audit.waived)
    waived = (f" {plural(count, 'écart').capitalize()} {agree(count, 'accepté')} par "
              "dérogation.") if count else ""
    if audit.compliant:
        return "Conforme : l'appliance est configurée comme documenté." + waived
    counts = [(audit.count(s), GAP_TEXT[s]) for s in (Severity.CRITICAL, Severity.MAJOR,
                                                      Severity.MINOR)]
    parts = [f"{n} {agree(n, label)}" for n, label in counts if n]
    return f"Non conforme : {plural(len(audit.failures), 'écart')} ({', '.join(parts)})." + waived


def waiver_text(finding: Finding) -> str:
    """« Dérogation de X jusqu'au 31/03/2027 : justification », or nothing."""
    note = finding.waiver
    if note is None:
        return ""
    return (f"Dérogation de {clean(note.author, 80)} jusqu'au {note.expiry:%d/%m/%Y} : "
            f"{clean(note.justification)}")


def status_text(finding: Finding) -> str:
    if finding.outcome is Outcome.FAILED:
        return f"écart {GAP_TEXT.get(finding.severity, '')}".strip()
    return OUTCOME_TEXT[finding.outcome]


def shared(values: list[str]) -> str:
    """The one value every member of a group shows, or a pointer to the list."""
    return clean(values[0]) if len(set(values)) == 1 else "selon le poste"


def group_action(group: Group) -> str:
    """What to do for every machine of a group: the action they share, or, when each action
    names its machine, the first one's as the example of the others."""
    if group.action:
        return clean(group.action, ACTION_LIMIT)
    if group.first.action:
        example = clean(group.first.client or "", 60)
        return (f"Pour chaque poste, comme pour {example} : "
                f"{clean(group.first.action, ACTION_LIMIT)}")
    return ""
