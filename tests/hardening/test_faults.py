"""Every way an appliance (or what stands in front of it) can answer badly.

Each fault mode of the emulator, aimed at every request or only at the settings reads that
follow the login: exit 2, one French line, no traceback, the --output file as it was (no
temporary file left), and nothing changed on the appliance.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checks.emulator.faults import Fault
from tests.cli_run import run_cli, run_cli_process
from tests.hardening.conftest import Guarded, assert_one_french_error

# kind, options, words the French message must contain
FAULTS: list[tuple[str, dict[str, Any], str]] = [
    ("html", {}, "HTTP 502"),
    ("html200", {}, "HTML"),
    ("http500", {}, "HTTP 500"),
    ("empty", {}, "vide"),
    ("truncate", {}, "tronqué"),
    ("wrong_types", {}, "réponse"),
    ("huge", {"size_mb": 70}, "trop volumineuse"),
    ("stall", {"seconds": 3.0}, "délai"),
    ("reset", {}, "coupée"),
    ("drop", {}, "coupée"),
    ("redirect", {}, "autre-hote.invalid"),
    ("error", {"code": 1}, "session"),
    ("error", {"code": 2}, "droit"),
    ("error", {"code": 3}, "banni"),
    ("error", {"code": 77}, "77"),
]
TARGETS = {"toutes": None, "reglages": frozenset({"settings"}), "etat": frozenset({"status"})}


def _fault_id(case: tuple[str, dict[str, Any], str]) -> str:
    kind, options, _ = case
    return kind + "".join(f"-{v}" for v in options.values())


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("case", FAULTS, ids=[_fault_id(c) for c in FAULTS])
def test_fault_exits_2_with_one_french_line(case: tuple[str, dict[str, Any], str], target: str,
                                            watched: Callable[..., Any], guarded: Guarded) -> None:
    kind, options, words = case
    emulator, watch = watched()
    emulator.faults.add(Fault(kind, actions=TARGETS[target], **options))
    run = run_cli("--url", emulator.url, "--timeout", "0.5", "--format", "json",
                  "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    if kind != "error" or target != "toutes":  # an in-band error on the salt is « incomplète »
        assert words in run.stderr, run
    assert run.stdout == ""
    guarded.assert_untouched()
    watch.assert_untouched()


@pytest.mark.parametrize("case", [FAULTS[0], FAULTS[3], FAULTS[6], FAULTS[7], FAULTS[8],
                                  FAULTS[10], FAULTS[13]], ids=_fault_id)
def test_fault_through_the_installed_command(case: tuple[str, dict[str, Any], str],
                                             watched: Callable[..., Any],
                                             guarded: Guarded) -> None:
    kind, options, words = case
    emulator, watch = watched()
    emulator.faults.add(Fault(kind, actions=frozenset({"settings"}), **options))
    # the installed command end to end: a fresh interpreter, its exit code through sys.exit
    run = run_cli_process("--url", emulator.url, "--timeout", "0.5", "--format", "html",
                          "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    assert words in run.stderr
    guarded.assert_untouched()
    watch.assert_untouched()


@pytest.mark.parametrize("kind", ["truncate", "reset", "stall"])
def test_snapshot_on_fault_keeps_the_earlier_snapshot(kind: str, watched: Callable[..., Any],
                                                      tmp_path: Any) -> None:
    guarded = Guarded(tmp_path / "instantanes", "instantane.json")
    emulator, watch = watched()
    emulator.faults.add(Fault(kind, actions=frozenset({"settings"}), seconds=3.0))
    run = run_cli("snapshot", "--url", emulator.url, "--timeout", "0.5",
                  "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    guarded.assert_untouched()
    watch.assert_untouched()


@pytest.mark.parametrize("kind", ["truncate", "wrong_types", "html"])
def test_fix_on_fault_changes_nothing(kind: str, watched: Callable[..., Any]) -> None:
    emulator, watch = watched("datis-derive")
    emulator.faults.add(Fault(kind, actions=frozenset({"settings"})))
    run = run_cli("fix", "--url", emulator.url, "--yes", "--timeout", "0.5")
    assert_one_french_error(run, 2)
    watch.assert_untouched()


def test_fault_with_nagios_format_is_unknown(watched: Callable[..., Any]) -> None:
    emulator, watch = watched()
    emulator.faults.add(Fault("truncate", actions=frozenset({"status"})))
    run = run_cli("--url", emulator.url, "--format", "nagios")
    assert run.code == 3
    assert run.stdout.startswith("DATIS UNKNOWN") or "UNKNOWN" in run.stdout.splitlines()[0]
    assert "Traceback" not in run.stderr
    watch.assert_untouched()


def test_a_fault_that_passes_lets_the_audit_finish(watched: Callable[..., Any],
                                                   guarded: Guarded) -> None:
    """The faults above are the cause of the failures: the same appliance, healthy, audits."""
    emulator, watch = watched()
    emulator.faults.add(Fault("slow", actions=frozenset({"usage"}), seconds=0.2))
    run = run_cli("--url", emulator.url, "--timeout", "0.5", "--format", "json",
                  "--output", str(guarded.path))
    assert run.code == 0, run
    assert guarded.path.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in guarded.folder.iterdir()) == [guarded.path.name]
    watch.assert_untouched()


@pytest.mark.parametrize("step", ["salt", "login"])
def test_a_login_met_with_a_dropped_connection_is_tried_once(
    step: str, watched: Callable[..., Any], guarded: Guarded,
) -> None:
    """Never retried, even when the server closed without answering: UrBackup bans an
    address after ten failed logins."""
    emulator, watch = watched()
    emulator.faults.add(Fault("drop", frozenset({step}), times=1))
    run = run_cli("--url", emulator.url, "--format", "json", "--output", str(guarded.path))
    assert_one_french_error(run, 2)
    assert f"La connexion à {emulator.url} a été coupée avant toute réponse" in run.stderr
    assert (emulator.served("salt"), emulator.served("login")) == (
        1, 1 if step == "login" else 0)
    assert emulator.requests_served == (2 if step == "login" else 1)
    guarded.assert_untouched()
    watch.assert_untouched()


def test_a_save_met_with_a_dropped_connection_is_sent_once(watched: Callable[..., Any],
                                                          tmp_path: Path) -> None:
    emulator, watch = watched("datis-derive")
    emulator.faults.add(Fault("drop", frozenset({"general_save"}), times=1))
    run = run_cli("fix", "--url", emulator.url, "--yes", cwd=tmp_path)
    assert_one_french_error(run, 2)
    assert f"La connexion à {emulator.url} a été coupée avant toute réponse" in run.stderr
    assert emulator.served("general_save") == 1
    watch.assert_untouched()
