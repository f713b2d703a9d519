"""One warning type, `panels`, for everything the sphinx-panels layer reports.

Its subtypes are `Subtype` (listed for writers in docs/redaction.rst; a test keeps the two
equal). Messages are French (writers read them) and carry the writer's line, so that
`suppress_warnings = ["panels"]` or `["panels.class"]` and `-W` behave as for Sphinx's own.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from docutils import nodes
from sphinx.util import logging

WARNING_TYPE = "panels"
Subtype: TypeAlias = Literal[
    "panels", "class", "config", "dropdown", "badge", "icon", "tabbed", "extension"
]

logger = logging.getLogger("sphinxext.panels")

Location: TypeAlias = nodes.Node | tuple[str, int | None] | str | None


def warn(message: str, subtype: Subtype, location: Location = None, *, once: bool = False) -> None:
    logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=location, once=once)


def error(message: str, subtype: Subtype) -> None:
    """A fatal mistake (the build stops right after): logged as an error, not a warning."""
    logger.error(message, type=WARNING_TYPE, subtype=subtype)


def at(source: str | None, line: int | None) -> nodes.Element:
    """A location for `warn` from a source path and a 1-based line (any file, not a docname)."""
    where = nodes.Element()
    where.source, where.line = source, line
    return where
