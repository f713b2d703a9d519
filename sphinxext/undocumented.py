"""`.. datis-non-documentes:: ONGLET`: the settings of a screen tab the baseline leaves out.

Writers choose what to document next from it: each setting with the key to write in the
baseline, the label and path the UrBackup screen shows, and its value on the reference
appliance (read live or from the snapshot, as the build's other values), or UrBackup's
built-in default when the build read neither, as the line under the table says. A secret
shows only « renseigné » or « non renseigné ». Once the baseline documents a setting, it
leaves the list at the next build.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from checks.audit import undocumented
from checks.settings import screens
from sphinxext import source
from sphinxext.domain import domain_of
from sphinxext.french import french
from sphinxext.warnings import warn

HEADERS = ("Clé", "Écran UrBackup", "Valeur")
ITEM = "non_documentes"


def _cell(*parts: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    for part in parts:
        entry += part
    return entry


def _row(*entries: nodes.entry) -> nodes.row:
    row = nodes.row()
    for entry in entries:
        row += entry
    return row


class DatisNonDocumentes(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True

    @french
    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        tab = screens.find_tab(name)
        if tab is None:
            warn(f"Onglet inconnu « {name} » (onglets : {', '.join(screens.tabs())}).",
                 "section", self.get_location())
            return []
        current = source.values_of(self.env)
        domain = domain_of(self.env)
        domain.note(self.env.docname, f"{ITEM}:{tab}")
        domain.note(self.env.docname, "origine")
        found = source.undocumented_rows(current, tab)
        origin = current.origin if current.live is not None else undocumented.DEFAULTS
        if not found:
            return [nodes.paragraph(text=f"Tous les réglages de l'onglet « {tab} » sont "
                                    "documentés dans le référentiel.")]
        body = nodes.tbody()
        for row in found:
            screen = nodes.paragraph("", "", addnodes.literal_emphasis(row.label, row.label))
            path = nodes.paragraph(text=row.where, classes=["datis-ecran"])
            body += _row(_cell(nodes.paragraph("", "", nodes.literal(row.key, row.key))),
                         _cell(screen, path), _cell(nodes.paragraph(text=row.value)))
        group = nodes.tgroup(cols=len(HEADERS))
        for width in (28, 50, 22):
            group += nodes.colspec(colwidth=width)
        group += nodes.thead("", _row(*(_cell(nodes.paragraph(text=h)) for h in HEADERS)))
        group += body
        table = nodes.table("", group, classes=["datis-non-documentes"])
        self.set_source_info(table)
        caption = nodes.paragraph(text=f"Valeurs : {origin}.", classes=["datis-origine"])
        return [table, caption]


def setup_undocumented(app: Sphinx) -> None:
    app.add_directive("datis-non-documentes", DatisNonDocumentes)
