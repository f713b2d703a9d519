"""What each page showed, kept in a Domain so parallel and incremental builds stay right.

Per page: the items it shows (`reglage:mail_serverport`, `section:messagerie`, `url:1A2B`...)
with the fingerprint of what it showed (documented value, live value, status), and the drifts
it shows. Secrets are never in a fingerprint nor a drift: they are shown, and so recorded, as
« valeur masquée ».
On every build `env-get-outdated` returns exactly the pages whose fingerprints changed, so
that they are read again, then `env-updated` reports every drift the pages now show, read
again or not: the drift gate holds on every build (`-W`), kept build folder or not.
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
from sphinxext.compared import report_nothing_compared
from sphinxext.drift import Drift
from sphinxext.warnings import warn


class DatisDomain(Domain):
    name = "datis"
    label = "DATIS"
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {"shown": {}, "drifts": {}}

    @property
    def shown(self) -> dict[str, dict[str, str]]:
        shown: dict[str, dict[str, str]] = self.data.setdefault("shown", {})
        return shown

    @property
    def drifts(self) -> dict[str, list[Drift]]:
        drifts: dict[str, list[Drift]] = self.data.setdefault("drifts", {})
        return drifts

    def note(self, docname: str, item: str) -> None:
        """Record that `docname` shows `item`, as the current values render it."""
        self.shown.setdefault(docname, {})[item] = source.fingerprint(
            source.values_of(self.env), item)

    def note_drift(self, docname: str, drift: Drift) -> None:
        """Record a drift `docname` shows (once, should its line be read twice)."""
        found = self.drifts.setdefault(docname, [])
        if drift not in found:
            found.append(drift)

    def clear_doc(self, docname: str) -> None:
        self.shown.pop(docname, None)
        self.drifts.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for store in ("shown", "drifts"):
            for docname in docnames:
                if docname in otherdata[store]:
                    self.data[store][docname] = otherdata[store][docname]

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


def _report(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about every drift the pages show, whether or not they were read in this build.

    A build whose pages show settings without live values to compare them with says so
    (compared.py), on every build too.
    """
    current = source.loaded_values(env)
    if current is not None:
        report_nothing_compared(app, current)
    drifts = domain_of(env).drifts
    for docname in sorted(drifts):
        for drift in drifts[docname]:
            warn(drift.message(), "drift", drift.location(env, docname))


def setup_domain(app: Sphinx) -> None:
    app.add_domain(DatisDomain)
    app.connect("builder-inited", _start)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-updated", _report)
