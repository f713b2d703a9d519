"""sphinx-panels markup rewritten as sphinx-design's own, with a list of what has no equivalent.

`panels` -> `grid` of `grid-item-card` (with `card-header`/`card-footer`), `link-button` ->
`button-link`/`button-ref`, consecutive `tabbed` -> `tab-set` of `tab-item`, `dropdown` and
`div` -> the same directives with sphinx-design's options and classes, `:badge:` ->
`:bdg-<colour>:` (or a declared role carrying its classes), `:link-badge:` ->
`:bdg-link-*:`/`:bdg-ref-*:`, `:opticon:` -> `:octicon:`, `:fa:` -> `:fa:`/`:fas:`/...
The result builds with sphinx-design alone and shows what the layer showed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils.statemachine import StringList

from sphinxext.migrate.inline import InlineRewriter
from sphinxext.migrate.markup import (
    DIRECTIVE,
    Directive,
    indent_of,
    opens_literal,
    read_directive,
)
from sphinxext.panels import arguments
from sphinxext.panels.bootstrap import COLOURS
from sphinxext.panels.layout import DEFAULT_DELIMITERS, Part, split_panels
from sphinxext.panels.panels import (
    COLUMN_CLASS,
    DEFAULTS,
    IMAGE_OPTIONS,
    SHADOW_CLASS,
    columns,
    implied,
)

STEP = "   "
COLOUR = "|".join(COLOURS)
BUTTON_COLOUR = re.compile(rf"^btn-(?P<outline>outline-)?(?P<colour>{COLOUR})$")


@dataclass
class Migration(InlineRewriter):
    """One page's migration: call `page(text)`, then read `notes`."""

    delimiters: tuple[str, str, str] = DEFAULT_DELIMITERS

    def page(self, text: str) -> str:
        lines = text.splitlines()
        out = self.lines(lines, 1)
        if self.roles:
            declared = []
            for name, classes in self.roles.items():
                declared += [f".. role:: {name}", f"   :class: {' '.join(classes)}", ""]
            out = declared + out
        return "\n".join(out) + ("\n" if text.endswith("\n") or not text else "")

    # -- lines and blocks -------------------------------------------------------------------

    def lines(self, lines: list[str], first: int) -> list[str]:
        """`lines` rewritten; `first` is the page line of `lines[0]`."""
        out: list[str] = []
        literal: int | None = None
        index = 0
        while index < len(lines):
            line = lines[index]
            if literal is not None:
                if not line.strip() or indent_of(line) > literal:
                    out.append(line)
                    index += 1
                    continue
                literal = None
            match = DIRECTIVE.match(line)
            name = match["name"] if match else ""
            if name == "tabbed":
                index = self.tab_set(lines, index, first, out)
                continue
            handler = getattr(self, f"_{name.replace('-', '_')}", None) if name in HANDLED else None
            if handler is not None:
                directive = read_directive(lines, index)
                out += handler(directive, first)
                index = directive.end
                continue
            if opens_literal(line):
                literal = indent_of(line)
            out.append(self.inline(line, first + index))
            index += 1
        return out

    def content(self, directive: Directive, first: int, depth: str) -> list[str]:
        """A directive's content rewritten and indented by `depth`."""
        rewritten = self.lines(directive.content, first + directive.content_start)
        return [f"{depth}{line}" if line.strip() else "" for line in rewritten]

    def part(self, part: Part, first: int, depth: str) -> list[str]:
        """A card's header, body or footer at `depth`, its indentation kept.

        Text the writer indented deeper than the panel is a block quote under sphinx-panels;
        an empty comment (`..`) before it keeps it one here, instead of letting the directive
        above (or around) it swallow the indentation.
        """
        rewritten = self.lines(list(part.lines), first + part.offset)
        while rewritten and not rewritten[-1].strip():
            rewritten.pop()
        while rewritten and not rewritten[0].strip():
            rewritten.pop(0)
        quoted = min((indent_of(line) for line in rewritten if line.strip()), default=0) > 0
        return [*([f"{depth}..", ""] if quoted else []),
                *(f"{depth}{line}" if line.strip() else "" for line in rewritten)]

    # -- panels ---------------------------------------------------------------------------

    def _panels(self, directive: Directive, first: int) -> list[str]:
        at = first + directive.start
        defaults = {name: value.split() for name, value in DEFAULTS.items()}
        images: dict[str, str] = {}
        for name, value, index in directive.options:
            if name in IMAGE_OPTIONS:
                images[name] = value
            elif name in defaults:
                defaults[name] = self.merge(defaults[name], value)
            else:
                self.note(first + index, f"option « :{name}: » de panels inconnue : abandonnée.")
        ind = directive.indent
        # sphinx-panels' container has no margin: only its classes' (`pb-4` by default).
        out = [f"{ind}.. grid::", f"{ind}{STEP}:margin: 0"]
        container = self.classes(implied("container", defaults["container"]), at, ":container:")
        if container:
            out.append(f"{ind}{STEP}:class-container: {' '.join(container)}")
        content_first = first + directive.content_start

        def report(message: str, index: int) -> None:
            self.note(content_first + index, message)

        texts = split_panels(
            StringList(directive.content), 0, self.delimiters, report
        )
        for text in texts:
            line = content_first + text.first
            classes = {key: list(value) for key, value in defaults.items()}
            own_images = dict(images)
            for _index, name, value in text.options:
                if name in IMAGE_OPTIONS:
                    own_images[name] = value
                else:
                    classes[name] = self.merge(classes[name], value)
            card = ind + STEP * 2
            out += ["", f"{ind}{STEP}.. grid-item-card::"]
            out += [f"{card}{option}" for option in self.card_options(classes, own_images, line)]
            out.append("")
            for slot, part in (("header", text.header), ("body", text.body),
                               ("footer", text.footer)):
                if part is None:
                    continue
                if slot == "body":
                    out += [*self.part(part, content_first, card), ""]
                else:
                    out += [f"{card}.. card-{slot}::", ""]
                    out += [*self.part(part, content_first, card + STEP), ""]
            while out and not out[-1]:
                out.pop()
        return out

    @staticmethod
    def merge(current: list[str], value: str) -> list[str]:
        names, added = arguments.merge([], value)
        return [*current, *names] if added else names

    def card_options(
        self, classes: dict[str, list[str]], images: dict[str, str], line: int
    ) -> list[str]:
        options = []
        column = implied("column", classes["column"])
        widths = columns(column)
        if widths:
            options.append(f":columns: {' '.join(name.rsplit('-', 1)[1] for name in widths[1:])}")
        item = []
        for name in column:
            match = COLUMN_CLASS.match(name)
            if match is None:
                item += self.classes([name], line, ":column:")
            elif match.group(1) == "xl" and match.group(2) is not None:
                item.append(f"sd-{name}")
        if item:
            options.append(f":class-item: {' '.join(item)}")
        shadow, card = "md", []
        for name in implied("card", classes["card"]):
            if shadow_match := SHADOW_CLASS.match(name):
                shadow = shadow_match.group(1) or "md"
            else:
                card.append(name)
        options.append(f":shadow: {shadow}")
        for option, names in (("class-card", card), ("class-header", classes["header"]),
                              ("class-body", classes["body"]),
                              ("class-footer", classes["footer"])):
            translated = self.classes(names, line, f":{option.removeprefix('class-')}:")
            if translated:
                options.append(f":{option}: {' '.join(translated)}")
        for image in IMAGE_OPTIONS:
            if image in images:
                options.append(f":{image}: {images[image]}")
                translated = self.classes(classes[f"{image}-cls"], line, f":{image}-cls:")
                if translated:
                    options.append(f":class-{image}: {' '.join(translated)}")
        return options

    # -- dropdown, div --------------------------------------------------------------------

    def _dropdown(self, directive: Directive, first: int) -> list[str]:
        ind = directive.indent
        title = self.inline(directive.argument, first + directive.start)
        out = [f"{ind}.. dropdown::" + (f" {title}" if title else "")]
        for name, value, index in directive.options:
            line = first + index
            if name in ("container", "title", "body"):
                names, added = arguments.merge([], value)
                translated = self.classes(names, line, f":{name}:")
                if name == "container" and not added:
                    out.append(f"{ind}{STEP}:margin: 0")
                if translated:
                    out.append(f"{ind}{STEP}:class-{name}: {' '.join(translated)}")
            else:
                out.append(f"{ind}{STEP}:{name}:" + (f" {value}" if value else ""))
        return self.with_content(out, directive, first)

    def _div(self, directive: Directive, first: int) -> list[str]:
        ind = directive.indent
        names = self.classes(directive.argument.split(), first + directive.start, ".. div::")
        out = [f"{ind}.. div::" + (f" {' '.join(names)}" if names else "")]
        out += [f"{ind}{STEP}:{name}: {value}".rstrip() for name, value, _ in directive.options]
        return self.with_content(out, directive, first)

    def with_content(self, out: list[str], directive: Directive, first: int) -> list[str]:
        if directive.content:
            out += ["", *self.content(directive, first, directive.indent + STEP)]
        while out and not out[-1].strip():
            out.pop()
        return out

    # -- link-button ----------------------------------------------------------------------

    def _link_button(self, directive: Directive, first: int) -> list[str]:
        ind, line = directive.indent, first + directive.start
        target = directive.argument
        kind = directive.option("type") or "url"
        text = directive.option("text") or target
        options: list[str] = []
        extra: list[str] = []
        for name in (directive.option("classes") or "").split():
            colour = BUTTON_COLOUR.match(name)
            if colour:
                options.append(f":color: {colour['colour']}")
                if colour["outline"]:
                    options.append(":outline:")
            elif name == "stretched-link":
                options.append(":click-parent:")
            else:
                extra.append(name)
        tooltip = directive.option("tooltip")
        if kind == "ref":
            out = [f"{ind}.. button-ref:: {target}", f"{ind}{STEP}:ref-type: any"]
            if tooltip:
                self.note(line, "bulle (:tooltip:) d'un bouton vers une référence : "
                                "sphinx-panels ne l'affichait pas ; abandonnée.")
        else:
            out = [f"{ind}.. button-link:: {target}"]
            if tooltip:
                out.append(f"{ind}{STEP}:tooltip: {tooltip}")
        out += [f"{ind}{STEP}{option}" for option in options]
        classes = self.classes(extra, line, ":classes:")
        if classes:
            out.append(f"{ind}{STEP}:class: {' '.join(classes)}")
        return [*out, "", f"{ind}{STEP}{text}"]

    # -- tabbed -----------------------------------------------------------------------------

    def tab_set(self, lines: list[str], index: int, first: int, out: list[str]) -> int:
        """Consecutive `tabbed` (blank lines between) as one `tab-set`; the index after."""
        group = [read_directive(lines, index)]
        while True:
            following = group[-1].end
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following >= len(lines):
                break
            match = DIRECTIVE.match(lines[following])
            if not match or match["name"] != "tabbed" or match["indent"] != group[0].indent:
                break
            candidate = read_directive(lines, following)
            if candidate.option("new-group") is not None:
                break
            group.append(candidate)
        ind = group[0].indent
        out += [f"{ind}.. tab-set::", ""]
        for tab in group:
            label = self.inline(tab.argument, first + tab.start)
            out.append(f"{ind}{STEP}.. tab-item:: {label}")
            for name, value, option_index in tab.options:
                if name == "new-group":
                    continue
                if name in ("class-label", "class-content"):
                    value = " ".join(self.classes(value.split(), first + option_index,
                                                  f":{name}:"))
                out.append(f"{ind}{STEP * 2}:{name}:" + (f" {value}" if value else ""))
            out += ["", *self.content(tab, first, ind + STEP * 2), ""]
        while out and not out[-1].strip():
            out.pop()
        return group[-1].end


HANDLED = frozenset({"panels", "dropdown", "div", "link-button"})
