"""`.. datis-conformite:: [PAGE]`: a page written by `datis-audit --format rst`, in the docs.

Without an argument the page is `datis_compliance_page` (variable DATIS_COMPLIANCE_PAGE). The
page is parsed as reST into the current document, and the document depends on the file, so
that it is read again when the page is regenerated. Without a page the docs say how to make
one, with no warning: a build without the demo still passes with `-W`.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from checks.files import oserrors
from sphinxext import source
from sphinxext.domain import domain_of
from sphinxext.french import french
from sphinxext.warnings import warn

AUDIT_COMMAND = "datis-audit --url ADRESSE --format rst --output conformite.rst"
BUILD_VARIABLE = "DATIS_COMPLIANCE_PAGE=conformite.rst"


def no_page() -> nodes.note:
    """How to add the page; the command and the variable are literals, to be pasted as is.

    (In plain text, Sphinx's smart quotes would turn « -- » into an en dash.)
    """
    return nodes.note("", nodes.paragraph(
        "", "",
        nodes.Text("Aucune page de conformité n'a été fournie à cette construction. Pour "
                   "l'ajouter, auditez l'appliance avec "),
        nodes.literal(AUDIT_COMMAND, AUDIT_COMMAND),
        nodes.Text(", puis construisez la documentation avec la variable "),
        nodes.literal(BUILD_VARIABLE, BUILD_VARIABLE),
        nodes.Text(".")))


class DatisConformite(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True

    @french
    def run(self) -> list[nodes.Node]:
        if self.arguments:
            path: Path | None = Path(self.env.relfn2path(self.arguments[0])[1])
        else:
            domain_of(self.env).note(self.env.docname, "conformite")
            path = source.values_of(self.env).compliance_page
        if path is None:
            return [no_page()]
        self.env.note_dependency(str(path))
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = oserrors.reason(exc) if isinstance(exc, OSError) else "encodage non UTF-8"
            warn(f"Page de conformité illisible : {path} ({reason}).", "compliance_page",
                 (self.env.docname, self.lineno))
            return [no_page()]
        lines = StringList(text.splitlines(), source=str(path))
        parsed = nested_parse_to_nodes(self.state, lines, source=str(path),
                                       allow_section_headings=True)
        for node in parsed:
            if isinstance(node, nodes.Element):
                for table in node.findall(nodes.table):
                    table["classes"].append("datis-conformite")
        return parsed


def setup_compliance(app: Sphinx) -> None:
    app.add_directive("datis-conformite", DatisConformite)
