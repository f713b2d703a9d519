"""The terminal summary: what needs doing first, at the terminal's width (rich).

A summary, not the full page: a section whose checks all pass is one line; elsewhere the
table shows what is not compliant, and the passed checks are counted. Findings of one
category over many clients are one row, their machines listed once and shortened (the JSON
and HTML reports list them all). Below each table, every écart says why and what to do, on
which machine.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.audit.findings import Audit, Finding, Group, Outcome, Severity, grouped
from checks.french.numbers import count as counted
from checks.french.typography import typeset
from checks.reports.common import (
    ACTION_LIMIT,
    DEFAULT_WIDTH,
    clean,
    french_date,
    group_action,
    shared,
    status_text,
    sticky,
    summary,
    title,
    unstick,
    waiver_text,
    wrap,
)

NAME_LINES = 2
"""How many lines a group's list of machines may take before it is shortened."""

_STYLE = {Severity.CRITICAL: "bold red", Severity.MAJOR: "red", Severity.MINOR: "yellow"}


def _style(finding: Finding) -> str:
    if finding.failed:
        return _STYLE.get(finding.severity, "")
    return {Outcome.PASSED: "green", Outcome.WAIVED: "cyan"}.get(finding.outcome, "")


def _checks(count: int) -> str:
    return counted(count, "contrôle conforme", "contrôles conformes")


def names(machines: list[str], room: int) -> str:
    """« A, B, C » or, past `room` characters, « A, B … et 97 autres »."""
    shown: list[str] = []
    used = 0
    for index, machine in enumerate(machines):
        piece = clean(machine, 60)
        rest = len(machines) - index
        if shown and used + len(piece) + 2 > room and rest > 1:
            return ", ".join(shown) + f" … et {rest} autres"
        shown.append(piece)
        used += len(piece) + 2
    return ", ".join(shown)


class TextWriter:
    def __init__(self, *, color: bool, width: int | None = None) -> None:
        self.color = color
        self.width = width or DEFAULT_WIDTH

    def render(self, audit: Audit) -> str:
        out = io.StringIO()
        console = Console(file=out, force_terminal=self.color, no_color=not self.color,
                          color_system="standard" if self.color else None, width=self.width,
                          highlight=False, emoji=False)
        console.print(Text(sticky(title(audit)), style="bold"))
        console.print(Text(sticky(f"Adresse : {clean(audit.url)}")))
        console.print(Text(sticky(f"Date : {french_date(audit.date)} — serveur UrBackup "
                                  f"{audit.server_version or 'version inconnue'}")))
        verdict_style = "bold green" if audit.compliant else "bold red"
        console.print(Text(sticky(summary(audit)), style=verdict_style))
        console.print()
        shown = [(s, audit.in_section(s.id)) for s in audit.sections if audit.in_section(s.id)]
        for section, findings in shown:
            if all(f.outcome is Outcome.PASSED for f in findings):
                console.print(Text.assemble(("✓ ", "green"), (section.title, "bold"),
                                            f" : {_checks(len(findings))}."))
        for section, findings in shown:
            passed = [f for f in findings if f.outcome is Outcome.PASSED]
            if len(passed) < len(findings):
                self._section(console, section.title,
                              [f for f in findings if f.outcome is not Outcome.PASSED],
                              len(passed))
        lines = out.getvalue().splitlines()
        return typeset(unstick("".join(line.rstrip() + "\n" for line in lines)))

    def _section(self, console: Console, heading: str, shown: list[Finding],
                 passed: int) -> None:
        console.print()
        table = Table(title=heading, title_justify="left", title_style="bold", expand=True,
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("Statut", no_wrap=True)
        table.add_column("Contrôle", ratio=2)
        table.add_column("Documenté", ratio=1)
        table.add_column("Observé", ratio=1)
        rows = grouped(shown)
        for row in rows:
            if isinstance(row, Group):
                table.add_row(Text(status_text(row.first), style=_style(row.first)),
                              Text(sticky(row.title)),
                              Text(sticky(shared([f.expected for f in row.findings]))),
                              Text(sticky(shared([f.observed for f in row.findings]))))
            else:
                table.add_row(Text(status_text(row), style=_style(row)),
                              Text(sticky(clean(row.label))),
                              Text(sticky(clean(row.expected))),
                              Text(sticky(clean(row.observed))))
        console.print(table)
        if passed:
            console.print(Text(f"Et {_checks(passed)}.", style="green"))
        details = Table.grid(padding=(0, 1))
        details.add_column(no_wrap=True)
        details.add_column()
        for row in rows:
            self._details(details, row)
        if details.row_count:
            console.print()
            console.print(details)

    def _details(self, details: Table, row: Finding | Group) -> None:
        """Why (one line per écart or group) and what to do, naming the machine."""
        if isinstance(row, Group):
            if not row.first.failed:
                return
            room = NAME_LINES * (self.width - 4) - len(row.title) - 3
            listed = names(row.clients, room)
            folded = " (liste complète : --format html ou json)" if "…" in listed else ""
            details.add_row(Text("✗", style=_style(row.first)),
                            self._wrapped(f"{row.title} : {listed}{folded}.", 2))
            action = group_action(row)
            if action:
                details.add_row("", self._arrow(action))
            return
        if row.failed:
            details.add_row(Text("✗", style=_style(row)), self._wrapped(clean(row.message), 2))
            if row.action:
                details.add_row("", self._arrow(_named(row)))
        if row.waiver is not None:
            details.add_row(Text("≈", style="cyan"),
                            self._wrapped(waiver_text(row), 2, style="cyan"))

    def _wrapped(self, text: str, indent: int, style: str = "") -> Text:
        """Text cut to the width left after `indent` columns, between words only (rich would
        break at the space inside guillemets). Only a word longer than the whole line is
        folded, whole, over the next (rich would end it with « … »)."""
        return Text("\n".join(wrap(text, self.width - indent)), style=style, overflow="fold")

    def _arrow(self, action: str) -> Table:
        """« → what to do », its next lines aligned on the text, not under the arrow."""
        line = Table.grid(padding=(0, 1))
        line.add_column(no_wrap=True)
        line.add_column()
        line.add_row("→", self._wrapped(action, 4))
        return line


def _named(finding: Finding) -> str:
    """The action, preceded by its machine when the action does not name it already."""
    action = clean(finding.action, ACTION_LIMIT)
    if finding.client and clean(finding.client) not in action:
        return f"{clean(finding.client, 60)} : {action}"
    return action
