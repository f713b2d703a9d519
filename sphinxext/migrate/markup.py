"""Directive blocks of a reST page, read from its lines (as docutils delimits them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:-]+)::(?:\s+(?P<argument>.*?))?\s*$")
OPTION = re.compile(r"^:(?P<name>[\w-]+):(?:\s+(?P<value>.*?))?\s*$")
#: An explicit markup line that is neither a directive, a target, a substitution nor a
#: footnote: a comment, whose indented lines are not markup.
COMMENT = re.compile(r"^\s*\.\.(?:\s+(?![\w:-]+::|_|\||\[)|\s*$)")
#: Directives whose content is text, not reST: nothing in it is rewritten.
LITERAL = frozenset(
    {"code-block", "code", "sourcecode", "literalinclude", "parsed-literal", "raw", "math",
     "highlight", "productionlist", "graphviz", "doctest", "testcode", "testoutput"}
)  # fmt: skip


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


@dataclass
class Directive:
    """A directive block: `lines[start:end]` of the page."""

    name: str
    indent: str
    argument: str
    start: int
    end: int
    options: list[tuple[str, str, int]] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    content_start: int = 0

    def option(self, name: str) -> str | None:
        return next((value for key, value, _ in self.options if key == name), None)


def block_end(lines: list[str], start: int) -> int:
    """The index after the block opened at `start`: deeper lines, inner blank lines."""
    indent = indent_of(lines[start])
    end = start + 1
    index = start + 1
    while index < len(lines):
        if lines[index].strip():
            if indent_of(lines[index]) <= indent:
                break
            end = index + 1
        index += 1
    return end


def read_directive(lines: list[str], start: int) -> Directive:
    match = DIRECTIVE.match(lines[start])
    assert match is not None
    end = block_end(lines, start)
    directive = Directive(
        name=match["name"],
        indent=match["indent"],
        argument=match["argument"] or "",
        start=start,
        end=end,
    )
    index = start + 1
    while index < end and (option := OPTION.match(lines[index].strip())):
        directive.options.append((option["name"], option["value"] or "", index))
        index += 1
    while index < end and not lines[index].strip():
        index += 1
    body = lines[index:end]
    # As docutils reads a directive: the options and the content lose their common indent
    # together, so content indented deeper than the options stays deeper (a block quote).
    block = [line for line in lines[start + 1:end] if line.strip()]
    depth = min((indent_of(line) for line in block), default=0)
    directive.content = [line[depth:] if line.strip() else "" for line in body]
    directive.content_start = index
    return directive


def opens_literal(line: str) -> bool:
    """Whether the lines indented under `line` are text, not markup."""
    match = DIRECTIVE.match(line)
    if match is not None:
        return match["name"] in LITERAL
    return bool(COMMENT.match(line)) or line.rstrip().endswith("::")
