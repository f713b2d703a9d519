"""One warning type for the whole extension, so that `suppress_warnings` and `-W` behave.

Subtypes: drift, unknown_setting, section, secret, unreachable, identifier, stale_snapshot,
no_snapshot, baseline, compliance_page, history, config. Messages are French: writers read
them.
"""

from __future__ import annotations

from typing import TypeAlias

from docutils import nodes
from sphinx.util import logging

WARNING_TYPE = "urbackup"

logger = logging.getLogger("sphinxext")

Location: TypeAlias = nodes.Node | tuple[str, int] | str | None


def warn(message: str, subtype: str, location: Location = None) -> None:
    logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)
