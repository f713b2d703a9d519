"""`.. datis-historique::`: the reference appliance's audits over time, in the docs.

The history folder is `datis_history` (variable DATIS_HISTORY), filled by `datis-audit
--history`. The appliance is the `:appliance:` option, else the docs' reference appliance
(`datis_appliance`), else the only one of the folder. The page shows the chart of
`datis-audit history` (HTML builders only), then the same figures as a table and the changes
between consecutive audits (every builder). Without a history the page says how to make one,
with no warning: a build in documented mode still passes with `-W`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from checks.audit.timeline import SEVERITIES, ApplianceHistory
from checks.errors import DatisError
from checks.french import dates
from checks.french.numbers import count
from checks.french.typography import typeset_html
from checks.operations import history
from checks.reports.common import clean
from checks.reports.history import chart, when
from sphinxext.french import french
from sphinxext.warnings import warn

NO_HISTORY = (
    "Aucun historique d'audits n'a été fourni à cette construction. Pour l'ajouter, auditez "
    "l'appliance avec ", "datis-audit --url ADRESSE --history historique", " à chaque "
    "visite, puis construisez la documentation avec la variable ", "DATIS_HISTORY=historique",
    ".",
)
"""Text and commands in turn: commands are literals, which smart quotes leave alone."""


class DatisHistorique(SphinxDirective):
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "appliance": directives.unchanged_required}

    @french
    def run(self) -> list[nodes.Node]:
        folder = self.config.datis_history
        if not folder:
            return [_note(NO_HISTORY)]
        root = Path(folder)
        self.env.note_dependency(str(root))
        try:
            histories = history.load(root)
        except DatisError as exc:
            return self._fail(exc.message)
        chosen = self._choose(histories)
        if chosen is None:
            return [_note(NO_HISTORY)]
        self.env.note_dependency(str(root / chosen.key))
        return _render(chosen)

    def _choose(self, histories: list[ApplianceHistory]) -> ApplianceHistory | None:
        wanted = self.options.get("appliance") or self.config.datis_appliance
        if wanted:
            found = next((h for h in histories if h.matches(wanted)), None)
            if found is None:
                self._fail(f"Historique {self.config.datis_history} : aucun audit de "
                           f"l'appliance « {clean(wanted, 120)} ».")
            return found
        if len(histories) == 1:
            return histories[0]
        self._fail(f"Historique {self.config.datis_history} : {len(histories)} appliances ; "
                   "précisez laquelle avec l'option :appliance: (identifiant ou adresse).")
        return None

    def _fail(self, message: str) -> list[nodes.Node]:
        warn(message, "history", (self.env.docname, self.lineno))
        return [_note(NO_HISTORY)]


def _note(parts: tuple[str, ...]) -> nodes.Node:
    paragraph = nodes.paragraph()
    for index, part in enumerate(parts):
        paragraph += nodes.literal(text=part) if index % 2 else nodes.Text(part)
    return nodes.note("", paragraph)


def _render(chosen: ApplianceHistory) -> list[nodes.Node]:
    points = chosen.points
    intro = nodes.paragraph(text=f"{clean(chosen.name, 120)} : {count(len(points), 'audit')}, "
                                 f"du {when(points[0].date)} au "
                                 f"{when(points[-1].date)} ({dates.ZONE}).")
    figure = nodes.raw("", typeset_html(f'<figure class="datis-historique">\n{chart(chosen)}\n'
                                        "</figure>"), format="html")
    rows = [[when(p.date), p.verdict, *(str(p.counts[s]) for s in SEVERITIES)]
            for p in points]
    table = _table(["Audit", "Verdict", *SEVERITIES], rows)
    changes = nodes.bullet_list()
    for step in chosen.steps():
        item = nodes.list_item()
        span = f"Du {when(step.before.date)} au {when(step.after.date)}"
        item += nodes.paragraph(text=span + ("" if step.changes else " : aucun changement."))
        if step.changes:
            inner = nodes.bullet_list()
            for change in step.changes:
                inner += nodes.list_item("", nodes.paragraph(
                    text=f"{change.kind.capitalize()} — {clean(change.label)} : "
                         f"{clean(change.detail)}"))
            item += inner
        changes += item
    found: list[nodes.Node] = [intro, figure, table]
    if len(changes):
        found += [nodes.paragraph(text="Changements d'un audit au suivant :"), changes]
    return found


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table(classes=["datis-historique"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)

    def row(cells: list[str]) -> nodes.row:
        line = nodes.row()
        line.extend(nodes.entry("", nodes.paragraph(text=cell)) for cell in cells)
        return line

    group += nodes.thead("", row(header))
    group += nodes.tbody("", *(row(r) for r in rows))
    return table


def setup_history(app: Sphinx) -> None:
    app.add_directive("datis-historique", DatisHistorique)
