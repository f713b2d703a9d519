"""French typography in what the extension writes into a page: its no-break spaces (see
checks.french.typography), applied once to the nodes a directive or role returns.

Code, screen words shown as typed, links and raw HTML are left as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

from docutils import nodes
from sphinx import addnodes

from checks.french.typography import typeset

Found = TypeVar("Found", bound=Sequence[nodes.Node])

_VERBATIM = (nodes.literal, nodes.literal_block, nodes.raw, nodes.reference,
             addnodes.literal_emphasis)


def typeset_nodes(found: Found) -> Found:
    """`found`, each text of it typeset in place, outside code, links and raw markup."""
    for node in found:
        for text in list(node.findall(nodes.Text)):
            parent = text.parent
            if parent is None or any(isinstance(n, _VERBATIM) for n in _lineage(text)):
                continue
            shown = typeset(str(text))
            if shown != str(text):
                parent.replace(text, nodes.Text(shown))
    return found


def _lineage(node: nodes.Node) -> list[nodes.Node]:
    found = []
    current = node.parent
    while current is not None:
        found.append(current)
        current = current.parent
    return found


P = ParamSpec("P")
R = TypeVar("R")


def french(run: Callable[P, R]) -> Callable[P, R]:
    """A directive's or role's `run` whose nodes come out typeset (typeset_nodes)."""

    @functools.wraps(run)
    def typeset_run(*args: P.args, **kwargs: P.kwargs) -> R:
        result = run(*args, **kwargs)
        found = result[0] if isinstance(result, tuple) else result
        if isinstance(found, list):
            typeset_nodes(found)
        return result

    return typeset_run
