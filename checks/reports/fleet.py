"""The fleet summary: one line per appliance, in the terminal, as JSON and as a French page."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.appliance.identity import Appliance
from checks.audit.findings import Audit, Severity
from checks.reports.common import SEVERITY_TEXT, clean, french_date
from checks.reports.jinja import templates
from checks.settings.values import plural


class Member(Protocol):
    """An appliance of the inventory, as the summary names it."""

    @property
    def name(self) -> str: ...
    @property
    def appliance(self) -> Appliance: ...
    @property
    def slug(self) -> str: ...


class Result(Protocol):
    """One appliance's outcome (`checks.operations.fleet.Result`, which writes these pages:
    described here so that the writers never import the operation)."""

    @property
    def entry(self) -> Member: ...
    @property
    def audit(self) -> Audit | None: ...
    @property
    def error(self) -> str | None: ...
    @property
    def exit_code(self) -> int: ...
    @property
    def seconds(self) -> float: ...


def _state(result: Result) -> str:
    if result.audit is None:
        return "audit impossible"
    return result.audit.verdict


_SEVERITIES = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
SCHEMA = "datis-flotte/2"
"""Version 2: counts of écarts are numbers, by severity (version 1 wrote "0 / 5 / 2")."""


def _counts(result: Result) -> dict[str, int] | None:
    if result.audit is None:
        return None
    return {SEVERITY_TEXT[s]: result.audit.count(s) for s in _SEVERITIES}


def _gaps(result: Result) -> str:
    """« 0 / 5 / 2 » for a person (critical / major / minor), « — » without an audit."""
    counts = _counts(result)
    return "—" if counts is None else " / ".join(str(n) for n in counts.values())


def rows(results: Sequence[Result], files: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [{
        "nom": r.entry.name,
        "identifiant": r.entry.appliance.identifier,
        "url": r.entry.appliance.url,
        "etat": _state(r),
        "code": r.exit_code,
        "ecarts": _counts(r),
        "erreur": r.error,
        "version": r.audit.server_version if r.audit else None,
        "duree_s": round(r.seconds, 3),
        "rapports": files.get(r.entry.slug, []),
    } for r in results]


def to_json(results: Sequence[Result], files: dict[str, list[str]]) -> str:
    return json.dumps({"schema": SCHEMA, "date": datetime.now(UTC).isoformat(),
                       "appliances": rows(results, files)}, ensure_ascii=False, indent=2) + "\n"


def overview(results: Sequence[Result]) -> str:
    """« 3 appliances : une conforme, 2 non conformes, un audit impossible. »"""
    states = [_state(r) for r in results]
    done = states.count("conforme")
    failing = states.count("non conforme")
    impossible = states.count("audit impossible")
    parts = [plural(done, "conforme", feminine=True) if done else "",
             plural(failing, "non conforme", feminine=True) if failing else "",
             plural(impossible, "audit impossible", many="audits impossibles")
             if impossible else ""]
    listed = ", ".join(p for p in parts if p)
    return f"{plural(len(results), 'appliance', feminine=True)} : {listed or 'aucune'}."


def to_html(results: Sequence[Result], files: dict[str, list[str]]) -> str:
    return templates().get_template("fleet.html.j2").render(
        rows=rows(results, files), overview=overview(results),
        date=french_date(datetime.now(UTC)))


def to_text(results: Sequence[Result], *, color: bool, width: int = 110) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width,
                      color_system="standard" if color else None, highlight=False, emoji=False)
    table = Table(title="Audit de la flotte", title_justify="left", expand=True)
    for column in ("Appliance", "Adresse", "État", "Écarts (crit./maj./min.)", "Détail"):
        table.add_column(column)
    style = {"conforme": "green", "non conforme": "red", "audit impossible": "bold red"}
    for r in results:
        state = _state(r)
        table.add_row(Text(clean(r.entry.name, 60)), Text(clean(r.entry.appliance.url, 60)),
                      Text(state, style=style[state]), Text(_gaps(r)),
                      Text(clean(r.error or "", 120)))
    console.print(table)
    console.print(Text(overview(results)))
    return out.getvalue()
