"""A defect of ours is not an appliance that cannot be audited: its own code, a plea to report.

No hostile input is known to reach this path (every other test proves it is not reached), so
the defect is planted: the audit's rules raise what a slip in our code would raise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import pytest

from checks.audit import rules
from tests.cli_run import run_cli


def _defect(*_: object, **__: object) -> NoReturn:
    raise AttributeError("'list' object has no attribute 'get'")


@pytest.fixture
def broken_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "audit", _defect)


@pytest.mark.usefixtures("broken_rules")
def test_an_internal_error_exits_4_and_asks_to_report_it(
        watched: Any) -> None:
    emulator, _ = watched()
    run = run_cli("--url", emulator.url, internal_error=True)
    assert run.code == 4, run
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "datis-audit\u00a0: erreur\u00a0: Erreur interne inattendue (AttributeError)\u00a0: c'est "
        "un défaut "
        "de datis-audit, pas de l'appliance. Merci de le signaler au support DATIS avec le "
        "journal obtenu en relançant la commande avec -vv."]


@pytest.mark.usefixtures("broken_rules")
def test_an_internal_error_is_unknown_for_nagios(
        watched: Any) -> None:
    emulator, _ = watched()
    run = run_cli("--url", emulator.url, "--format", "nagios", internal_error=True)
    assert run.code == 3, run
    assert run.stdout.startswith(f"DATIS UNKNOWN - {emulator.url} : Erreur interne"), run


@pytest.mark.usefixtures("broken_rules")
def test_an_internal_error_is_its_reason_in_the_prometheus_file(
        watched: Any, tmp_path: Path) -> None:
    emulator, _ = watched()
    target = tmp_path / "datis.prom"
    run = run_cli("--url", emulator.url, "--format", "prometheus", "--output", str(target),
                  internal_error=True)
    assert run.code == 4, run
    host = emulator.url.removeprefix("http://")
    assert [line for line in target.read_text("utf-8").splitlines()
            if line.startswith("datis_audit_failure{")] == [
        f'datis_audit_failure{{appliance="{host}",raison="erreur_interne",'
        f'url="{emulator.url}"}} 1.0']


@pytest.mark.usefixtures("broken_rules")
def test_an_internal_error_in_a_fleet_exits_4(
        watched: Any, tmp_path: Path) -> None:
    emulator, _ = watched()
    inventory = tmp_path / "flotte.toml"
    inventory.write_text(f'schema = 1\n\n[[appliance]]\nurl = "{emulator.url}"\n', "utf-8")
    run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                  str(tmp_path / "rapports"), internal_error=True)
    assert run.code == 4, run
    summary = json.loads((tmp_path / "rapports" / "flotte.json").read_text("utf-8"))
    [entry] = summary["appliances"]
    assert (entry["code"], entry["etat"]) == (4, "audit impossible"), entry
    assert "Merci de le signaler au support DATIS" in entry["erreur"], entry
