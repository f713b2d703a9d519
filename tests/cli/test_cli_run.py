"""The suite's in-process run of datis-audit (tests/cli_run.py) is what a fresh process sees,
and leaves this process as it found it: otherwise every other test would prove less."""

from __future__ import annotations

import gettext
import logging
import os
import sys
import warnings
from pathlib import Path

import pytest

from checks.cli import main as cli
from checks.emulator import Emulator
from tests.cli_run import run_cli, run_cli_process


def _process_state() -> object:
    root = logging.getLogger()
    return (dict(os.environ), os.getcwd(), sys.stdin, sys.stdout, sys.stderr, sys.__stdout__,
            root.handlers[:], root.level, logging.getLogger("checks").level,
            gettext.textdomain())


def test_a_usage_error_is_the_same_in_this_process_and_in_a_subprocess() -> None:
    assert run_cli("--format", "xml", "--datis", "1A2B") == \
        run_cli_process("--format", "xml", "--datis", "1A2B")


def test_logs_reach_the_runs_stderr_although_pytest_has_its_handlers(
        emulator: Emulator) -> None:
    assert logging.getLogger().handlers, "pytest's log capture is installed"
    run = run_cli("-vv", "--url", emulator.url, "--format", "json")
    assert run.code == 0, run.stderr
    assert "datis-audit\u00a0: étape\u00a0: connecté" in run.stderr
    assert "\u00a0: débogage\u00a0: " in run.stderr


def test_the_run_sees_no_terminal_and_leaves_this_process_as_it_was(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def entry(argv: list[str] | None = None) -> int:
        seen.update(cwd=os.getcwd(), password=os.environ.get("DATIS_PASSWORD"),
                    no_color=os.environ.get("NO_COLOR"), stdin=sys.stdin.read(),
                    ttys=[s.isatty() for s in (sys.stdin, sys.stdout, sys.stderr)])
        sys.stdout.buffer.write("octets é\n".encode())
        logging.basicConfig(handlers=[logging.StreamHandler(sys.stderr)])
        logging.getLogger("checks").setLevel(logging.DEBUG)
        logging.getLogger("checks").warning("écrit sur stderr")
        raise SystemExit(5)

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(cli, "main", entry)
    before = _process_state()
    run = run_cli("x", password="p", stdin="réponse\n", cwd=str(tmp_path))
    assert _process_state() == before
    assert run.code == 5
    assert run.stdout == "octets é\n" and run.stderr == "WARNING:checks:écrit sur stderr\n"
    assert seen == {"cwd": str(tmp_path), "password": "p", "no_color": None,
                    "stdin": "réponse\n", "ttys": [False, False, False]}


def test_an_exception_out_of_the_run_still_restores_this_process(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def entry(argv: list[str] | None = None) -> int:
        os.environ["DATIS_EXTRA"] = "1"
        logging.basicConfig(handlers=[logging.StreamHandler(sys.stderr)])
        raise KeyError("défaut")

    monkeypatch.setattr(cli, "main", entry)
    before = _process_state()
    with pytest.raises(KeyError):
        run_cli("x", cwd=str(tmp_path))
    assert _process_state() == before


def test_a_planted_internal_error_is_caught_unless_announced(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def entry(argv: list[str] | None = None) -> int:
        print("datis-audit\u00a0: erreur\u00a0: Erreur interne inattendue", file=sys.stderr)
        return 4

    monkeypatch.setattr(cli, "main", entry)
    with pytest.raises(AssertionError):
        run_cli("x")
    assert run_cli("x", internal_error=True).code == 4


def test_warnings_are_printed_as_a_fresh_process_prints_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def entry(argv: list[str] | None = None) -> int:
        warnings.warn("visible", UserWarning, stacklevel=1)
        warnings.warn("masqué", DeprecationWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(cli, "main", entry)
    stderr = run_cli("x").stderr
    assert "UserWarning: visible" in stderr and "masqué" not in stderr

