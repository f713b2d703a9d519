"""`link-button`, `:badge:` and `:link-badge:`: sphinx-panels' links, sphinx-design's look.

The nodes are those of sphinx-design's `button-link`/`button-ref` and `bdg-*` roles
(`sd-btn`, `sd-badge`), with sphinx-panels' meaning kept: a reference's text is the one
written (`:text:`, or the target itself), and a tooltip is shown on a URL only, as
sphinx-panels did (it never showed one on a reference).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import unquote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx_design.badges_buttons import sd_badge

from sphinxext.panels.arguments import bind, role_arguments
from sphinxext.panels.bootstrap import translate
from sphinxext.panels.messages import Subtype, at, warn

BUTTON_CLASSES = ["sd-sphinx-override", "sd-btn", "sd-text-wrap"]
BADGE_CLASSES = ["sd-sphinx-override", "sd-badge"]
LINK_TYPES = ("url", "ref")


def reference(kind: str, target: str, text: str, tooltip: str | None) -> nodes.Element:
    """A link to a URL, or a cross-reference (any role) with the text as written."""
    inner = nodes.inline(text, text)
    node: nodes.Element
    if kind == "ref":
        node = addnodes.pending_xref(
            reftarget=unquote(target),
            reftype="any",
            refdomain="",
            refexplicit=True,
            refwarn=True,
        )
        inner["classes"] = ["xref", "any"]
    else:
        node = nodes.reference(refuri=target)
        if tooltip:
            node["reftitle"] = tooltip
    node.append(inner)
    return node


class LinkButtonDirective(SphinxDirective):
    """`.. link-button:: target` with `:type: url|ref`, `:text:`, `:tooltip:`, `:classes:`."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "type": lambda value: directives.choice(value, LINK_TYPES),
        "text": directives.unchanged,
        "tooltip": directives.unchanged,
        "classes": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        node = reference(
            self.options.get("type", "url"),
            target,
            self.options.get("text") or target,
            self.options.get("tooltip"),
        )
        self.set_source_info(node)
        where = at(*self.get_source_info())
        node["classes"] = [
            *BUTTON_CLASSES,
            *translate((self.options.get("classes") or "").split(), where, ":classes:"),
        ]
        paragraph = nodes.paragraph()
        self.set_source_info(paragraph)
        paragraph += node
        return [paragraph]


class ArgumentsRole(SphinxRole):
    """A role whose text is sphinx-panels' comma-separated arguments."""

    parameters: ClassVar[tuple[str, ...]] = ()
    subtype: ClassVar[Subtype]

    def arguments(self) -> dict[str, str] | None:
        """The bound arguments, or None after a French warning."""
        try:
            return bind(self.parameters, *role_arguments(self.text), required=1)
        except ValueError as error:
            warn(
                f"« :{self.name}:`{self.text}` » : {error} (paramètres : "
                f"{', '.join(self.parameters)}).",
                self.subtype,
                self.get_location(),
            )
            return None

    def where(self) -> nodes.Element:
        return at(*self.get_source_info())


class BadgeRole(ArgumentsRole):
    """`` :badge:`texte,classes` ``."""

    parameters = ("text", "cls")
    subtype = "badge"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        values = self.arguments()
        if values is None:
            return [nodes.literal(self.rawtext, self.rawtext)], []
        classes = translate(values.get("cls", "").split(), self.where(), f":{self.name}:")
        node = sd_badge(self.rawtext, values["text"], classes=[*BADGE_CLASSES, *classes])
        self.set_source_info(node)
        return [node], []


class LinkBadgeRole(ArgumentsRole):
    """`` :link-badge:`cible,texte,type,classes,bulle` `` (type: link or ref)."""

    parameters = ("link", "text", "type", "cls", "tooltip")
    subtype = "badge"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        values = self.arguments()
        if values is None:
            return [nodes.literal(self.rawtext, self.rawtext)], []
        kind = values.get("type", "link")
        if kind not in ("link", "ref"):
            warn(
                f"« :{self.name}: » : type « {kind} » inconnu (link ou ref) ; lien gardé "
                "comme adresse.",
                self.subtype,
                self.get_location(),
            )
        node = reference(
            "ref" if kind == "ref" else "url",
            values["link"],
            values.get("text") or values["link"],
            values.get("tooltip"),
        )
        node["classes"] = [
            *BADGE_CLASSES,
            *translate(values.get("cls", "").split(), self.where(), f":{self.name}:"),
        ]
        self.set_source_info(node)
        return [node], []
