"""What a reader sees of sphinx-panels components in a built HTML page, as plain data.

sphinx-panels 0.6 (Bootstrap 4 markup: `card`, `btn`, `badge`, `tabbed-set`...) and
sphinx-design (`sd-card`, `sd-btn`, `sd-badge`, `sd-tab-set`...) write the same components
with different markup. `page_structure(html)` reduces either to the same data: for each
component of the page's main content, in order, what it shows (texts, targets, open or
selected state, image positions, colours, layout widths), nested components included. Two
pages with equal structures mean the same thing to a reader.

`scripts/panels_reference.py` runs this module on the original stack's build to write
`tests/fixtures/panels-corpus/structure.json`; the corpus test runs it on ours. Standard
library only, so that it runs in both virtualenvs.

Normalisation rules, each chosen so that a difference in the data is a difference a reader
would notice:

- classes lose sphinx-design's `sd-` prefix (`sd-bg-info` and `bg-info` are one colour);
- a class gives meaning (colour, width, size...) only where a reader can see it: on a
  sphinx-panels build every class counts with its Bootstrap 4 meaning (sphinx-panels ships
  a subset of Bootstrap's stylesheet, or relies on the theme's Bootstrap); on any other build
  only the classes some stylesheet of the build defines count, so that a Bootstrap class
  kept as written, unstyled, does not compare equal to the original. FontAwesome's own
  `fa-*` classes always count: the site loads FontAwesome itself on both stacks;
- a part's text is its visible text, whitespace collapsed, without the text of the
  components nested in it (they are listed in its `items`) nor icons, permalinks and the
  dropdown's open/close markers;
- `style` lists the colour, alignment, weight and border classes in force on a part: those
  of the part and of its enclosing component elements (a class on a panel's column colours
  its card as one on the card does);
- a button is `wide` with Bootstrap's `btn-block` or sphinx-design's `:expand:`;
- a grid card's `width` is its width out of 12 columns at each breakpoint (xs, sm, md, lg),
  from the column classes, or the row's `row-cols-N`, with Bootstrap's cascade upwards;
- an octicon's `size` is its height in pixels (`1em` is 16 px, the body text size);
- a grid's and a dropdown's `space_below` is the room under it, in rem, from Bootstrap's and
  sphinx-design's spacing classes (one scale: 0, .25, .5, 1, 1.5, 3): its bottom margin plus
  its bottom padding, each the largest that `m-`, `my-`, `mb-` (`p-`, `py-`, `pb-`) give, on
  the component and, for a grid, on its container;
- a block quote (text indented one level deeper, in docutils) is an item of kind `quote`: the
  indentation is what a reader sees of it;
- an unknown role or directive (docutils' "problematic" text or system message) is an item
  of kind `problem`, so a page that fails to build a component cannot compare equal.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
COLOURS = ("primary", "secondary", "success", "info", "warning", "danger", "light", "dark",
           "white", "black", "muted")
VISUAL = re.compile(
    r"^(?:(?:bg|text|border)-(?:" + "|".join(COLOURS) + r")"
    r"|text-(?:center|left|right|justify)|font-weight-(?:bold|light|normal)|font-italic"
    r"|border-0|border)$"
)
FAMILY = re.compile(r"^(?:btn|badge|bg)-((?:outline-)?(?:" + "|".join(COLOURS) + r"|link))$")
OUTLINE = re.compile(r"^outline-(" + "|".join(COLOURS) + r")$")
STRUCTURAL = re.compile(
    r"^(?:container(?:-\w+)?|row(?:-cols-.*)?|col(?:-.*)?|card(?:-.*)?|tabbed-.*|tab-.*"
    r"|summary-.*|dropdown|sphinx-bs|sphinx-override|docutils)$"
)
COLUMN = re.compile(r"^col(?:-(xs|sm|md|lg|xl))?-(\d+|auto)$")
ROW_COLUMNS = re.compile(r"^row-cols(?:-(xs|sm|md|lg|xl))?-(\d+|auto)$")
BREAKPOINTS = ("xs", "sm", "md", "lg")
FA_STYLES = frozenset({"fa", "fas", "far", "fab", "fal", "fad"})
#: Icons that are the dropdown's own markers, not the writer's.
MARKER = re.compile(r"^(?:summary-(?:up|down|icon|state-marker|chevron-.*)|no-title)$")
ANIMATIONS = frozenset({"fade-in", "fade-in-slide-down"})
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CONTAINER = re.compile(r"^container(?:-\w+)?$")
SPACING = re.compile(r"^([mp])([by]?)-([0-5])$")
SPACING_REM = (0.0, 0.25, 0.5, 1.0, 1.5, 3.0)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    #: The classes the build's stylesheets define; None: every class counts.
    styled_by: frozenset[str] | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        """Classes without sphinx-design's `sd-` prefix: what the element is."""
        return [name.removeprefix("sd-") for name in self.attrs.get("class", "").split()]

    @property
    def styled(self) -> list[str]:
        """The classes a reader can see the effect of, without the `sd-` prefix."""
        known = self.styled_by
        return [name.removeprefix("sd-") for name in self.attrs.get("class", "").split()
                if known is None or name in known or name.startswith("fa-")]

    def has(self, *names: str) -> bool:
        return any(name in self.classes for name in names)

    def shows(self, *names: str) -> bool:
        return any(name in self.styled for name in names)

    def elements(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]

    def find(self, test: Any) -> Element | None:
        """The first descendant (depth first) for which `test(element)` holds."""
        for child in self.elements():
            if test(child):
                return child
            found = child.find(test)
            if found is not None:
                return found
        return None


class TreeBuilder(HTMLParser):
    """A forgiving DOM: void elements have no children, stray end tags are ignored."""

    def __init__(self, styled_by: frozenset[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.styled_by = styled_by
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs}, self.stack[-1],
                          self.styled_by)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str, styled_by: frozenset[str] | None = None) -> Element:
    builder = TreeBuilder(styled_by)
    builder.feed(html)
    builder.close()
    return builder.root


def main_content(root: Element) -> Element:
    """The page's article: the theme's navigation and footer are not the writer's."""
    return (root.find(lambda e: e.attrs.get("role") == "main")
            or root.find(lambda e: e.tag == "body") or root)


def page_structure(html: str, styled_by: frozenset[str] | None = None
                   ) -> list[dict[str, Any]]:
    """The components of a built page, in order (see the module docstring).

    `styled_by`: the classes the page's stylesheets define (None: every class counts).
    """
    return part(main_content(parse(html, styled_by)))["items"]


def stylesheet_classes(outdir: Path) -> frozenset[str] | None:
    """The classes the build's stylesheets define; None for a sphinx-panels build."""
    if (outdir / "_panels_static").is_dir():
        return None
    names: set[str] = set()
    for css in outdir.rglob("*.css"):
        names.update(CSS_CLASS.findall(css.read_text("utf-8", errors="replace")))
    return frozenset(names)


def tree_structure(outdir: Path) -> dict[str, list[dict[str, Any]]]:
    """`{page: structure}` for every page of an HTML build folder, pages sorted."""
    styled_by = stylesheet_classes(outdir)
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        relative = path.relative_to(outdir)
        if relative.parts[0].startswith("_") or relative.stem in ("genindex", "search"):
            continue
        pages[relative.with_suffix("").as_posix()] = page_structure(
            path.read_text("utf-8"), styled_by)
    return pages


# --- parts: text and nested components ------------------------------------------------

def part(element: Element, style: tuple[str, ...] = ()) -> dict[str, Any]:
    """A region of a component: its own text, its nested components, its visual classes."""
    texts: list[str] = []
    items: list[dict[str, Any]] = []
    collect(element, texts, items)
    result: dict[str, Any] = {"text": " ".join(" ".join(texts).split()), "items": items}
    if style:
        result["style"] = list(style)
    return result


def collect(element: Element, texts: list[str], items: list[dict[str, Any]]) -> None:
    for child in element.children:
        if isinstance(child, str):
            texts.append(child)
            continue
        if child.tag in ("svg", "script", "style") and icon(child) is None:
            continue
        if child.has("headerlink") or any(MARKER.match(name) for name in child.classes):
            continue
        component = component_of(child)
        if component is None:
            collect(child, texts, items)
        else:
            items.append(component)


def component_of(element: Element) -> dict[str, Any] | None:
    """The structure of `element` if it is a component, else None (look inside it)."""
    for recognise in (problem, grid, dropdown, tab_set, card, button, badge, icon, quote, div):
        found = recognise(element)
        if found is not None:
            return found
    return None


def visual(*elements: Element) -> tuple[str, ...]:
    """The colour/alignment/weight/border classes in force, sorted, each once."""
    return tuple(sorted({name for e in elements for name in e.styled if VISUAL.match(name)}))


def space_below(*elements: Element) -> float:
    """Bottom margin plus bottom padding in rem, from the spacing classes of `elements`."""
    largest = {"m": 0.0, "p": 0.0}
    for element in elements:
        for name in element.styled:
            match = SPACING.match(name)
            if match:
                kind, _, size = match.groups()
                largest[kind] = max(largest[kind], SPACING_REM[int(size)])
    return largest["m"] + largest["p"]


# --- components ------------------------------------------------------------------------

def problem(element: Element) -> dict[str, Any] | None:
    if element.has("problematic", "system-message"):
        return {"kind": "problem", "text": part(element)["text"]}
    return None


def grid(element: Element) -> dict[str, Any] | None:
    if not element.has("row"):
        return None
    cards = []
    for column in element.elements():
        inner = column.find(lambda e: e.tag == "div" and e.has("card"))
        if inner is None:
            continue
        found = card(inner, column)
        assert found is not None
        found["width"] = width(element, column)
        cards.append(found)
    container = element.parent
    outer = (container,) if container is not None and any(
        CONTAINER.match(name) for name in container.classes) else ()
    return {"kind": "grid", "cards": cards, "space_below": space_below(*outer, element)}


def width(row: Element, column: Element) -> dict[str, int | str]:
    """Width out of 12 at each breakpoint; a smaller breakpoint's value holds upwards."""
    given: dict[str, int | str] = {}
    for source, pattern in ((row, ROW_COLUMNS), (column, COLUMN)):
        for name in source.styled:
            match = pattern.match(name)
            if match is None:
                continue
            value: int | str = match.group(2)
            if value != "auto":
                value = int(value) if pattern is COLUMN else 12 // int(value)
            given[match.group(1) or "xs"] = value
    widths: dict[str, int | str] = {}
    current: int | str = 12
    for breakpoint in BREAKPOINTS:
        current = given.get(breakpoint, current)
        widths[breakpoint] = current
    return widths


def card(element: Element, column: Element | None = None) -> dict[str, Any] | None:
    if element.tag != "div" or not element.has("card"):
        return None
    outer = (column, element) if column is not None else (element,)
    result: dict[str, Any] = {"kind": "card"}
    for child in element.elements():
        if child.tag == "img" and child.has("card-img-top", "card-img-bottom"):
            position = "img_top" if child.has("card-img-top") else "img_bottom"
            result[position] = Path(child.attrs.get("src", "")).name
    for name in ("header", "body", "footer"):
        region = next((c for c in element.elements() if c.has(f"card-{name}")), None)
        result[name] = None if region is None else part(region, visual(*outer, region))
    return result


def dropdown(element: Element) -> dict[str, Any] | None:
    if element.tag != "details" or not element.has("dropdown"):
        return None
    summary = next((c for c in element.elements() if c.tag == "summary"), None)
    content = next((c for c in element.elements() if c.has("summary-content")), None)
    animation = sorted(ANIMATIONS.intersection(element.styled))
    return {
        "kind": "dropdown",
        "open": "open" in element.attrs,
        "animate": animation[0] if animation else None,
        "space_below": space_below(element),
        "title": None if summary is None else part(summary, visual(element, summary)),
        "body": None if content is None else part(content, visual(element, content)),
    }


def tab_set(element: Element) -> dict[str, Any] | None:
    if not element.has("tabbed-set", "tab-set"):
        return None
    tabs: list[dict[str, Any]] = []
    checked = False
    for child in element.elements():
        if child.tag == "input":
            checked = "checked" in child.attrs
        elif child.tag == "label":
            tabs.append({"label": part(child, visual(child)), "selected": checked})
        elif child.has("tabbed-content", "tab-content") and tabs:
            tabs[-1]["content"] = part(child, visual(child))
    return {"kind": "tabs", "tabs": tabs}


def button(element: Element) -> dict[str, Any] | None:
    if element.tag != "a" or not element.has("btn"):
        return None
    families = [m.group(1) for m in map(FAMILY.match, element.styled) if m]
    return {
        "kind": "button",
        "text": part(element)["text"],
        "href": element.attrs.get("href"),
        "tooltip": element.attrs.get("title"),
        "style": families[0] if families else None,
        # sphinx-design's `:expand:` wraps the button in a `d-grid` element instead.
        "wide": element.shows("btn-block", "w-100") or (
            element.parent is not None and element.parent.shows("d-grid")),
        "stretched": element.shows("stretched-link"),
        "size": next((n[4:] for n in element.styled if n in ("btn-sm", "btn-lg")), None),
    }


def badge(element: Element) -> dict[str, Any] | None:
    if not element.has("badge"):
        return None
    families = [m.group(1) for m in map(FAMILY.match, element.styled) if m]
    families += [f"outline-{m.group(1)}" for m in map(OUTLINE.match, element.styled) if m]
    return {
        "kind": "badge",
        "text": part(element)["text"],
        "style": families[0] if families else None,
        "pill": element.shows("badge-pill", "rounded-pill"),
        "href": element.attrs.get("href") if element.tag == "a" else None,
        "tooltip": element.attrs.get("title"),
    }


def icon(element: Element) -> dict[str, Any] | None:
    classes = element.classes
    if any(MARKER.match(name) for name in classes):
        return None
    if element.tag == "svg" and "octicon" in classes:
        name = next((n[8:] for n in classes if n.startswith("octicon-")), None)
        if name is None:
            return None
        extra = sorted(n for n in element.styled if n not in ("octicon", f"octicon-{name}"))
        return {"kind": "icon", "set": "octicon", "name": name,
                "size": pixels(element.attrs.get("height", "16")), "classes": extra}
    styles = FA_STYLES.intersection(classes)
    if element.tag in ("span", "i") and styles:
        name = next((n[3:] for n in classes if n.startswith("fa-")), None)
        extra = sorted(n for n in element.styled if n not in styles and n != f"fa-{name}")
        return {"kind": "icon", "set": "fa", "name": name, "style": min(styles),
                "classes": extra}
    return None


def pixels(height: str) -> int | float:
    """`24`, `24px` -> 24; `1em` -> 16, `1.5em` -> 24 (the body text is 16 px)."""
    number = float(re.sub(r"[a-z]+$", "", height) or 16)
    size = number * 16 if height.endswith("em") else number
    return int(size) if size.is_integer() else size


def quote(element: Element) -> dict[str, Any] | None:
    """A block quote: text a writer indented one level deeper, shown indented."""
    if element.tag != "blockquote":
        return None
    return {"kind": "quote", "content": part(element)}


def div(element: Element) -> dict[str, Any] | None:
    """The `div` directive: a container whose classes are the writer's own."""
    if element.tag != "div" or "docutils" not in element.attrs.get("class", "").split():
        return None
    own = [name for name in element.classes if name != "container"]
    if not own or any(STRUCTURAL.match(name) for name in own if name != "docutils"):
        return None
    if own == ["docutils"]:
        return None
    return {"kind": "div", "style": list(visual(element)), "content": part(element)}


if __name__ == "__main__":
    import json

    json.dump(tree_structure(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=1)
