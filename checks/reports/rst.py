"""The compliance page as reStructuredText, to be included in the Sphinx docs.

Every piece of text from the appliance is escaped character by character, so that a client
named `.. raw:: html` or `` `x`_ `` stays inert text once Sphinx parses the page.
"""

from __future__ import annotations

import re

from checks.audit.findings import Audit
from checks.reports.common import (
    ACTION_LIMIT,
    MAX_TEXT,
    clean,
    french_date,
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
            for finding in findings:
                lines += [f"   * - {escape(status_text(finding))}",
                          f"     - {escape(finding.label)}",
                          f"     - {escape(finding.expected)}",
                          f"     - {escape(finding.observed)}"]
            lines.append("")
            actions = [f for f in findings if f.failed]
            if actions:
                lines += ["**Écarts et actions correctives**", ""]
                for finding in actions:
                    link = audit.doc_link(finding)
                    more = f" (`documentation <{escape(link)}>`__)" if link else ""
                    action = escape(finding.action, ACTION_LIMIT) if finding.action else "—"
                    lines += [f"- {escape(finding.message)}", f"  *Action :* {action}{more}", ""]
            waived = [f for f in findings if f.waiver is not None]
            if waived:
                lines += ["**Dérogations**", ""]
                lines += [f"- {escape(f.label)} : {escape(waiver_text(f))}" for f in waived]
                lines.append("")
        return "\n".join(lines) + "\n"
