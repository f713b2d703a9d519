"""The CLI's contract: exit codes, password sources, snapshot, no secret in any output."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.appliance import snapshot
from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD

MAIL_PASSWORD = "Relais-SMTP-demo-7731"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--datis", "1A2G"], "Identifiant DATIS invalide"),
        (["--mac", "00:25:90:AB:1A"], "Adresse MAC invalide"),
        (["--url", "ftp://x"], "Adresse invalide"),
        (["--datis", "1A2B", "--url", "http://x"], "incompatible"),
        ([], "obligatoire"),
        (["--url", "http://127.0.0.1:1", "--password", "x"], "non reconnus"),
        (["--url", "http://127.0.0.1:1", "--format", "pdf"], "choix invalide"),
        (["--url", "http://127.0.0.1:1", "--baseline", "/nonexistent.toml"], "Référentiel"),
    ],
)
def test_usage_errors_exit_3_in_french(args: list[str], fragment: str) -> None:
    run = run_cli(*args)
    assert run.code == 3, run
    assert fragment in run.stderr
    assert "Traceback" not in run.stderr


def test_unreachable_appliance_exits_2() -> None:
    run = run_cli("--url", f"http://127.0.0.1:{_free_port()}")
    assert run.code == 2
    assert "Connexion refusée" in run.stderr
    assert "Traceback" not in run.stderr


def test_wrong_password_exits_2_after_one_attempt(emulator: Emulator) -> None:
    run = run_cli("--url", emulator.url, password="mauvais")
    assert run.code == 2
    assert "Mot de passe refusé" in run.stderr
    assert sum(len(v) for v in emulator.state.failures.values()) == 1
    assert "mauvais" not in run.stderr


def test_password_file_and_missing_password(emulator: Emulator, tmp_path: Path) -> None:
    secret_file = tmp_path / "mdp"
    secret_file.write_text(PASSWORD + "\n", "utf-8")
    run = run_cli("--url", emulator.url, "--password-file", str(secret_file), password=None)
    assert run.code == 0, run.stderr
    missing = run_cli("--url", emulator.url, password=None)
    assert missing.code == 3
    assert "Mot de passe manquant" in missing.stderr
    empty = tmp_path / "vide"
    empty.write_text("", "utf-8")
    assert run_cli("--url", emulator.url, "--password-file", str(empty),
                   password=None).code == 3


def test_output_file_is_written_whole(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "rapport.json"
    run = run_cli("--url", emulator.url, "--format", "json", "--output", str(target))
    assert run.code == 0
    assert json.loads(target.read_text("utf-8"))["conforme"] is True
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.json"]


def test_failed_audit_leaves_no_output_file(tmp_path: Path) -> None:
    target = tmp_path / "rapport.html"
    run = run_cli("--url", f"http://127.0.0.1:{_free_port()}", "--format", "html",
                  "--output", str(target))
    assert run.code == 2
    assert list(tmp_path.iterdir()) == []


def test_snapshot_has_no_secret_and_reads_back(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "instantane.json"
    run = run_cli("snapshot", "--url", emulator.url, "--output", str(target))
    assert run.code == 0, run.stderr
    text = target.read_text("utf-8")
    assert MAIL_PASSWORD not in text
    restore_key = emulator.state.rows[0]["restore_authkey"].value
    assert restore_key not in text
    reading = snapshot.load(target)
    assert reading.value("update_freq_incr") == "18000"
    assert [c.name for c in reading.clients] == [
        "PC-ACCUEIL", "PC-COMPTA", "SRV-FICHIERS", "SRV-INTRANET"]
    assert reading.server_identity == emulator.state.server_identity


def test_no_secret_in_any_format_even_verbose(start_emulator: Callable[..., Emulator]) -> None:
    admin_password = "Adm1n-Pa55-9f3c1e"
    emulator = start_emulator("datis-conforme", admin_password=admin_password)
    for fmt in ("text", "json", "junit", "rst", "html"):
        run = run_cli("--url", emulator.url, "--format", fmt, "-vv", password=admin_password)
        assert run.code == 0, run.stderr
        assert "POST" in run.stderr  # the debug log did run
        for output in (run.stdout, run.stderr):
            assert MAIL_PASSWORD not in output
            assert admin_password not in output


def test_help_is_french_and_documents_exit_codes() -> None:
    run = run_cli("--help")
    assert run.code == 0
    assert "codes de sortie" in run.stdout
    assert "audit impossible" in run.stdout
    assert "afficher cette aide" in run.stdout
