"""Shared tools of the hardening suite: the CLI run for real, and a watch on the appliance.

Every hostile input goes through the real `datis-audit` code (tests/cli_run.py). The watch
records every API action the appliance served and a fingerprint of its state, so that a test
can prove nothing was changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checks.emulator import Emulator
from checks.emulator.state import ApplianceState
from tests.cli_run import Run
from tests.conftest import PASSWORD, ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
OLD_REPORT = "rapport précédent, à garder intact\n"
FRENCH_MARKERS = ("é", "è", "à", "ç", "ê", "«\u00a0", " le ", " la ", " les ", " de ", " du ",
                  " des ", " un ", " une ", " est ", " doit ", " pas ", " attendu", "invalide")


def assert_one_french_error(run: Run, code: int) -> None:
    """The CLI's failure contract: the code, one French line on stderr, no traceback."""
    assert run.code == code, run
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run
    lines = [line for line in run.stderr.splitlines() if line.startswith("datis-audit\u00a0: "
                                                                         "erreur")]
    assert len(lines) == 1, run
    assert any(marker in lines[0] for marker in FRENCH_MARKERS), run
    assert "Erreur interne" not in lines[0], run


class Guarded:
    """A folder holding one earlier report: a failed run must leave it exactly as it was."""

    def __init__(self, folder: Path, name: str = "rapport.txt") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / name
        self.path.write_text(OLD_REPORT, encoding="utf-8")

    def assert_untouched(self) -> None:
        assert sorted(p.name for p in self.folder.iterdir()) == [self.path.name], \
            "fichier temporaire laissé derrière"
        assert self.path.read_text(encoding="utf-8") == OLD_REPORT


@pytest.fixture
def guarded(tmp_path: Path) -> Guarded:
    return Guarded(tmp_path / "sortie")


def fingerprint(state: ApplianceState) -> str:
    """Everything an audit must never change on the appliance, as one comparable text."""
    with state.lock:
        return repr((
            sorted((cid, sorted(rows.items())) for cid, rows in state.rows.items()),
            sorted(state.mail.items()), sorted(state.ldap.items()), sorted(state.groups.items()),
            sorted(state.clients.items()), state.users, state.mail_log,
        ))


class Watch:
    """The API actions an emulated appliance served, and its state before them."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.calls: list[tuple[str, str]] = []
        self.before = fingerprint(emulator.state)
        api = emulator.server.api
        original = api.answer

        def answer(action: str, form: dict[str, str], *rest: Any) -> Any:
            self.calls.append((action, form.get("sa", "")))
            return original(action, form, *rest)

        api.answer = answer  # type: ignore[method-assign]

    @property
    def saves(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[1].endswith("_save")]

    def assert_untouched(self) -> None:
        assert self.saves == []
        assert fingerprint(self.emulator.state) == self.before

    def logins(self) -> int:
        return sum(1 for action, _ in self.calls if action == "login")


@pytest.fixture
def watched() -> Iterator[Any]:
    """Start an emulator and watch it: `emu, watch = watched("hostile", tls=True)`."""
    running: list[Emulator] = []

    def start(scenario: str = "datis-conforme", **options: Any) -> tuple[Emulator, Watch]:
        options.setdefault("admin_password", PASSWORD)
        emulator = Emulator(scenario, **options)
        watch = Watch(emulator)
        emulator.start()
        running.append(emulator)
        return emulator, watch

    yield start
    for emulator in running:
        emulator.stop()
