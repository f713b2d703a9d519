"""One drift a page shows, kept in the domain so that every build reports it again.

A drift is recorded while its page is read and reported, as an `urbackup.drift` warning, by
the domain's step that runs on every build (domain.py), so a page that is not read again
still fails a `-W` build. It keeps only what the page shows: a secret is « valeur masquée ».
A client whose own value breaks the rule is a drift of its own, naming the client, as the
audit makes it an écart of its own (see source.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sphinx.environment import BuildEnvironment

from sphinxext.source import Shown
from sphinxext.warnings import Location


@dataclass(frozen=True)
class Drift:
    """A setting whose live value breaks its rule, where a page shows it.

    `source` is None when the line is in the page's own file, else the included file's path,
    relative to the source folder (so that a moved checkout keeps right locations).
    """

    key: str
    label: str
    documented: str
    live: str
    expected: str
    line: int | None
    source: str | None
    client: str | None = None
    """The client whose own value this is (and how it got it), None for the global value."""

    def message(self) -> str:
        where = f" sur le client {self.client}" if self.client else ""
        return (f"Écart entre la documentation et l'appliance pour « {self.label} » "
                f"({self.key}){where} : documenté {self.documented}, réel {self.live} "
                f"(attendu : {self.expected}).")

    def location(self, env: BuildEnvironment, docname: str) -> Location:
        if self.source is None:
            return (docname, self.line or 0)
        path = Path(env.srcdir, self.source)
        return f"{path}:{self.line}" if self.line else str(path)


def drifts_at(env: BuildEnvironment, shown: Shown, source: str | None,
              line: int | None) -> list[Drift]:
    """The drifts of `shown` (global value, then each client's own) at a line docutils gave
    (`source`, `line`) in the current page."""
    if not shown.drift:
        return []
    assert shown.rule is not None
    own = source is None or Path(source) == Path(env.doc2path(env.docname))
    where = None if own else os.path.relpath(str(source), env.srcdir)
    expected = shown.rule.expected_text()
    found = [Drift(shown.key, shown.label, shown.documented, shown.live, expected, line, where)
             ] if shown.status == "écart" else []
    found += [Drift(shown.key, shown.label, shown.documented, client.live, expected, line, where,
                    f"« {client.client} » ({client.origin})")
              for client in shown.clients if client.status == "écart"]
    return found
