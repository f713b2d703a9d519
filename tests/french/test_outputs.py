"""What the real CLI writes: Paris dates for people, ISO 8601 with its offset for machines."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from checks.emulator import Emulator
from checks.emulator.faults import Fault
from tests.cli_run import run_cli

WINTER, SUMMER = "2026-12-08T04:14:00+00:00", "2026-07-01T22:05:00+00:00"


def _history_of_two_dates(emulator: Emulator, folder: Path) -> None:
    """Two audits kept in the history, dated one in winter and one in summer (UTC)."""
    moved: set[Path] = set()
    for when in (WINTER, SUMMER):
        run = run_cli("--url", emulator.url, "--history", str(folder), "--format", "json")
        assert run.code == 0, run.stderr
        (kept,) = set(folder.rglob("*.json")) - moved
        data = json.loads(kept.read_text("utf-8"))
        data["date"] = when
        target = kept.with_name(f"{when[:10]}T00-00-00-000000Z.json")
        target.write_text(json.dumps(data), "utf-8")
        kept.unlink()
        moved.add(target)


def test_json_keeps_iso_8601_with_its_offset(emulator: Emulator) -> None:
    run = run_cli("--url", emulator.url, "--format", "json")
    date = json.loads(run.stdout)["date"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", date), date
    assert datetime.fromisoformat(date).utcoffset() == timedelta(0)


def test_history_page_dates_are_in_paris_time_summer_and_winter(emulator: Emulator,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "historique"
    _history_of_two_dates(emulator, folder)
    run = run_cli("history", str(folder))
    assert run.code == 0, run.stderr
    page = run.stdout
    assert ("<desc>2 audits, du 2 juillet 2026 à 00:05 au 8 décembre 2026 à 05:14 "
            "(heure de Paris).</desc>") in page
    rows = re.findall(r"<tr><td>([^<]*)</td>", page)
    assert rows == ["2 juillet 2026 à 00:05", "8 décembre 2026 à 05:14"]
    assert re.findall(r'font-size="11" fill="#5f6368">(\d\d/\d\d [^<]*)</text>', page) == [
        "02/07 00:05", "08/12 05:14"]
    assert "(2 audits)" in page and "UTC" not in page


def test_help_shows_decimal_defaults_in_french() -> None:
    run = run_cli("--help", env={"COLUMNS": "200"})
    assert run.code == 0
    lines = [re.sub(" +", " ", line.strip()) for line in run.stdout.splitlines()]
    assert ("--timeout SECONDES délai de lecture des réponses (défaut\u00a0: 30 s)" in lines)
    assert any(line.endswith("au-delà de N intervalles (défaut\u00a0: 2)") for line in lines)
    assert ".0)" not in run.stdout and ".0 s" not in run.stdout


def test_a_timeout_is_told_with_a_decimal_comma(emulator: Emulator) -> None:
    emulator.faults.add(Fault("stall", actions=frozenset({"status"}), seconds=1.0))
    run = run_cli("--url", emulator.url, "--timeout", "0.25")
    assert run.code == 2
    assert run.stderr == (f"datis-audit\u00a0: erreur\u00a0: {emulator.url} n'a pas répondu "
                          "dans le délai de lecture (0,25 s).\n")
