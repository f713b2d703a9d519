"""The fleet summary: one line per appliance, in the terminal, as JSON and as a French page."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.audit.findings import Severity
from checks.operations.fleet import Result
from checks.reports.common import clean, french_date

_ENV = Environment(loader=PackageLoader("checks.reports", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def _state(result: Result) -> str:
    if result.audit is None:
        return "audit impossible"
    return result.audit.verdict


def _gaps(result: Result) -> str:
    if result.audit is None:
        return "—"
    counts = [result.audit.count(s) for s in (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)]
    return f"{counts[0]} / {counts[1]} / {counts[2]}"


def rows(results: list[Result], files: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [{
        "nom": r.entry.name,
        "identifiant": r.entry.appliance.identifier,
        "url": r.entry.appliance.url,
        "etat": _state(r),
        "code": r.exit_code,
        "ecarts": _gaps(r),
        "erreur": r.error,
        "version": r.audit.server_version if r.audit else None,
        "duree_s": round(r.seconds, 3),
        "rapports": files.get(r.entry.slug, []),
    } for r in results]


def to_json(results: list[Result], files: dict[str, list[str]]) -> str:
    return json.dumps({"schema": "datis-flotte/1", "date": datetime.now(UTC).isoformat(),
                       "appliances": rows(results, files)}, ensure_ascii=False, indent=2) + "\n"


def to_html(results: list[Result], files: dict[str, list[str]]) -> str:
    table = rows(results, files)
    counts = {state: sum(1 for r in table if r["etat"] == state)
              for state in ("conforme", "non conforme", "audit impossible")}
    return _ENV.get_template("fleet.html.j2").render(
        rows=table, counts=counts, total=len(table), date=french_date(datetime.now(UTC)))


def to_text(results: list[Result], *, color: bool, width: int = 110) -> str:
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
    done = sum(1 for r in results if r.audit is not None)
    console.print(Text(f"{len(results)} appliance(s) : {done} auditée(s), "
                       f"{len(results) - done} audit(s) impossible(s)."))
    return out.getvalue()
