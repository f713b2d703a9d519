"""The text of a `panels` block cut into panels, and each panel into header, body and footer.

Separators are found as sphinx-panels finds them: on the line stripped of its spaces, with
the three patterns of `panels_delimiters` (`---`, `^^^`, `+++` by default), so a separator
indented more than the text around it still counts. One difference, which keeps a page
whole where sphinx-panels broke it: a line inside a nested block (the content of a
directive, of a comment or of a `::` literal block) is that block's text, not a separator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from docutils.statemachine import StringList

#: sphinx-panels' `panels_delimiters` default: panel, header, footer.
DEFAULT_DELIMITERS = (r"^\-{3,}$", r"^\^{3,}$", r"^\+{3,}$")
#: The options a panel may set on its first lines (`:card: + bg-info`).
PANEL_OPTIONS = (
    "column", "card", "body", "header", "footer", "img-top", "img-bottom", "img-top-cls",
    "img-bottom-cls",
)  # fmt: skip
OPTION_LINE = re.compile(r"^:([A-Za-z][\w-]*):(?:\s+(.*))?$")
#: A directive or a comment, whose indented lines are its own.
EXPLICIT_MARKUP = re.compile(r"^\.\.(?:\s|$)")


class Separator(Enum):
    PANEL = "---"
    HEADER = "^^^"
    FOOTER = "+++"


@dataclass(frozen=True)
class Part:
    """A header, body or footer: lines of the page, and the offset of the first one."""

    lines: StringList
    offset: int


@dataclass
class PanelText:
    """One panel as written: its option lines, then its three parts."""

    first: int
    options: list[tuple[int, str, str]] = field(default_factory=list)
    header: Part | None = None
    body: Part | None = None
    footer: Part | None = None


Report = Callable[[str, int], None]


def split_panels(
    content: StringList, offset: int, delimiters: tuple[str, str, str], report: Report
) -> Iterator[PanelText]:
    """The panels of `content` (lines from `offset` of the page); mistakes go to `report`."""
    found = dict(separators(content, delimiters))
    start = 0
    bounds: list[tuple[int, int]] = []
    for index, kind in found.items():
        if kind is Separator.PANEL:
            bounds.append((start, index))
            start = index + 1
    bounds.append((start, len(content)))
    for number, (begin, end) in enumerate(bounds):
        if not any(line.strip() for line in content[begin:end]):
            if number:
                report(f"panneau vide après ce séparateur « {_shown(content, begin - 1)} » : "
                       "il est ignoré.", begin - 1)
            continue
        yield _panel(content, offset, begin, end, found, report)


def separators(
    content: StringList, delimiters: tuple[str, str, str]
) -> Iterator[tuple[int, Separator]]:
    """Each separator line, outside nested blocks, with its kind."""
    patterns = [
        (re.compile(pattern), kind)
        for pattern, kind in zip(delimiters, Separator, strict=True)
    ]
    block: int | None = None
    for index, line in enumerate(content):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if block is not None:
            if indent > block:
                continue
            block = None
        kind = next((kind for pattern, kind in patterns if pattern.match(stripped)), None)
        if kind is not None:
            yield index, kind
        elif EXPLICIT_MARKUP.match(stripped) or stripped.endswith("::"):
            block = indent


def _panel(
    content: StringList,
    offset: int,
    begin: int,
    end: int,
    found: dict[int, Separator],
    report: Report,
) -> PanelText:
    index = begin
    while not content[index].strip():
        index += 1
    panel = PanelText(first=index)
    while index < end and (match := OPTION_LINE.match(content[index].strip())):
        name, value = match.group(1), match.group(2) or ""
        if name in PANEL_OPTIONS:
            panel.options.append((index, name, value))
        else:
            known = ", ".join(f":{option}:" for option in PANEL_OPTIONS)
            report(f"option de panneau inconnue « :{name}: » (options possibles : {known}) : "
                   "ligne ignorée.", index)
        index += 1
    header_at, footer_at = _header_and_footer(content, index, end, found, report)
    if header_at is not None:
        panel.header = _part(content, offset, index, header_at, found)
        if panel.header is None:
            report(f"l'en-tête avant « {_shown(content, header_at)} » est vide : il est "
                   "ignoré.", header_at)
        index = header_at + 1
    if footer_at is not None:
        panel.footer = _part(content, offset, footer_at + 1, end, found)
        if panel.footer is None:
            report(f"le pied après « {_shown(content, footer_at)} » est vide : il est ignoré.",
                   footer_at)
        end = footer_at
    panel.body = _part(content, offset, index, end, found)
    return panel


def _header_and_footer(
    content: StringList, begin: int, end: int, found: dict[int, Separator], report: Report
) -> tuple[int | None, int | None]:
    """The header's separator (the first) and the footer's (the last) of a panel."""
    headers = [i for i in range(begin, end) if found.get(i) is Separator.HEADER]
    footers = [i for i in range(begin, end) if found.get(i) is Separator.FOOTER]
    for extra in headers[1:]:
        report(f"plusieurs séparateurs d'en-tête « {_shown(content, extra)} » dans ce panneau :"
               " seul le premier compte, les autres sont ignorés.", extra)
    for extra in footers[:-1]:
        report(f"plusieurs séparateurs de pied « {_shown(content, extra)} » dans ce panneau : "
               "seul le dernier compte, les autres sont ignorés.", extra)
    header = headers[0] if headers else None
    footer = footers[-1] if footers else None
    if header is not None and footer is not None and header > footer:
        report(f"le séparateur d'en-tête « {_shown(content, header)} » suit le pied « "
               f"{_shown(content, footer)} » : il doit venir avant ; il est ignoré.", header)
        header = None
    return header, footer


def _part(
    content: StringList, offset: int, begin: int, end: int, found: dict[int, Separator]
) -> Part | None:
    """Lines `begin:end`, stray separators blanked (lines keep their place), as written.

    Indentation is kept, as sphinx-panels kept it: text indented deeper than the directive's
    content is a block quote, shown indented, as anywhere in reStructuredText.
    """
    texts = ["" if index in found else content[index] for index in range(begin, end)]
    if not any(line.strip() for line in texts):
        return None
    return Part(StringList(texts, items=content[begin:end].items), offset + begin)


def _shown(content: StringList, index: int) -> str:
    """A separator as messages name it: `^^^` for any `^^^^^`, a custom one as written."""
    line = content[index].strip()
    for pattern, kind in zip(DEFAULT_DELIMITERS, Separator, strict=True):
        if re.match(pattern, line):
            return kind.value
    return line
