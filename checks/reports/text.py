"""The terminal summary: one table per section, colours only on a terminal (rich)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.audit.findings import Audit, Outcome, Severity
from checks.reports.common import (
    ACTION_LIMIT,
    clean,
    french_date,
    status_text,
    summary,
    title,
    waiver_text,
)

_STYLE = {Severity.CRITICAL: "bold red", Severity.MAJOR: "red", Severity.MINOR: "yellow"}


class TextWriter:
    def __init__(self, *, color: bool, width: int = 110) -> None:
        self.color = color
        self.width = width

    def render(self, audit: Audit) -> str:
        out = io.StringIO()
        console = Console(file=out, force_terminal=self.color, no_color=not self.color,
                          color_system="standard" if self.color else None, width=self.width,
                          highlight=False, emoji=False)
        console.print(Text(title(audit), style="bold"))
        console.print(Text(f"Adresse : {clean(audit.url)}"))
        console.print(Text(f"Date : {french_date(audit.date)} — serveur UrBackup "
                           f"{audit.server_version or 'version inconnue'}"))
        verdict_style = "bold green" if audit.compliant else "bold red"
        console.print(Text(summary(audit), style=verdict_style))
        for section in audit.sections:
            findings = audit.in_section(section.id)
            if not findings:
                continue
            table = Table(title=section.title, title_justify="left", expand=True,
                          show_lines=False)
            table.add_column("Statut", no_wrap=True)
            table.add_column("Contrôle", ratio=3)
            table.add_column("Documenté", ratio=2)
            table.add_column("Observé", ratio=2)
            for finding in findings:
                style = _STYLE.get(finding.severity, "") if finding.failed else (
                    "green" if finding.outcome is Outcome.PASSED else
                    "cyan" if finding.outcome is Outcome.WAIVED else "")
                table.add_row(Text(status_text(finding), style=style),
                              Text(clean(finding.label)), Text(clean(finding.expected)),
                              Text(clean(finding.observed)))
            console.print()
            console.print(table)
            for finding in findings:
                if finding.failed and finding.action:
                    console.print(Text(f"  → {clean(finding.action, ACTION_LIMIT)}"))
                if finding.waiver is not None:
                    console.print(Text(f"  ≈ {waiver_text(finding)}", style="cyan"))
        return out.getvalue()
