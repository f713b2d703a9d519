"""One warning type for the whole extension, so that `suppress_warnings` and `-W` behave.

Its subtypes are `Subtype`, which docs/redaction.rst lists for writers (a test keeps the two
equal, and mypy keeps every message to one of them). Messages are French: writers read them.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from docutils import nodes
from sphinx.util import logging

from checks.french.typography import typeset

WARNING_TYPE = "urbackup"
Subtype: TypeAlias = Literal[
    "drift", "unknown_setting", "section", "secret", "unreachable", "identifier",
    "stale_snapshot", "no_snapshot", "baseline", "compliance_page", "history", "config",
    "nothing_compared",
]

logger = logging.getLogger("sphinxext")

Location: TypeAlias = nodes.Node | tuple[str, int] | str | None


def warn(message: str, subtype: Subtype, location: Location = None) -> None:
    logger.warning(typeset(message), type=WARNING_TYPE, subtype=subtype, location=location)


def error(message: str, subtype: Subtype) -> None:
    """A mistake that fails the build (the caller sets its status), logged as an error."""
    logger.error(typeset(message), type=WARNING_TYPE, subtype=subtype)
