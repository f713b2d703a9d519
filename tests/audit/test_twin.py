"""The twin of an appliance (the emulator started from a snapshot) is audited, corrected and
read exactly as the appliance it was taken from: same findings, same verdict, same exit code,
same corrections, the same settings for an independent client."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from urbackup_api import urbackup_server

from checks.emulator import Emulator, twin
from checks.emulator.scenarios import scenario_names
from checks.settings.catalogue import is_secret
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT

StartEmulator = Callable[..., Emulator]


def _snapshot(emulator: Emulator, folder: Path) -> Path:
    target = folder / f"instantane-{len(list(folder.glob('*.json')))}.json"
    run = run_cli("snapshot", "--url", emulator.url, "--output", str(target))
    assert run.code == 0, run.stderr
    return target


def _pair(start_emulator: StartEmulator, scenario: str, folder: Path) -> tuple[Emulator, Emulator]:
    original = start_emulator(scenario)
    copy = start_emulator(state=twin.load(str(_snapshot(original, folder)),
                                          admin_password=PASSWORD))
    return original, copy


def _audit(emulator: Emulator) -> tuple[int, dict[str, Any]]:
    run = run_cli("--url", emulator.url, "--format", "json")
    assert "Erreur interne" not in run.stderr
    report = json.loads(run.stdout)
    return run.code, {key: report[key] for key in ("verdict", "conforme", "ecarts", "sections",
                                                   "constats")}


def _many_clients(folder: Path, count: int = 100) -> str:
    """A scenario with `count` workstations: some never backed up, some with overrides."""
    lines = ['base = "referentiel"', '[[groups]]', 'id = 1', 'name = "Postes"',
             '[groups.settings]', 'max_file_incr = 60']
    for number in range(1, count + 1):
        lines += ["[[clients]]", f"id = {number}", f'name = "PC-{number:03d}"',
                  f"group = {1 if number % 2 else 0}"]
        if number % 10 == 0:
            lines += ["[clients.settings]", "update_freq_incr = 86400"]
        if number % 3:
            lines += ["[[clients.backups]]", 'type = "file"', f'age = "{number % 7 + 1}h"']
    path = folder / "cent-postes.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


@pytest.mark.parametrize("scenario", scenario_names())
def test_the_twin_is_audited_as_the_original(start_emulator: StartEmulator, tmp_path: Path,
                                             scenario: str) -> None:
    original, copy = _pair(start_emulator, scenario, tmp_path)
    assert _audit(copy) == _audit(original)


def test_the_twin_of_a_hundred_clients_is_audited_as_the_original(
        start_emulator: StartEmulator, tmp_path: Path) -> None:
    original, copy = _pair(start_emulator, _many_clients(tmp_path), tmp_path)
    code, report = _audit(original)
    assert code == 1 and len(original.state.clients) == 100
    assert _audit(copy) == (code, report)


def _fix(emulator: Emulator, folder: Path) -> tuple[int, list[str]]:
    # Wide enough that no line wraps: the two addresses differ in length, not the changes.
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(folder / "avant.json"),
                  env={"DATIS_MAIL_PASSWORD": "Mot-De-Passe-Smtp-1", "COLUMNS": "1000"})
    shown = [line.replace(emulator.url, "URL") for line in run.stdout.splitlines()
             if not line.startswith("Réglages d'avant correction")]
    return run.code, shown


@pytest.mark.parametrize("scenario", ["datis-derive", "messagerie-absente", "hostile"])
def test_fix_on_the_twin_makes_the_same_changes(start_emulator: StartEmulator, tmp_path: Path,
                                                scenario: str) -> None:
    original, copy = _pair(start_emulator, scenario, tmp_path)
    (tmp_path / "o").mkdir()
    (tmp_path / "t").mkdir()
    rehearsal = _fix(copy, tmp_path / "t")
    assert rehearsal == _fix(original, tmp_path / "o")
    assert rehearsal[1][0].startswith("Modifications pour revenir aux valeurs documentées")
    assert _audit(copy) == _audit(original)


def _settings_read_by_the_official_client(emulator: Emulator) -> dict[str, Any]:
    server = urbackup_server(f"{emulator.url}/x", "admin", PASSWORD)
    clients = server.get_status() or []
    read: dict[str, Any] = {"global": server.get_global_settings()}
    for client in clients:
        read[client["name"]] = (server.get_client_settings_by_id(client["id"]) or {})["settings"]
    return {name: {k: v for k, v in (values or {}).items()
                   if not is_secret(k) and k != "internet_authkey"}
            for name, values in read.items()}


def test_the_official_client_reads_the_same_settings(start_emulator: StartEmulator,
                                                     tmp_path: Path) -> None:
    original, copy = _pair(start_emulator, "datis-derive", tmp_path)
    assert _settings_read_by_the_official_client(copy) == \
        _settings_read_by_the_official_client(original)


def test_a_set_secret_stays_set_with_an_unknown_value(start_emulator: StartEmulator,
                                                      tmp_path: Path) -> None:
    original, copy = _pair(start_emulator, "datis-conforme", tmp_path)
    real = original.state.mail["mail_password"]
    stand_in = copy.state.mail["mail_password"]
    assert real and stand_in and stand_in != real
    snapshot = (tmp_path / "instantane-0.json").read_text("utf-8")
    assert real not in snapshot


def _stop(process: subprocess.Popen[str]) -> None:
    """Kill a server still running (a test that failed before stopping it)."""
    if process.poll() is None:
        process.kill()


def test_datis_audit_twin_serves_until_stopped(start_emulator: StartEmulator,
                                               tmp_path: Path) -> None:
    original = start_emulator("sauvegardes-en-retard")
    snapshot = _snapshot(original, tmp_path)
    env = {**os.environ, "DATIS_PASSWORD": PASSWORD}
    # a subprocess: the twin serves until the process is stopped by a signal
    with subprocess.Popen([sys.executable, "-m", "checks", "twin", str(snapshot), "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          cwd=ROOT) as served:
        try:
            assert served.stdout is not None
            first = served.stdout.readline()
            url = re.fullmatch(r"Jumeau servi\u00a0: (http://127\.0\.0\.1:\d+)\n", first)
            assert url, first
            audited = run_cli("--url", url.group(1), "--format", "json")
            served.send_signal(signal.SIGTERM)
            served.wait(timeout=30)
            rest = served.stdout.read()  # after readline(): communicate() would skip its buffer
            assert served.stderr is not None
            errors = served.stderr.read()
        finally:  # a failure above must not leave the server running (Popen's exit waits)
            _stop(served)
    assert (audited.code, json.loads(audited.stdout)["constats"]) == \
        (_audit(original)[0], _audit(original)[1]["constats"])
    assert "historique des sauvegardes" in rest
    assert served.returncode == 0, errors


def test_a_broken_snapshot_is_one_french_line(tmp_path: Path) -> None:
    broken = tmp_path / "tronque.json"
    broken.write_text('{"schema": "datis-snapshot/1", "clients": [', "utf-8")
    run = run_cli("twin", str(broken), "--port", "0")
    assert run.code == 3
    assert run.stderr == (f"datis-audit\u00a0: erreur\u00a0: Instantané {broken}\u00a0: JSON "
                          "invalide "
                          "(fichier tronqué ou altéré).\n")


def test_the_emulator_command_starts_a_twin(start_emulator: StartEmulator,
                                            tmp_path: Path) -> None:
    snapshot = _snapshot(start_emulator("datis-derive"), tmp_path)
    # a subprocess: the emulator serves until the process is stopped by a signal
    with subprocess.Popen([sys.executable, "-m", "checks.emulator", "--port", "0", "--snapshot",
                           str(snapshot), "--admin-password", PASSWORD],
                          stdout=subprocess.PIPE, text=True, cwd=ROOT) as served:
        try:
            assert served.stdout is not None
            url = served.stdout.readline().strip()
            audited = run_cli("--url", url)
            served.send_signal(signal.SIGTERM)
            served.communicate(timeout=30)
        finally:
            _stop(served)
    assert audited.code == 1
    assert served.returncode == 0
