"""The `panels` directive: sphinx-panels' syntax, rendered by sphinx-design.

sphinx-panels is no longer maintained; sphinx-design replaced it. Pages written for
sphinx-panels keep their markup: each `panels` block is translated into the equivalent
sphinx-design markup (`grid`, `grid-item-card`, `card-header`, `card-footer`) and parsed by
sphinx-design's own directives, so the output is exactly what sphinx-design produces.

Only that skeleton is generated. The writer's lines are never copied into it: each header, body
and footer stays a slice of the page, parsed in place by the internal `panels-part` directive,
so every message about them (an unknown role, a broken reference) names the writer's real line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from checks import __version__

LOGGER = logging.getLogger(__name__)

WARNING_TYPE = "datis"
WARNING_SUBTYPE = "panels"

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
#: Options a panel may set on its first lines (`:card: + bg-info`).
PANEL_OPTIONS = (*(name for name in DEFAULTS if name != "container"), "img-top", "img-bottom")
IMAGE_OPTIONS = ("img-top", "img-bottom")

PANEL_SEPARATOR = re.compile(r"^-{3,}\s*$")
HEADER_SEPARATOR = re.compile(r"^\^{3,}\s*$")
FOOTER_SEPARATOR = re.compile(r"^\+{3,}\s*$")
OPTION_LINE = re.compile(r"^:([A-Za-z][\w-]*):(?:\s+(.*))?$")
CLASS_NAME = re.compile(r"^-?[A-Za-z_][\w-]*$")
COLUMN_CLASS = re.compile(r"^col(?:-(xs|sm|md|lg|xl))?(?:-(\w+))?$")
SHADOW_CLASS = re.compile(r"^shadow(?:-(none|sm|md|lg))?$")

BREAKPOINTS = ("xs", "sm", "md", "lg")
#: Bootstrap classes the sphinx-design grid and card already stand for.
IMPLIED = {
    "container": re.compile(r"^container(?:-\w+)?$"),
    "column": re.compile(r"^d-flex$"),
    "card": re.compile(r"^(?:card|w-100)$"),
}
#: Bootstrap 4 names whose sphinx-design class is not simply `sd-<name>`.
ALIASES = {"border": "sd-border-1", "rounded": "sd-rounded-2", "shadow": "sd-shadow-md"}

PART_DIRECTIVE = "panels-part"

SPHINX_PANELS = "sphinx_panels"
REFUSAL = (
    "L'extension sphinxext.panels ne peut pas être chargée avec sphinx-panels : les deux "
    "définissent la directive « panels ». sphinxext.panels la remplace et affiche les panneaux "
    "avec sphinx-design ; retirez « sphinx_panels » de la liste extensions de conf.py."
)


def setup(app: Sphinx) -> dict[str, Any]:
    _refuse_sphinx_panels(app, app.config)
    app.setup_extension("sphinx_design")
    app.add_directive("panels", PanelsDirective)
    app.add_directive(PART_DIRECTIVE, PanelPartDirective)
    app.connect("config-inited", _refuse_sphinx_panels)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def _refuse_sphinx_panels(app: Sphinx, config: Config) -> None:
    """Both define `panels`: whichever loads second would silently win, so refuse.

    A conf.py mistake, not a crash: one French line and exit code 2, without the crash report
    (traceback, "please open an issue") that Sphinx 9 prints for any ExtensionError.
    """
    if SPHINX_PANELS in app.extensions or SPHINX_PANELS in config.extensions:
        LOGGER.error(REFUSAL, type=WARNING_TYPE, subtype=WARNING_SUBTYPE)
        raise SystemExit(2)


@cache
def design_classes() -> frozenset[str]:
    """Every class of sphinx-design's stylesheet: the `sd-` targets of Bootstrap names."""
    css = resources.files("sphinx_design").joinpath("static", "sphinx-design.min.css")
    return frozenset(re.findall(r"\.(sd-[\w-]+)", css.read_text(encoding="utf-8")))


def design_class(name: str) -> str:
    """The sphinx-design class for a Bootstrap one (`text-center` -> `sd-text-center`).

    A class sphinx-design does not know (the writer's own CSS) is kept as written.
    """
    if name.startswith("sd-"):
        return name
    if name in ALIASES:
        return ALIASES[name]
    return f"sd-{name}" if f"sd-{name}" in design_classes() else name


@dataclass
class CardMarkup:
    """The sphinx-design options of one `grid-item-card`, from Bootstrap classes."""

    options: dict[str, str] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)

    def add_class(self, option: str, name: str) -> None:
        self.classes.setdefault(option, []).append(name)

    def lines(self) -> Iterator[str]:
        yield from (f":{name}: {value}" for name, value in self.options.items())
        for option, names in self.classes.items():
            if names:
                yield f":{option}: {' '.join(names)}"


@dataclass
class Panel:
    """One panel: its classes, images and the three parts of its card."""

    line: int
    classes: dict[str, list[str]]
    images: dict[str, str] = field(default_factory=dict)
    header: Part | None = None
    body: Part | None = None
    footer: Part | None = None


@dataclass(frozen=True)
class Part:
    """A header, body or footer: lines of the page and the offset of the first one."""

    lines: StringList
    offset: int


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
        panels = list(self.split(defaults, images))
        if not panels:
            self.warn("la directive « panels » ne contient que des panneaux vides.", None)
            return []
        parts = PARTS.setdefault(self.state.document, {})
        markup = self.markup(defaults["container"], panels, parts)
        holder = nodes.Element()
        try:
            self.state.nested_parse(markup, self.content_offset, holder)
        finally:
            for key in [key for key in parts if key.startswith(f"{id(self)}-")]:
                del parts[key]
        return list(holder.children)

    # -- warnings -------------------------------------------------------------------------

    def warn(self, message: str, index: int | None) -> None:
        """A `datis.panels` warning at a content line (`index`) or at the directive."""
        if index is None:
            source, line = self.get_source_info()
        else:
            source, offset = origin(self.content, index)
            line = offset + 1
        where = nodes.Element()
        where.source, where.line = source, line
        LOGGER.warning(message, type=WARNING_TYPE, subtype=WARNING_SUBTYPE, location=where)

    # -- parsing sphinx-panels' syntax ----------------------------------------------------

    def split(self, defaults: dict[str, list[str]], images: dict[str, str]) -> Iterator[Panel]:
        """The panels between `---` lines; empty ones are skipped, with a warning."""
        start = 0
        bounds: list[tuple[int, int]] = []
        for index, line in enumerate(self.content):
            if PANEL_SEPARATOR.match(line):
                bounds.append((start, index))
                start = index + 1
        bounds.append((start, len(self.content)))
        for number, (begin, end) in enumerate(bounds):
            if not any(line.strip() for line in self.content[begin:end]):
                if number:
                    self.warn(
                        "panneau vide après ce séparateur « --- » : il est ignoré.", begin - 1
                    )
                continue
            yield self.panel(begin, end, defaults, images)

    def panel(
        self,
        begin: int,
        end: int,
        defaults: dict[str, list[str]],
        images: dict[str, str],
    ) -> Panel:
        index = begin
        while not self.content[index].strip():
            index += 1
        panel = Panel(
            line=index, classes={k: list(v) for k, v in defaults.items()}, images=dict(images)
        )
        while index < end and (match := OPTION_LINE.match(self.content[index])):
            name, value = match.group(1), match.group(2) or ""
            if name in IMAGE_OPTIONS:
                self.set_image(panel.images, name, value, index)
            elif name in PANEL_OPTIONS:
                panel.classes[name] = self.merge(panel.classes[name], name, value, index)
            else:
                known = ", ".join(f":{option}:" for option in PANEL_OPTIONS)
                self.warn(
                    f"option de panneau inconnue « :{name}: » (options possibles : {known}) : "
                    "ligne ignorée.",
                    index,
                )
            index += 1
        header_at, footer_at = self.separators(index, end)
        if header_at is not None:
            panel.header = self.part(index, header_at)
            if panel.header is None:
                self.warn("l'en-tête avant « ^^^ » est vide : il est ignoré.", header_at)
            index = header_at + 1
        if footer_at is not None:
            panel.footer = self.part(footer_at + 1, end)
            if panel.footer is None:
                self.warn("le pied après « +++ » est vide : il est ignoré.", footer_at)
            end = footer_at
        panel.body = self.part(index, end)
        return panel

    def separators(self, begin: int, end: int) -> tuple[int | None, int | None]:
        """The header's `^^^` (the first) and the footer's `+++` (the last) of a panel."""
        headers = [i for i in range(begin, end) if HEADER_SEPARATOR.match(self.content[i])]
        footers = [i for i in range(begin, end) if FOOTER_SEPARATOR.match(self.content[i])]
        for extra in headers[1:]:
            self.warn(
                "plusieurs séparateurs d'en-tête « ^^^ » dans ce panneau : seul le "
                "premier compte, les autres sont ignorés.",
                extra,
            )
        for extra in footers[:-1]:
            self.warn(
                "plusieurs séparateurs de pied « +++ » dans ce panneau : seul le "
                "dernier compte, les autres sont ignorés.",
                extra,
            )
        header = headers[0] if headers else None
        footer = footers[-1] if footers else None
        if header is not None and footer is not None and header > footer:
            self.warn(
                "le séparateur d'en-tête « ^^^ » suit le pied « +++ » : il doit venir "
                "avant ; il est ignoré.",
                header,
            )
            header = None
        return header, footer

    def part(self, begin: int, end: int) -> Part | None:
        """Lines `begin:end` of the content, stray separators blanked (lines keep their place)."""
        lines = StringList(
            ["" if separator(line) else line for line in self.content[begin:end]],
            items=self.content[begin:end].items,
        )
        if not any(line.strip() for line in lines):
            return None
        return Part(lines, self.content_offset + begin)

    def merge(self, current: list[str], option: str, value: str, index: int | None) -> list[str]:
        """sphinx-panels' rule: `+ a b` adds to the classes so far, `a b` replaces them."""
        value = value.strip()
        added = value.startswith("+")
        names = []
        for name in (value[1:] if added else value).split():
            if problem := class_problem(option, name):
                self.warn(problem, index)
            else:
                names.append(name)
        return [*current, *names] if added else names

    def set_image(self, images: dict[str, str], name: str, value: str, index: int | None) -> None:
        if value.strip():
            images[name] = directives.uri(value)
        else:
            self.warn(f"l'option « :{name}: » attend le chemin d'une image.", index)

    # -- the sphinx-design markup ---------------------------------------------------------

    def markup(
        self, container: list[str], panels: list[Panel], parts: dict[str, Part]
    ) -> StringList:
        """The sphinx-design skeleton: grid, cards, and `panels-part` where the content goes."""
        out = StringList()
        first = origin(self.content, 0)

        def emit(text: str, at: tuple[str, int] = first) -> None:
            out.append(text, *at)

        def part(key: str, value: Part, indent: str, at: tuple[str, int]) -> None:
            parts[key] = value
            emit(f"{indent}.. {PART_DIRECTIVE}:: {key}", at)
            emit("", at)

        emit(".. grid::")
        grid_classes = [design_class(name) for name in implied("container", container)]
        if grid_classes:
            emit(f"   :class-container: {' '.join(grid_classes)}")
        for number, panel in enumerate(panels):
            at = origin(self.content, panel.line)
            key = f"{id(self)}-{number}"
            emit("", at)
            emit("   .. grid-item-card::", at)
            for line in self.card(panel).lines():
                emit(f"      {line}", at)
            emit("", at)
            if panel.header is not None:
                emit("      .. card-header::", at)
                emit("", at)
                part(f"{key}-header", panel.header, "         ", at)
            if panel.body is not None:
                part(f"{key}-body", panel.body, "      ", at)
            if panel.footer is not None:
                emit("      .. card-footer::", at)
                emit("", at)
                part(f"{key}-footer", panel.footer, "         ", at)
        return out

    def card(self, panel: Panel) -> CardMarkup:
        card = CardMarkup()
        column = implied("column", panel.classes["column"])
        card.options.update(columns(column, card))
        for name in column:
            if not COLUMN_CLASS.match(name):
                card.add_class("class-item", design_class(name))
        for name in implied("card", panel.classes["card"]):
            if shadow := SHADOW_CLASS.match(name):
                card.options["shadow"] = shadow.group(1) or "md"
            else:
                card.add_class("class-card", design_class(name))
        for part, option in (
            ("body", "class-body"),
            ("header", "class-header"),
            ("footer", "class-footer"),
        ):
            for name in panel.classes[part]:
                card.add_class(option, design_class(name))
        for image in IMAGE_OPTIONS:
            if image in panel.images:
                card.options[image] = panel.images[image]
                for name in panel.classes[f"{image}-cls"]:
                    card.add_class(f"class-{image}", design_class(name))
        return card


#: The parts set aside by `panels` for `panels-part`, per document being read.
PARTS: WeakKeyDictionary[nodes.document, dict[str, Part]] = WeakKeyDictionary()


class PanelPartDirective(SphinxDirective):
    """Internal: parses, in place, a header, body or footer that `panels` set aside."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        part = PARTS.get(self.state.document, {}).pop(self.arguments[0], None)
        if part is None:
            LOGGER.warning(
                f"la directive « {PART_DIRECTIVE} » est interne à « panels » : "
                "ne l'écrivez pas dans une page.",
                type=WARNING_TYPE,
                subtype=WARNING_SUBTYPE,
                location=self.get_location(),
            )
            return []
        holder = nodes.Element()
        self.state.nested_parse(part.lines, part.offset, holder)
        return list(holder.children)


def separator(line: str) -> bool:
    return bool(HEADER_SEPARATOR.match(line) or FOOTER_SEPARATOR.match(line))


def implied(part: str, names: list[str]) -> list[str]:
    """The classes of a part, minus the Bootstrap ones sphinx-design's markup stands for."""
    pattern = IMPLIED.get(part)
    return [name for name in names if not (pattern and pattern.match(name))]


def columns(names: list[str], card: CardMarkup) -> dict[str, str]:
    """Bootstrap's `col-<breakpoint>-<n>` classes as the grid item's `:columns:`.

    As in Bootstrap, a breakpoint without a width takes the one of the breakpoint below it,
    and the smallest screens default to the full width.
    """
    widths: dict[str, str] = {}
    for name in names:
        match = COLUMN_CLASS.match(name)
        if not match or match.group(2) is None:
            continue
        breakpoint, width = match.group(1) or "xs", match.group(2)
        if breakpoint == "xl":
            card.add_class("class-item", f"sd-col-xl-{width}")
        else:
            widths[breakpoint] = width
    if not widths:
        return {}
    values, current = [], "12"
    for breakpoint in BREAKPOINTS:
        current = widths.get(breakpoint, current)
        values.append(current)
    return {"columns": " ".join(values)}


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


def origin(lines: StringList, index: int) -> tuple[str, int]:
    """Where a content line comes from: its source file and 0-based line."""
    source, offset = lines.info(index)
    return source or "", offset or 0
