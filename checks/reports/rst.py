"""The compliance page as reStructuredText, to be included in the Sphinx docs.

Findings of one kind over many clients are one row of the table, as in the terminal; their
machines are listed in full, in one paragraph, with the action below the table.

Every piece of text from the appliance is escaped character by character, so that a client
named `.. raw:: html` or `` `x`_ `` stays inert text once Sphinx parses the page.
"""

from __future__ import annotations

import re

from checks.audit.findings import Audit, Finding, Group, grouped
from checks.french.typography import typeset_rst
from checks.reports.common import (
    ACTION_LIMIT,
    MAX_TEXT,
    clean,
    french_date,
    group_action,
    shared,
    status_text,
    summary,
    title,
    waiver_text,
)

_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def escape(text: object, limit: int = MAX_TEXT) -> str:
    """Inert reST: every ASCII punctuation character backslash-escaped, one clean line."""
    value = clean(text, limit).strip()
    return _SPECIAL.sub(r"\\\1", value) if value else "—"


def _heading(text: str, char: str) -> list[str]:
    return [text, char * max(4, len(text) + 2), ""]


class RstWriter:
    def render(self, audit: Audit) -> str:
        lines = _heading(escape(title(audit)), "=")
        lines += [
            f":Adresse: {escape(audit.url)}",
            f":Date: {escape(french_date(audit.date))}",
            f":Serveur UrBackup: {escape(audit.server_version or 'version inconnue')}",
            f":Verdict: **{escape(audit.verdict)}**",
            "",
            escape(summary(audit)),
            "",
        ]
        for section in audit.sections:
            findings = audit.in_section(section.id)
            if not findings:
                continue
            lines += _heading(escape(section.title), "-")
            lines += [".. list-table::", "   :header-rows: 1", "   :widths: 14 34 26 26", ""]
            lines += ["   * - Statut", "     - Contrôle", "     - Documenté", "     - Observé"]
            rows = grouped(findings)
            for row in rows:
                lines += _row(row)
            lines.append("")
            failed = [row for row in rows if _first(row).failed]
            if failed:
                lines += ["**Écarts et actions correctives**", ""]
                for row in failed:
                    link = audit.doc_link(_first(row))
                    more = f" (`documentation <{escape(link)}>`__)" if link else ""
                    lines += _action(row, more)
            waived = [f for f in findings if f.waiver is not None]
            if waived:
                lines += ["**Dérogations**", ""]
                lines += [f"- {escape(f.label)} : {escape(waiver_text(f))}" for f in waived]
                lines.append("")
        return typeset_rst("\n".join(lines) + "\n")


def _first(row: Finding | Group) -> Finding:
    return row.first if isinstance(row, Group) else row


def _row(row: Finding | Group) -> list[str]:
    """One row of a section's table: a finding, or a group's count and shared values."""
    if isinstance(row, Group):
        cells = [status_text(row.first), row.title,
                 shared([f.expected for f in row.findings]),
                 shared([f.observed for f in row.findings])]
    else:
        cells = [status_text(row), row.label, row.expected, row.observed]
    first, *rest = (escape(cell) for cell in cells)
    return [f"   * - {first}", *(f"     - {cell}" for cell in rest)]


def _action(row: Finding | Group, more: str) -> list[str]:
    """Why and what to do; for a group, every machine named once, in one paragraph."""
    if isinstance(row, Group):
        machines = ", ".join(escape(name, 60) for name in row.clients)
        action = escape(group_action(row), ACTION_LIMIT + 100) if group_action(row) else "—"
        return [f"- {escape(row.title)} : {machines}.", f"  *Action :* {action}{more}", ""]
    action = escape(row.action, ACTION_LIMIT) if row.action else "—"
    return [f"- {escape(row.message)}", f"  *Action :* {action}{more}", ""]
