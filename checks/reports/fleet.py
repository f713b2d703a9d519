"""The fleet summary: one line per appliance, in the terminal, as JSON and as a French page."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checks.appliance.identity import Appliance
from checks.audit.findings import Audit, Severity
from checks.french.typography import sentence, typeset
from checks.reports.common import (
    DEFAULT_WIDTH,
    SEVERITY_TEXT,
    clean,
    french_date,
    sticky,
    unstick,
    wrap,
)
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
    """« 3 appliances : une conforme, 2 non conformes, un audit impossible. », « Une … »."""
    states = [_state(r) for r in results]
    done = states.count("conforme")
    failing = states.count("non conforme")
    impossible = states.count("audit impossible")
    parts = [plural(done, "conforme", feminine=True) if done else "",
             plural(failing, "non conforme", feminine=True) if failing else "",
             plural(impossible, "audit impossible", many="audits impossibles")
             if impossible else ""]
    listed = ", ".join(p for p in parts if p)
    return sentence(f"{plural(len(results), 'appliance', feminine=True)} : "
                    f"{listed or 'aucune'}.")


def to_html(results: Sequence[Result], files: dict[str, list[str]]) -> str:
    return templates().get_template("fleet.html.j2").render(
        rows=rows(results, files), overview=overview(results),
        date=french_date(datetime.now(UTC)))


ADDRESS_LIMIT = 60
"""Characters of an address shown whole; a longer one loses its middle, never its end."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def address(url: str) -> str:
    """What tells one appliance's address from another's: host, port and path, no scheme.

    Appliances of one fleet differ by host or by port (the end of the address): a long
    address is shortened in its middle, so that the part that differs stays in sight.
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname:
        shown = url
    else:
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        keep_port = port is not None and port != _DEFAULT_PORTS.get(parts.scheme)
        shown = host + (f":{port}" if keep_port else "") + parts.path.rstrip("/")
    return middle(clean(shown, len(shown)), ADDRESS_LIMIT)


def middle(text: str, limit: int) -> str:
    """`text`, or past `limit` characters its start and its end around « … »."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def key(result: Result) -> str:
    """« DATIS 1A2B » when the appliance is known by its identifier, else its address."""
    identifier = result.entry.appliance.identifier or (
        result.audit.identifier if result.audit is not None else None)
    return f"DATIS {identifier}" if identifier else address(result.entry.appliance.url)


def _name(result: Result) -> str:
    """The inventory's name, « — » when it gave none (the name is then the address or the
    identifier, which the next column shows)."""
    name = result.entry.name
    given = name not in (result.entry.appliance.url, result.entry.appliance.identifier)
    return clean(name, 60) if given else "—"


NAME_ROOM = 16
"""Columns the table leaves the names at least; on a narrower terminal, one block each."""
_STATE_STYLE = {"conforme": "green", "non conforme": "red", "audit impossible": "bold red"}
_GAPS_HEADING = ("Écarts", "(crit./maj./min.)")


def to_text(results: Sequence[Result], *, color: bool, width: int = DEFAULT_WIDTH) -> str:
    """The table at the terminal's width, each appliance told apart by its identifier or
    address (never cut); below it, why each impossible audit failed, wrapped between words."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width,
                      color_system="standard" if color else None, highlight=False, emoji=False)
    keys = max((len(key(r)) for r in results), default=1)
    console.print(Text("Audit de la flotte", style="bold"))
    if width - keys - len("impossible") - len(_GAPS_HEADING[1]) - 9 >= NAME_ROOM:
        console.print(_table(results, keys))
    else:
        for r in results:
            state = _state(r)
            console.print(Text("\n".join(wrap(_who(r), width))))
            console.print(Text.assemble("  ", (state, _STATE_STYLE[state]),
                                        f", {' '.join(_GAPS_HEADING).lower()} : {_gaps(r)}"))
    failed = [r for r in results if r.error]
    if failed:
        console.print()
    for r in failed:
        console.print(Text("\n".join(wrap(f"✗ {_who(r)} : {clean(r.error or '', 120)}", width,
                                          hanging="  ")), style=_STATE_STYLE["audit impossible"]))
    console.print(Text("\n".join(wrap(overview(results), width))))
    return typeset(unstick("".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())))


def _table(results: Sequence[Result], keys: int) -> Table:
    """Names wrap between words; identifiers and addresses never, nor the counts."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Appliance", overflow="fold")  # a word longer than the column: whole
    table.add_column("DATIS ou adresse", no_wrap=True, min_width=keys)
    table.add_column("État", overflow="fold", min_width=len("impossible"))
    table.add_column("\n".join(_GAPS_HEADING), no_wrap=True)
    for r in results:
        state = _state(r)
        table.add_row(Text(sticky(_name(r))), Text(key(r)), Text(state, style=_STATE_STYLE[state]),
                      Text(_gaps(r)))
    return table


def _who(result: Result) -> str:
    """« Cabinet Martin (DATIS 1A2B) », or the identifier or address alone without a name."""
    name = _name(result)
    return key(result) if name == "—" else f"{name} ({key(result)})"
