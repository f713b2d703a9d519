"""Shared fixtures: emulated appliances on real sockets, and Sphinx's own test fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checks.emulator import Emulator

pytest_plugins = ("sphinx.testing.fixtures", "tests.browser")

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = Path(__file__).resolve().parent / "fixtures" / "recordings"
PASSWORD = "secret"


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., Emulator]]:
    """Start emulators (`start_emulator("datis-derive", latency_ms=20)`); all stop at the end.

    The returned Emulator is running: `emu.url` is its address, `emu.state` its appliance,
    `emu.faults` its fault plan.
    """
    running: list[Emulator] = []

    def start(scenario: str = "datis-conforme", **options: Any) -> Emulator:
        options.setdefault("admin_password", PASSWORD)
        emulator = Emulator(scenario, **options)
        emulator.start()
        running.append(emulator)
        return emulator

    yield start
    for emulator in running:
        emulator.stop()


@pytest.fixture
def emulator(start_emulator: Callable[..., Emulator]) -> Emulator:
    """A running `datis-conforme` appliance whose admin password is PASSWORD."""
    return start_emulator()
