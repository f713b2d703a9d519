"""What the real CLI writes: Paris dates for people, ISO 8601 with its offset for machines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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


NBSP, NNBSP = "\u00a0", "\u202f"
SPACED_SIGN = re.compile(r"\S [:;!?»](?:\s|$)|« \S")
"""A plain space where French typography wants a no-break one."""
CLOCK = re.compile(r"à (\d\d:\d\d) \(heure de Paris\)")


def test_terminal_report_has_no_break_spaces_and_leaves_addresses_alone(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    run = run_cli("--url", emulator.url, env={"COLUMNS": "200"})
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[1] == f"Adresse{NBSP}: {emulator.url}"
    assert lines[2].startswith(f"Date{NBSP}: ") and CLOCK.search(lines[2])
    assert lines[3] == f"Non conforme{NBSP}: 7 écarts (5 majeurs, 2 mineurs)."
    assert f"«{NBSP}SRV-COMPTA{NBSP}»" in run.stdout
    assert not SPACED_SIGN.search(run.stdout), SPACED_SIGN.search(run.stdout)


def test_html_page_text_is_typeset_never_its_markup(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    page = run_cli("--url", emulator.url, "--format", "html").stdout
    assert f"Non conforme{NBSP}: 7 écarts (5 majeurs, 2 mineurs)." in page
    assert f"<dt>Adresse</dt><dd>{emulator.url}</dd>" in page
    assert CLOCK.search(page)
    style = page[page.index("<style>"):page.index("</style>")]
    assert NBSP not in style and NNBSP not in style
    text = re.sub(r"<style>.*?</style>|<[^>]*>", "\n", page, flags=re.DOTALL)
    assert not SPACED_SIGN.search(text), SPACED_SIGN.search(text)
    assert all(NBSP not in tag and NNBSP not in tag for tag in re.findall(r"<[^>]*>", page))


def test_rst_page_is_typeset_outside_its_markup(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    page = run_cli("--url", emulator.url, "--format", "rst").stdout
    lines = page.splitlines()
    address = re.sub(r"([:/.])", r"\\\1", emulator.url)
    assert f":Adresse: {address}" in lines
    assert any(re.fullmatch(r":Date: \d+ \w+ 2\d{3} à \d\d\\:\d\d \\\(heure de Paris\\\)", line)
               for line in lines)
    assert f"Non conforme{NBSP}\\: 7 écarts \\(5 majeurs\\, 2 mineurs\\)\\." in lines
    assert "   :header-rows: 1" in lines and ".. list-table::" in lines
    assert not re.search(r"\S \\?[:;!?»](?:\s|$)", page)


def test_log_lines_and_errors_are_typeset(emulator: Emulator) -> None:
    run = run_cli("--url", emulator.url, "-v", "--format", "json")
    assert f"datis-audit{NBSP}: étape{NBSP}: connecté" in run.stderr.splitlines()
    wrong = run_cli("--datis", "1A2G")
    assert wrong.stderr == (f"datis-audit{NBSP}: erreur{NBSP}: Identifiant DATIS invalide{NBSP}: "
                            f"«{NBSP}1A2G{NBSP}». Il faut exactement 4 chiffres hexadécimaux "
                            "(0-9, A-F), les 4 derniers de l'adresse MAC, par exemple 1A2B.\n")


def test_debug_request_times_have_a_decimal_comma(emulator: Emulator) -> None:
    """-vv times each request in milliseconds, one decimal, written the French way."""
    run = run_cli("--url", emulator.url, "-vv", "--format", "json")
    timed = [line for line in run.stderr.splitlines() if " ms" in line and "-> 200 en " in line]
    assert timed, run.stderr
    assert all(re.search(r" en \d+,\d ms$", line) for line in timed), timed


def test_json_and_nagios_outputs_keep_plain_spaces(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    for fmt in ("json", "nagios", "prometheus"):
        out = run_cli("--url", emulator.url, "--format", fmt).stdout
        assert NBSP not in out and NNBSP not in out, fmt


def test_a_path_in_a_confirmation_is_left_as_written(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "a ; b : c ?" / "rapport.txt"
    target.parent.mkdir()
    run = run_cli("--url", emulator.url, "--output", str(target))
    assert run.stderr == f"Rapport écrit{NBSP}: {target}\n"


def test_no_terminal_width_parts_a_sign_from_its_word(start_emulator: Callable[..., Emulator],
                                                      tmp_path: Path) -> None:
    """At any width, rich's table cells and our own wrapping keep « with the word after it and
    : ; ! ? » with the word before: no line starts with one of these signs or ends on «."""
    waivers = tmp_path / "derogations.toml"
    yesterday = (datetime.now() - timedelta(days=1)).date()
    waivers.write_text(f'schema = 1\n[[derogation]]\nconstat = "client.2.*"\n'
                       f'justification = "Demandé par écrit."\nauteur = "Camille"\n'
                       f'expire = {yesterday.isoformat()}\n', "utf-8")
    url = start_emulator("datis-derive").url
    parted = []
    for width in range(40, 121):
        run = run_cli("--url", url, "--waivers", str(waivers), env={"COLUMNS": str(width)})
        assert run.code == 1
        parted += [(width, line) for line in run.stdout.splitlines()
                   if re.match(r"\s*[:;!?»]", line) or line.rstrip().endswith("«")]
    assert parted == []
