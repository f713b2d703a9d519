"""The inline part of a migration: sphinx-panels roles rewritten as sphinx-design's, Bootstrap
classes translated, and the notes of what has no equivalent.

`:badge:` -> `:bdg-<colour>:` (or a role declared at the top of the page carrying its
classes), `:link-badge:` -> `:bdg-link-*:`/`:bdg-ref-*:`, `:opticon:` -> `:octicon:`,
`:fa:` -> `:fa:`/`:fas:`/... Text inside inline literals is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sphinx_design.icons import get_octicon_data

from sphinxext.panels import arguments
from sphinxext.panels.bootstrap import COLOURS, COMPLEMENT, design_names

ROLE = re.compile(r":(?P<name>badge|link-badge|opticon|fa):`(?P<text>(?:[^`\\]|\\.)*)`")
INLINE_LITERAL = re.compile(r"(``.+?``)")
BADGE_COLOUR = re.compile(rf"^badge-(?P<colour>{'|'.join(COLOURS)})$")


@dataclass(frozen=True)
class Note:
    """Something the migration could not translate: its 1-based line and why (French)."""

    line: int
    message: str


@dataclass
class InlineRewriter:
    """Notes, class translation and roles of one page; the base of a page's Migration."""

    notes: list[Note] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    # -- classes ----------------------------------------------------------------------------

    def classes(self, names: list[str], line: int, where: str) -> list[str]:
        out = []
        for name in names:
            found = design_names(name)
            if found is None:
                self.note(line, f"classe Bootstrap « {name} » ({where}) sans équivalent dans "
                                "sphinx-design : gardée telle quelle, sans style.")
                out.append(name)
            elif name in COMPLEMENT:
                self.note(line, f"classe « {name} » ({where}) : sphinx-design n'en a pas ; "
                                "gardée, stylée par panels-bootstrap.css (voir --stylesheet) "
                                "ou par votre Bootstrap.")
                out.append(name)
            else:
                out.extend(found)
        return out

    # -- roles ------------------------------------------------------------------------------

    def inline(self, line: str, number: int) -> str:
        pieces = INLINE_LITERAL.split(line)
        for position in range(0, len(pieces), 2):
            pieces[position] = ROLE.sub(lambda m: self.role(m, number), pieces[position])
        return "".join(pieces)

    def role(self, match: re.Match[str], line: int) -> str:
        name, text = match["name"], match["text"]
        try:
            values = arguments.bind(PARAMETERS[name], *arguments.role_arguments(text),
                                    required=1)
        except ValueError as error:
            self.note(line, f"« {match[0]} » : {error} ; laissé tel quel.")
            return match[0]
        return str(getattr(self, f"_role_{name.replace('-', '_')}")(values, line))

    def _role_badge(self, values: dict[str, str], line: int) -> str:
        colour, classes = self.badge_classes(values.get("cls", ""), line, ":badge:")
        if not classes:
            return f":bdg{'-' + colour if colour else ''}:`{escape(values['text'])}`"
        full = ["sd-sphinx-override", "sd-badge"]
        if colour:
            full += [f"sd-bg-{colour}", f"sd-bg-text-{colour}"]
        full += classes
        role = "-".join(
            ["bdg", *([colour] if colour else []), *(name.removeprefix("sd-") for name in classes)]
        )
        self.roles[role] = full
        return f":{role}:`{escape(values['text'])}`"

    def badge_classes(self, value: str, line: int, where: str) -> tuple[str | None, list[str]]:
        colour = None
        rest = []
        for name in value.split():
            badge = BADGE_COLOUR.match(name)
            if badge and colour is None:
                colour = badge["colour"]
            else:
                rest.append(name)
        return colour, self.classes(rest, line, where)

    def _role_link_badge(self, values: dict[str, str], line: int) -> str:
        colour, classes = self.badge_classes(values.get("cls", ""), line, ":link-badge:")
        kind = "ref" if values.get("type") == "ref" else "link"
        if classes:
            self.note(line, f"classes « {' '.join(classes)} » d'un :link-badge: : les rôles "
                            "bdg-link et bdg-ref n'en prennent pas ; abandonnées.")
        target = values["link"]
        text = values.get("text") or target
        tooltip = values.get("tooltip")
        suffix = ""
        if tooltip and kind == "link":
            suffix = f"; {tooltip}"
        elif tooltip:
            self.note(line, "bulle d'un :link-badge: vers une référence : sphinx-panels ne "
                            "l'affichait pas ; abandonnée.")
        role = f"bdg-{kind}" + (f"-{colour}" if colour else "")
        return f":{role}:`{escape(text)} <{target}>{suffix}`"

    def _role_opticon(self, values: dict[str, str], line: int) -> str:
        size = values.get("size", "16")
        height = values.get("height")
        if height is None and "width" in values:
            data = get_octicon_data().get(values["name"], {}).get("heights", {}).get(size)
            if data:
                height = f"{round(float(values['width']) * int(size) / data['width'], 2):g}"
        if "aria_label" in values:
            self.note(line, "aria_label d'un :opticon: : le rôle octicon n'en prend pas ; "
                            "abandonné.")
        classes = self.classes(values.get("classes", "").split(), line, ":opticon:")
        pixels = f"{height or size}px"
        if not classes and pixels == "16px":
            return f":octicon:`{values['name']}`"
        return f":octicon:`{values['name']};{pixels}" + (f";{' '.join(classes)}`" if classes
                                                           else "`")

    def _role_fa(self, values: dict[str, str], line: int) -> str:
        style = values.get("style", "fa")
        if style not in ("fa", "fas", "fab", "far"):
            self.note(line, f"style « {style} » de :fa: : sphinx-design n'a que fa, fas, fab et "
                            "far ; fa est utilisé.")
            style = "fa"
        classes = self.classes(values.get("classes", "").split(), line, ":fa:")
        return f":{style}:`{values['name']}" + (f";{' '.join(classes)}`" if classes else "`")


PARAMETERS = {
    "badge": ("text", "cls"),
    "link-badge": ("link", "text", "type", "cls", "tooltip"),
    "opticon": ("name", "classes", "width", "height", "aria_label", "size"),
    "fa": ("name", "classes", "style"),
}


def escape(text: str) -> str:
    """Text for inside a role: `<`, `;` and backquotes escaped."""
    return re.sub(r"([`<;\\])", r"\\\1", text)
