"""A limited UrBackup account meets one clear refusal, never a wrong verdict (real CLI, real HTTP).

A real server refuses without saying so (tests/emulator/test_rights.py): an audit must check
the account's rights, name the missing one as the French screens name it, exit 2, log in
once only, and `fix --yes` must write nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.emulator import Emulator
from tests.cli_run import Run, run_cli

StartEmulator = Callable[..., Emulator]
READER = [{"domain": d, "right": "all"} for d in (
    "status", "settings", "general_settings", "mail_settings", "client_settings", "usermod")]
"""Every right an audit reads with, one by one (no `all` domain)."""


def refusal(run: Run) -> str:
    assert run.code == 2, run
    assert "Traceback" not in run.stderr + run.stdout, run
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run
    return lines[0]


def logins(emulator: Emulator) -> int:
    return sum(1 for session in emulator.state.sessions.values() if session.logged_in)


def with_account(start_emulator: StartEmulator, scenario: str, lacking: str) -> Emulator:
    emulator = start_emulator(scenario)
    rights = [r for r in READER if r["domain"] != lacking]
    emulator.state.add_web_user("technicien", "Mot-de-passe-du-technicien", rights)
    return emulator


def audit_as_technicien(emulator: Emulator, *args: str) -> Run:
    return run_cli("--url", emulator.url, "--user", "technicien", *args,
                   password="Mot-de-passe-du-technicien")


def test_an_account_without_settings_is_refused_after_login(
        start_emulator: StartEmulator) -> None:
    emulator = start_emulator("compte-limite")
    run = run_cli("--url", emulator.url, "--user", "supervision")
    line = refusal(run)
    assert "Le compte «\u00a0supervision\u00a0» n'a pas le droit «\u00a0Réglages\u00a0» sur" in line
    assert "Réglages › Utilisateurs" in line
    assert run.stdout == ""
    assert logins(emulator) == 1


@pytest.mark.parametrize(("lacking", "named"), [
    ("status", "«\u00a0Etats\u00a0»"),
    ("settings", "«\u00a0Réglages\u00a0»"),
    ("general_settings", "«\u00a0Réglages › Général\u00a0»"),
    ("mail_settings", "«\u00a0Réglages › Email\u00a0»"),
    ("client_settings", "«\u00a0Réglages › Clients\u00a0»"),
    ("usermod", "«\u00a0Réglages › Utilisateurs\u00a0»"),
])
def test_each_missing_right_is_named_as_on_screen(start_emulator: StartEmulator, lacking: str,
                                                  named: str) -> None:
    emulator = with_account(start_emulator, "datis-conforme", lacking)
    line = refusal(audit_as_technicien(emulator))
    assert f"Le compte «\u00a0technicien\u00a0» n'a pas le droit {named} sur {emulator.url}" in line
    assert logins(emulator) == 1


def test_a_status_right_on_some_clients_only_is_not_enough(
        start_emulator: StartEmulator) -> None:
    emulator = with_account(start_emulator, "datis-conforme", "status")
    user = emulator.state.user("technicien")
    assert user is not None
    user.rights.append({"domain": "status", "right": "1,2"})
    line = refusal(audit_as_technicien(emulator))
    assert "n'a pas le droit «\u00a0Etats\u00a0»" in line


def test_an_account_with_every_right_it_needs_audits_like_the_admin(
        start_emulator: StartEmulator) -> None:
    emulator = with_account(start_emulator, "datis-derive", "aucun")
    as_admin = run_cli("--url", emulator.url, "--format", "json")
    as_technicien = audit_as_technicien(emulator, "--format", "json")
    assert as_admin.code == as_technicien.code == 1
    assert as_admin.stderr == as_technicien.stderr == ""


def test_fix_yes_writes_nothing_for_an_account_that_cannot_read_all(
        start_emulator: StartEmulator) -> None:
    emulator = with_account(start_emulator, "datis-derive", "mail_settings")
    before = copy.deepcopy((emulator.state.rows, emulator.state.mail,
                            {c.id: c.group for c in emulator.state.clients.values()}))
    run = run_cli("fix", "--url", emulator.url, "--user", "technicien", "--yes",
                  "--send-test-mail", "tech@exemple.fr", password="Mot-de-passe-du-technicien")
    assert "n'a pas le droit «\u00a0Réglages › Email\u00a0»" in refusal(run)
    after = (emulator.state.rows, emulator.state.mail,
             {c.id: c.group for c in emulator.state.clients.values()})
    assert after == before
    assert emulator.state.mail_log == []


def test_every_missing_right_is_named_at_once(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("compte-limite")
    line = refusal(run_cli("--url", emulator.url, "--user", "reglages"))
    assert line == (
        "datis-audit\u00a0: erreur\u00a0: Le compte «\u00a0reglages\u00a0» n'a pas les droits "
        "«\u00a0Réglages › Email\u00a0», "
        "«\u00a0Réglages › Clients\u00a0» et «\u00a0Réglages › Utilisateurs\u00a0» sur "
        f"{emulator.url}, dont l'audit a besoin. Donnez-lui ces droits dans UrBackup "
        "(Réglages › Utilisateurs) ou utilisez le compte admin.")
    assert logins(emulator) == 1


def test_a_missing_client_right_alone_is_found_on_the_clients(
        start_emulator: StartEmulator) -> None:
    emulator = with_account(start_emulator, "datis-conforme", "client_settings")
    line = refusal(audit_as_technicien(emulator))
    assert line.endswith("n'a pas le droit «\u00a0Réglages › Clients\u00a0» sur "
                         f"{emulator.url}, dont l'audit a besoin. Donnez-lui ce droit dans "
                         "UrBackup (Réglages › Utilisateurs) ou utilisez le compte admin.")


@pytest.mark.parametrize(("command", "purpose"), [
    (("snapshot", "--output", "instantane.json"), "l'instantané"),
    (("fix", "--yes"), "la correction"),
    (("diff", "avant.json"), "la comparaison"),
])
def test_each_command_names_itself_in_a_refusal(start_emulator: StartEmulator,
                                                tmp_path: Path, command: tuple[str, ...],
                                                purpose: str) -> None:
    emulator = start_emulator("compte-limite")
    before = run_cli("snapshot", "--url", emulator.url, "--output", "avant.json", cwd=tmp_path)
    assert before.code == 0, before
    line = refusal(run_cli(command[0], "--url", emulator.url, "--user", "supervision",
                           *command[1:], cwd=tmp_path))
    assert (f"n'a pas le droit «\u00a0Réglages\u00a0» sur {emulator.url}, dont {purpose} a "
            "besoin.") in line
