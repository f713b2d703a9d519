"""`.. datis-reglages:: SECTION`: a baseline section as a table, documented beside live.

Columns: Réglage | Valeur documentée | Valeur réelle | État. Each row whose live value breaks
the baseline rule is a drift at the directive's line, reported by the domain on every build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from checks.settings import catalogue, screens
from sphinxext import source
from sphinxext.domain import domain_of
from sphinxext.drift import drifts_at
from sphinxext.french import french
from sphinxext.warnings import Location, warn

HEADERS = ("Réglage", "Valeur documentée", "Valeur réelle", "État")
STATUS_CLASS = {"conforme": "datis-conforme", "écart": "datis-ecart",
                "non vérifié": "datis-non-verifie"}


def status_node(shown: source.Shown) -> nodes.inline:
    """The setting's state on the appliance: an écart when a client's own value is one."""
    return nodes.inline(text=shown.overall, classes=["datis-etat", STATUS_CLASS[shown.overall]])


def warn_secret(key: str, location: Location) -> None:
    warn(f"« {key} » est un secret : sa valeur n'est jamais affichée ni enregistrée par la "
         "documentation, la page montre « valeur masquée ».", "secret", location)


def known(key: str, current: source.Values, location: Location, *,
          documented: bool = True) -> bool:
    """Whether a key a writer typed exists; if not, warn (urbackup.unknown_setting).

    A documented value needs a baseline rule; a live value only needs the catalogue.
    """
    in_catalogue = catalogue.setting(key) is not None
    if in_catalogue and (not documented or current.baseline is None
                         or key in current.baseline.rules):
        return True
    where = "du référentiel" if in_catalogue else "du catalogue des réglages UrBackup"
    warn(f"Réglage inconnu « {key} » : il n'est pas dans la liste {where}.",
         "unknown_setting", location)
    return False


def _row(cells: list[nodes.Node], *, screen: str | None = None,
         clients: tuple[source.ClientShown, ...] = ()) -> nodes.row:
    """A table row; `screen` adds, under the first cell, where the UrBackup screen shows it;
    `clients`, under the live value, each client's own value and its state."""
    row = nodes.row()
    for index, cell in enumerate(cells):
        entry = nodes.entry()
        entry += nodes.paragraph("", "", cell)
        if index == 0 and screen:
            # The screen's own words, kept as typed (no curly apostrophes): « N'envoyer … ».
            entry += nodes.paragraph("", "", nodes.Text("Écran UrBackup : "),
                                     addnodes.literal_emphasis(screen, screen),
                                     classes=["datis-ecran"])
        if index == 2:
            for client in clients:
                entry += nodes.paragraph(
                    "", f"Client « {client.client} » : {client.live} ({client.origin}, "
                    f"{client.status})", classes=["datis-client", STATUS_CLASS[client.status]])
        row += entry
    return row


def _screen(key: str) -> str | None:
    spot = screens.field(key)
    return spot.where if spot else None


class DatisReglages(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "reglages": directives.unchanged_required,
    }

    @french
    def run(self) -> list[nodes.Node]:
        current = source.values_of(self.env)
        section = self.arguments[0].strip()
        location = self.get_location()
        domain = domain_of(self.env)
        domain.note(self.env.docname, f"section:{section}")
        domain.note(self.env.docname, "origine")
        if current.baseline is None:
            return [nodes.paragraph(text="Référentiel invalide : tableau des réglages non "
                                    "affiché (voir l'avertissement urbackup.baseline).")]
        if section not in current.baseline.sections:
            warn(f"Section du référentiel inconnue « {section} » (sections : "
                 f"{', '.join(current.baseline.sections)}).", "section", location)
            return []
        keys = [rule.key for rule in current.baseline.rules_of(section)]
        if "reglages" in self.options:
            keys = [k.strip() for k in self.options["reglages"].split(",") if k.strip()]
            keys = [k for k in keys if known(k, current, location)]
            for key in keys:
                if catalogue.is_secret(key):
                    warn_secret(key, location)
        body = nodes.tbody()
        for key in keys:
            shown = source.show(current, key)
            domain.note(self.env.docname, f"reglage:{key}")
            for drift in drifts_at(self.env, shown, *self.get_source_info()):
                domain.note_drift(self.env.docname, drift)
            body += _row([nodes.Text(shown.label), nodes.Text(shown.documented),
                          nodes.Text(shown.live), status_node(shown)], screen=_screen(key),
                         clients=shown.clients)
        group = nodes.tgroup(cols=len(HEADERS))
        for width in (40, 22, 22, 16):
            group += nodes.colspec(colwidth=width)
        group += nodes.thead("", _row([nodes.Text(h) for h in HEADERS]))
        group += body
        table = nodes.table("", group, classes=["datis-reglages"])
        self.set_source_info(table)
        caption = nodes.paragraph(text=f"Valeurs réelles : {current.origin}.",
                                  classes=["datis-origine"])
        return [table, caption]


def setup_table(app: Sphinx) -> None:
    app.add_directive("datis-reglages", DatisReglages)
