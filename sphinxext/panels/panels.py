"""The `panels` directive: sphinx-panels' syntax, built as sphinx-design's grid of cards.

The nodes are the ones sphinx-design's `grid` and `grid-item-card` build (same components,
same classes), made here directly: each header, body and footer is parsed in place from the
writer's lines, so every message about them names the writer's real line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx_design.cards import CardDirective
from sphinx_design.shared import create_component

from sphinxext.panels import arguments
from sphinxext.panels.bootstrap import design_names, translate
from sphinxext.panels.layout import PanelText, Part, split_panels
from sphinxext.panels.messages import at, warn

#: sphinx-panels' own defaults, so that a page renders as it did.
DEFAULTS: dict[str, str] = {
    "container": "container pb-4",
    "column": "col-lg-6 col-md-6 col-sm-6 col-xs-12 p-2",
    "card": "shadow",
    "body": "",
    "header": "",
    "footer": "",
    "img-top-cls": "",
    "img-bottom-cls": "",
}
IMAGE_OPTIONS = ("img-top", "img-bottom")
CLASS_NAME = re.compile(r"^-?[A-Za-z_][\w-]*$")
COLUMN_CLASS = re.compile(r"^col(?:-(xs|sm|md|lg|xl))?(?:-(\w+))?$")
SHADOW_CLASS = re.compile(r"^shadow(?:-(none|sm|md|lg))?$")
BREAKPOINTS = ("xs", "sm", "md", "lg")
#: Bootstrap classes that sphinx-design's grid and card already stand for.
IMPLIED = {
    "container": re.compile(r"^container(?:-\w+)?$"),
    "column": re.compile(r"^d-flex$"),
    "card": re.compile(r"^(?:card|w-100)$"),
}


@dataclass
class Panel:
    """One panel's classes (as written, checked) and images, and its text."""

    text: PanelText
    classes: dict[str, list[str]]
    images: dict[str, str] = field(default_factory=dict)


class PanelsDirective(SphinxDirective):
    """Panels in a grid, written with sphinx-panels' syntax, rendered by sphinx-design."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **dict.fromkeys(DEFAULTS, directives.unchanged),
        **dict.fromkeys(IMAGE_OPTIONS, directives.unchanged),
    }

    def run(self) -> list[nodes.Node]:
        if not any(line.strip() for line in self.content):
            self.warn("la directive « panels » est vide : écrivez au moins un panneau.", None)
            return []
        defaults = {name: value.split() for name, value in DEFAULTS.items()}
        images: dict[str, str] = {}
        for name, value in self.options.items():
            if name in IMAGE_OPTIONS:
                self.set_image(images, name, value or "", None)
            else:
                defaults[name] = self.merge(defaults[name], name, value or "", None)
        texts = list(
            split_panels(
                self.content, self.content_offset, self.config.panels_delimiters, self.warn
            )
        )
        if not texts:
            self.warn("la directive « panels » ne contient que des panneaux vides.", None)
            return []
        # `sd-m-0` (a grid's `:margin: 0`) in place of sphinx-design's `sd-mb-4`: as under
        # sphinx-panels' container, the space under the panels is the one its classes give
        # (`pb-4` by default), not twice as much; a writer's `mb-3` still wins (later in CSS).
        container = create_component(
            "grid-container",
            [
                "sd-container-fluid",
                "sd-sphinx-override",
                "sd-m-0",
                *design_classes(implied("container", defaults["container"])),
            ],
        )
        self.set_source_info(container)
        row = create_component("grid-row", ["sd-row"])
        self.set_source_info(row)
        container += row
        for text in texts:
            row += self.column(self.panel(text, defaults, images))
        return [container]

    # -- warnings -------------------------------------------------------------------------

    def warn(self, message: str, index: int | None) -> None:
        """A `panels.panels` warning at a content line (`index`) or at the directive."""
        warn(message, "panels", self.where(index))

    def where(self, index: int | None) -> nodes.Element:
        if index is None:
            return at(*self.get_source_info())
        source, offset = self.content.info(index)
        return at(source, (offset or 0) + 1)

    # -- options --------------------------------------------------------------------------

    def panel(
        self, text: PanelText, defaults: dict[str, list[str]], images: dict[str, str]
    ) -> Panel:
        panel = Panel(text, {k: list(v) for k, v in defaults.items()}, dict(images))
        for index, name, value in text.options:
            if name in IMAGE_OPTIONS:
                self.set_image(panel.images, name, value, index)
            else:
                panel.classes[name] = self.merge(panel.classes[name], name, value, index)
        return panel

    def merge(self, current: list[str], option: str, value: str, index: int | None) -> list[str]:
        """sphinx-panels' rule (`+` adds), each new class checked where it is written."""
        names, added = arguments.merge([], value)
        kept = []
        for name in names:
            if problem := class_problem(option, name):
                self.warn(problem, index)
            else:
                kept.append(name)
        translate(kept, self.where(index), f":{option}:")
        return [*current, *kept] if added else kept

    def set_image(self, images: dict[str, str], name: str, value: str, index: int | None) -> None:
        if value.strip():
            images[name] = directives.uri(value)
        else:
            self.warn(f"l'option « :{name}: » attend le chemin d'une image.", index)

    # -- nodes ----------------------------------------------------------------------------

    def column(self, panel: Panel) -> nodes.container:
        """The grid item and its card, as `grid-item-card` builds them."""
        where = self.where(panel.text.first)
        names = implied("column", panel.classes["column"])
        column = create_component(
            "grid-item", ["sd-col", "sd-d-flex-row", *columns(names), *item_classes(names)]
        )
        column.source, column.line = where.source, where.line
        shadow, card_names = "md", []
        for name in implied("card", panel.classes["card"]):
            if match := SHADOW_CLASS.match(name):
                shadow = match.group(1) or "md"
            else:
                card_names.append(name)
        card = create_component(
            "card",
            [
                "sd-card",
                "sd-sphinx-override",
                "sd-w-100",
                f"sd-shadow-{shadow}",
                *design_classes(card_names),
            ],
        )
        card.source, card.line = where.source, where.line
        column += card
        if "img-top" in panel.images:
            card += self.image(panel, "img-top")
        for slot in ("header", "body", "footer"):
            part: Part | None = getattr(panel.text, slot)
            if part is not None or slot == "body":
                card += self.slot(slot, part, panel.classes[slot], where)
        if "img-bottom" in panel.images:
            card += self.image(panel, "img-bottom")
        return column

    def slot(
        self, name: str, part: Part | None, classes: list[str], where: nodes.Element
    ) -> nodes.container:
        node = create_component(f"card-{name}", [f"sd-card-{name}", *design_classes(classes)])
        node.source, node.line = where.source, where.line
        if part is not None:
            self.state.nested_parse(part.lines, part.offset, node)
        CardDirective.add_card_child_classes(node)
        return node

    def image(self, panel: Panel, name: str) -> nodes.image:
        return nodes.image(
            "",
            uri=panel.images[name],
            alt="",
            classes=[f"sd-card-{name}", *design_classes(panel.classes[f"{name}-cls"])],
        )


def design_classes(names: Iterable[str]) -> list[str]:
    """Classes on sphinx-design (already checked where written, so no second warning)."""
    return [out for name in names for out in (design_names(name) or (name,))]


def implied(part: str, names: list[str]) -> list[str]:
    """The classes of a part, minus the Bootstrap ones sphinx-design's markup stands for."""
    pattern = IMPLIED.get(part)
    return [name for name in names if not (pattern and pattern.match(name))]


def item_classes(names: list[str]) -> list[str]:
    """The column's other classes, in order: `col-xl-<n>` kept, the rest translated."""
    out = []
    for name in names:
        match = COLUMN_CLASS.match(name)
        if match is None:
            out.extend(design_classes([name]))
        elif match.group(1) == "xl" and match.group(2) is not None:
            out.append(f"sd-{name}")
    return out


def columns(names: list[str]) -> list[str]:
    """Bootstrap's `col-<breakpoint>-<n>` classes (up to lg) as sphinx-design's `:columns:`.

    As in Bootstrap, a breakpoint without a width takes the one of the breakpoint below it,
    and the smallest screens default to the full width.
    """
    widths: dict[str, str] = {}
    for name in names:
        match = COLUMN_CLASS.match(name)
        if match and match.group(2) is not None and match.group(1) != "xl":
            widths[match.group(1) or "xs"] = match.group(2)
    if not widths:
        return []
    values, current = [], "12"
    for breakpoint in BREAKPOINTS:
        current = widths.get(breakpoint, current)
        values.append(current)
    classes = [f"sd-col-{values[0]}"]
    classes += [f"sd-col-{size}-{value}" for size, value in zip(BREAKPOINTS, values, strict=True)]
    return classes


def class_problem(option: str, name: str) -> str | None:
    """Why a class cannot be used (in French), or None."""
    if not CLASS_NAME.match(name):
        return f"nom de classe invalide « {name} » (option :{option}:) : classe ignorée."
    column = COLUMN_CLASS.match(name)
    if option == "column" and column and column.group(2) is not None:
        width = column.group(2)
        if width != "auto" and not (width.isdigit() and 1 <= int(width) <= 12):
            return (
                f"classe de colonne invalide « {name} » : la largeur va de 1 à 12 (ou auto) ; "
                "classe ignorée."
            )
    return None

