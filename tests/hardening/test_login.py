"""Login safety: one attempt per run, never a second, so that no address is ever banned.

UrBackup bans an address for ten minutes after ten failed logins in its window. The tool
logs in once; after a refusal (wrong password, unknown user, expired session, ban) it stops.
A fleet run with wrong passwords costs each appliance at most one failure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checks.emulator.faults import Fault
from checks.emulator.records import BAN_THRESHOLD
from tests.cli_run import run_cli
from tests.hardening.conftest import Watch, assert_one_french_error


def _failures(emulator: Any) -> int:
    return sum(len(history) for history in emulator.state.failures.values())


def test_wrong_password_is_tried_once(watched: Callable[..., Any]) -> None:
    emulator, watch = watched()
    run = run_cli("-vv", "--url", emulator.url, password="Mauvais-Mot-De-Passe")
    assert_one_french_error(run, 2)
    assert "Mot de passe refusé" in run.stderr
    assert "Mauvais-Mot-De-Passe" not in run.stderr
    assert watch.calls == [("salt", ""), ("login", "")]
    assert _failures(emulator) == 1
    assert emulator.state.bans == {}
    watch.assert_untouched()


@pytest.mark.parametrize("command", [["fix", "--yes"], ["snapshot", "--output", "x.json"],
                                     ["--format", "nagios"]])
def test_every_command_tries_once(command: list[str], watched: Callable[..., Any],
                                  tmp_path: Path) -> None:
    emulator, watch = watched("datis-derive")
    subcommand = command[:1] if command[0] in ("fix", "snapshot") else []
    run = run_cli(*subcommand, "--url", emulator.url, *command[len(subcommand):],
                  password="mauvais", cwd=tmp_path)
    assert run.code == (3 if "nagios" in command else 2), run  # Nagios: UNKNOWN
    assert watch.logins() == 1
    assert _failures(emulator) == 1
    assert list(tmp_path.iterdir()) == []
    watch.assert_untouched()


def test_unknown_user_is_tried_once(watched: Callable[..., Any]) -> None:
    emulator, watch = watched()
    run = run_cli("--url", emulator.url, "--user", "inconnu")
    assert_one_french_error(run, 2)
    assert "n'existe pas" in run.stderr
    assert [action for action, _ in watch.calls] == ["salt", "login"]
    assert _failures(emulator) == 1


def test_banned_address_is_not_tried(watched: Callable[..., Any]) -> None:
    emulator, watch = watched()
    for _ in range(BAN_THRESHOLD + 1):
        emulator.state.record_failure("127.0.0.1")
    assert emulator.state.banned("127.0.0.1")
    run = run_cli("--url", emulator.url)
    assert_one_french_error(run, 2)
    assert "banni" in run.stderr
    assert watch.calls == [("salt", "")]


@pytest.mark.parametrize("code", [1, 2])
def test_session_lost_mid_audit_is_not_renewed(code: int, watched: Callable[..., Any]) -> None:
    emulator, watch = watched()
    emulator.faults.add(Fault("error", actions=frozenset({"settings"}), code=code))
    run = run_cli("--url", emulator.url)
    assert_one_french_error(run, 2)
    assert watch.logins() == 1
    assert _failures(emulator) == 0


def test_fleet_with_wrong_passwords_never_gets_an_address_banned(
        start_emulator: Callable[..., Any], tmp_path: Path) -> None:
    appliances = [start_emulator(scenario) for scenario in
                  ("datis-conforme", "datis-derive", "sans-admin", "messagerie-absente",
                   "sauvegardes-en-retard", "datis-conforme")]
    watches = [Watch(emulator) for emulator in appliances]
    inventory = tmp_path / "inventaire.toml"
    inventory.write_text("schema = 1\n" + "".join(
        f'\n[[appliance]]\nurl = "{emulator.url}"\nnom = "Appliance {i}"\n'
        for i, emulator in enumerate(appliances)), encoding="utf-8")
    passwords = tmp_path / "mots-de-passe.toml"
    passwords.write_text(f'"{appliances[0].url}" = "secret"\n', encoding="utf-8")
    runs = 4  # a tool retrying even twice per run would get the address banned by now
    for _ in range(runs):
        run = run_cli("fleet", "--inventory", str(inventory), "--passwords",
                      str(passwords), "--output-dir", str(tmp_path / "flotte"),
                      "--format", "json", "--workers", "6", password="mauvais")
        assert run.code == 2, run
        assert "Traceback" not in run.stderr
    for emulator, watch in zip(appliances, watches, strict=True):
        assert emulator.state.bans == {}
        assert _failures(emulator) <= runs, "plus d'un échec de connexion par passage"
        assert watch.logins() <= runs
        watch.assert_untouched()
    assert _failures(appliances[0]) == 0  # its own password, from the passwords file
    assert _failures(appliances[1]) == runs
    assert _failures(appliances[2]) == runs  # no account: the salt of « admin » counts
