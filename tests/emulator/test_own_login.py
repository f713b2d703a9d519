"""The emulator checks logins with its own code, so that it can catch the client's mistakes.

Its password hash and proof are held to the openssl known answers (tests/fixtures/vectors),
never to the client's code; its round count comes from the scenario, and the real client
(through the CLI) and the official client must follow what `salt` says: a client that used a
fixed count, or a wrong proof, fails here.
"""

from __future__ import annotations

import ast
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from urbackup_api import urbackup_server

from checks.emulator import Emulator
from checks.emulator.logins import Logins, expected_proof, stored_hash
from checks.emulator.records import WebUser
from checks.emulator.scenarios import ScenarioError, load
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT
from tests.emulator.replay import Replayer

StartEmulator = Callable[..., Emulator]
VECTORS: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "fixtures" / "vectors" / "login_proof.json").read_text("utf-8"))
ORACLE_MODULES = ("api", "logins", "records", "scenarios", "state")
"""The emulator's modules that decide what it answers: none may share the client's code."""


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v['pbkdf2_rounds']}-{v['rnd']}")
def test_the_emulator_hashes_and_proves_as_openssl(vector: dict[str, Any]) -> None:
    stored = stored_hash(vector["salt"], vector["password"], vector["pbkdf2_rounds"])
    assert stored == vector["stored_hash"]
    assert expected_proof(vector["rnd"], stored) == vector["proof"].encode()
    user = WebUser(1, "admin", vector["salt"], stored, [], vector["pbkdf2_rounds"])
    logins = Logins(threading.RLock())
    assert logins.check_proof(user, vector["rnd"], vector["proof"])
    assert logins.check_plain(user, vector["password"])
    wrong = vector["proof"][:-1] + ("0" if vector["proof"][-1] != "0" else "1")
    assert not logins.check_proof(user, vector["rnd"], wrong)
    assert not logins.check_proof(user, vector["rnd"], "é" * 32)
    assert not logins.check_plain(user, vector["password"] + "x")


def test_the_emulator_decides_with_none_of_the_clients_code() -> None:
    """What the emulator answers is written from the recordings, not imported from what it
    judges (checks.appliance: login proof, merge rule; checks.audit: baseline, values)."""
    for name in ORACLE_MODULES:
        tree = ast.parse((ROOT / "checks" / "emulator" / f"{name}.py").read_text("utf-8"))
        imported = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module} | {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names}
        shared = {m for m in imported if m.startswith(("checks.appliance", "checks.audit"))}
        assert not shared, (name, shared)


def _scenario(folder: Path, rounds: int) -> str:
    path = folder / f"tours-{rounds}.toml"
    path.write_text(f'base = "datis-conforme"\n[server]\npbkdf2_rounds = {rounds}\n'
                    '[[web_users]]\nname = "admin"\n', "utf-8")
    return str(path)


@pytest.mark.parametrize("rounds", [0, 1, 37, 10000])
def test_every_client_logs_in_with_the_rounds_the_server_gives(
        start_emulator: StartEmulator, tmp_path: Path, rounds: int) -> None:
    emulator = start_emulator(_scenario(tmp_path, rounds))
    assert Replayer(emulator).salt()["pbkdf2_rounds"] == rounds
    run = run_cli("--url", emulator.url, "--format", "json")
    assert (run.code, json.loads(run.stdout)["conforme"]) == (0, True), run.stderr
    assert urbackup_server(f"{emulator.url}/x", "admin", PASSWORD).login() is True
    assert not emulator.state.failures, "aucun échec de connexion"


@pytest.mark.parametrize("rounds", [0, 37])
def test_a_wrong_password_is_refused_whatever_the_rounds(
        start_emulator: StartEmulator, tmp_path: Path, rounds: int) -> None:
    emulator = start_emulator(_scenario(tmp_path, rounds))
    run = run_cli("--url", emulator.url, password="pas-le-bon-mot-de-passe")
    assert run.code == 2
    assert "Mot de passe refusé pour «\u00a0admin\u00a0»" in run.stderr
    assert len(emulator.state.failures["127.0.0.1"]) == 1


def test_each_account_keeps_the_rounds_it_was_made_with(tmp_path: Path,
                                                        start_emulator: StartEmulator) -> None:
    """An account made before PBKDF2 (0 rounds) beside a newer one: `salt` tells each its own."""
    emulator = start_emulator(_scenario(tmp_path, 0))
    emulator.state.pbkdf2_rounds = 10000
    emulator.state.add_web_user("recent", PASSWORD, [{"domain": "all", "right": "all"}])
    replayer = Replayer(emulator)
    assert replayer.salt("admin")["pbkdf2_rounds"] == 0
    assert replayer.salt("recent")["pbkdf2_rounds"] == 10000
    for username in ("admin", "recent"):
        run = run_cli("--url", emulator.url, "--user", username, "--format", "json")
        assert run.code == 0, (username, run.stderr)


@pytest.mark.parametrize("raw", ["-1", "true", '"10000"', "1.5"])
def test_the_rounds_of_a_scenario_are_a_whole_number(tmp_path: Path, raw: str) -> None:
    path = tmp_path / "tours.toml"
    path.write_text(f"[server]\npbkdf2_rounds = {raw}\n", "utf-8")
    with pytest.raises(ScenarioError, match="« pbkdf2_rounds » doit être un entier positif"):
        load(str(path), admin_password=PASSWORD)
