"""Helpers to run the real datis-audit CLI against emulated appliances."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, password: str | None = PASSWORD, env: dict[str, str] | None = None,
            stdin: str | None = None, cwd: str | None = None) -> Run:
    """`python -m checks ARGS` in a subprocess, as a technician runs it."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATIS_PASSWORD", "NO_COLOR")}
    if password is not None:
        environment["DATIS_PASSWORD"] = password
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-m", "checks", *args], capture_output=True,
                          text=True, env=environment, cwd=cwd or ROOT, input=stdin, timeout=120)
    assert "Erreur interne" not in done.stdout + done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def audit_cli(start_emulator: Callable[..., Emulator]) -> Callable[..., Run]:
    """Audit a fresh emulated appliance: `audit_cli("datis-derive", "--format", "json")`."""

    def run(scenario: str, *args: str, **kwargs: object) -> Run:
        emulator = start_emulator(scenario)
        return run_cli("--url", emulator.url, *args, **kwargs)  # type: ignore[arg-type]

    return run


def read_terminal(controller: int) -> str:
    """All a command wrote to a pseudo-terminal, read from its controlling side until it exits."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed once the command has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()
