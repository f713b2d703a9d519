"""Helpers to run the real datis-audit CLI against emulated appliances."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest

from checks.emulator import Emulator
from tests.cli_run import Run, run_cli


@pytest.fixture
def audit_cli(start_emulator: Callable[..., Emulator]) -> Callable[..., Run]:
    """Audit a fresh emulated appliance: `audit_cli("datis-derive", "--format", "json")`."""

    def run(scenario: str, *args: str, **kwargs: object) -> Run:
        emulator = start_emulator(scenario)
        return run_cli("--url", emulator.url, *args, **kwargs)  # type: ignore[arg-type]

    return run


UNWRAPPED = {"COLUMNS": "1000"}
"""A terminal wide enough for one line per change: for tests of the words of a whole output
(the wrapping itself is tested in test_terminal_widths)."""


def flat(text: str) -> str:
    """Text as read, its lines wrapped at the terminal's width joined again: for what a test
    asserts of the words, not of the layout. No-break spaces are kept: they are typography."""
    return " ".join(re.split(r"[ \t\r\n]+", text.strip()))


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
