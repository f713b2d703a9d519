"""What each page showed, kept in a Domain so parallel and incremental builds stay right.

Per page: the items it shows (`reglage:mail_serverport`, `section:messagerie`, `url:1A2B`...)
and the fingerprint of what it showed (documented value, live value, status). Secrets are
never in a fingerprint: they are shown, and so recorded, as « valeur masquée ».
On every build `env-get-outdated` returns exactly the pages whose fingerprints changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from sphinxext import source


class DatisDomain(Domain):
    name = "datis"
    label = "DATIS"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"shown": {}}

    @property
    def shown(self) -> dict[str, dict[str, str]]:
        shown: dict[str, dict[str, str]] = self.data.setdefault("shown", {})
        return shown

    def note(self, docname: str, item: str) -> None:
        """Record that `docname` shows `item`, as the current values render it."""
        self.shown.setdefault(docname, {})[item] = source.fingerprint(
            source.values_of(self.env), item)

    def clear_doc(self, docname: str) -> None:
        self.shown.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["shown"]:
                self.shown[docname] = otherdata["shown"][docname]

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref,
                         contnode: Element) -> list[tuple[str, nodes.reference]]:
        return []


def domain_of(env: BuildEnvironment) -> DatisDomain:
    domain = env.get_domain(DatisDomain.name)
    assert isinstance(domain, DatisDomain)
    return domain


def _start(app: Sphinx) -> None:
    source.attach(app.env, app.config, Path(app.confdir))


def _outdated(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
              removed: Set[str]) -> Iterable[str]:
    """Read the values (once, before any reader forks) and list the pages they changed."""
    shown = domain_of(env).shown
    if not (added or changed or shown):
        return []
    current = source.values_of(env)
    return sorted(
        docname for docname, items in shown.items()
        if docname not in removed and any(
            source.fingerprint(current, item) != printed for item, printed in items.items())
    )


def setup_domain(app: Sphinx) -> None:
    app.add_domain(DatisDomain)
    app.connect("builder-inited", _start)
    app.connect("env-get-outdated", _outdated)
