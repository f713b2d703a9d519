"""What a supervision server reads: the Nagios state and exit code for each kind of écart,
and every Prometheus value, asserted exactly, through the real CLI against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checks.emulator import Emulator
from tests.cli_run import run_cli

MINOR = ("max_file_incr", "50")      # « égal à 100 », gravité mineure
MAJOR = ("update_freq_incr", "43200")  # « au plus 5 heures », gravité majeure
CRITICAL = ("no_file_backups", "true")  # « égal à non », gravité critique
CHECKS = 42
"""Findings of datis-conforme: 31 rules, 6 security and server ones, 2 backups of 3 clients
(without file backups, 3 fewer)."""


def _appliance(start_emulator: Callable[..., Emulator], *changes: tuple[str, str]) -> str:
    """A conforming appliance with these global settings changed, as the web interface saves."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general(dict(changes))
    return emulator.url


@pytest.mark.parametrize(("changes", "code", "state", "counts"), [
    ((), 0, "OK", (0, 0, 0, CHECKS)),
    ((MINOR,), 1, "WARNING", (0, 0, 1, CHECKS)),
    ((MAJOR,), 2, "CRITICAL", (0, 1, 0, CHECKS)),
    ((CRITICAL,), 2, "CRITICAL", (1, 0, 0, CHECKS - 3)),
    ((MINOR, MAJOR), 2, "CRITICAL", (0, 1, 1, CHECKS)),
])
def test_the_nagios_state_follows_the_worst_gravity(
        start_emulator: Callable[..., Emulator], changes: tuple[tuple[str, str], ...],
        code: int, state: str, counts: tuple[int, int, int, int]) -> None:
    url = _appliance(start_emulator, *changes)
    run = run_cli("--url", url, "--format", "nagios")
    assert run.code == code, run.stdout + run.stderr
    assert run.stdout.startswith(f"DATIS {state} - {url} : ")
    critical, major, minor, checks = counts
    assert run.stdout.endswith(
        f" | critiques={critical};;1;0 majeurs={major};;1;0 mineurs={minor};1;;0 "
        f"derogations=0;;;0 controles={checks};;;0\n")


def test_the_nagios_line_names_the_worst_ecarts_first(
        start_emulator: Callable[..., Emulator]) -> None:
    url = _appliance(start_emulator, MINOR, MAJOR, CRITICAL)
    run = run_cli("--url", url, "--format", "nagios")
    status = run.stdout.split(" | ")[0]
    assert status.startswith(f"DATIS CRITICAL - {url} : non conforme : Sauvegardes de fichiers "
                             "désactivées sur tout le serveur : oui, attendu : non. Les "
                             "sauvegardes de fichiers ne doivent ja… ; ")
    worst = status.split(" : ", 2)[2].split(" ; ")
    assert [part.split(" : ")[0] for part in worst] == [
        "Sauvegardes de fichiers désactivées sur tout le serveur",
        "Intervalle des sauvegardes incrémentielles de fichiers",
        "Nombre maximal de sauvegardes incrémentielles de fichiers conservées"]


def test_an_audit_that_cannot_be_made_is_unknown() -> None:
    run = run_cli("--url", "http://127.0.0.1:1", "--format", "nagios")
    assert run.code == 3
    assert run.stdout.startswith("DATIS UNKNOWN - http://127.0.0.1:1 : Connexion refusée")


def _metrics(url: str, tmp_path: Path) -> tuple[int, dict[str, str]]:
    target = tmp_path / "datis.prom"
    run = run_cli("--url", url, "--format", "prometheus", "--output", str(target))
    samples = {}
    for line in target.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = value
    return run.code, samples


@pytest.mark.parametrize(("changes", "code", "compliant", "counts"), [
    ((), 0, "1", ("0", "0", "0", str(CHECKS))),
    ((MINOR,), 1, "0", ("0", "0", "1", str(CHECKS))),
    ((MINOR, MAJOR, CRITICAL), 1, "0", ("1", "1", "1", str(CHECKS - 3))),
])
def test_prometheus_values_are_the_audit_s(
        start_emulator: Callable[..., Emulator], tmp_path: Path,
        changes: tuple[tuple[str, str], ...], code: int, compliant: str,
        counts: tuple[str, str, str, str]) -> None:
    url = _appliance(start_emulator, *changes)
    run_code, samples = _metrics(url, tmp_path)
    assert run_code == code
    labels = f'appliance="",url="{url}"'
    stamp = samples.pop(f"datis_audit_timestamp_seconds{{{labels}}}")
    assert stamp.isdigit()
    assert samples == {
        f"datis_audit_up{{{labels}}}": "1",
        f"datis_audit_compliant{{{labels}}}": compliant,
        f'datis_audit_gaps{{{labels},gravite="critique"}}': counts[0],
        f'datis_audit_gaps{{{labels},gravite="majeure"}}': counts[1],
        f'datis_audit_gaps{{{labels},gravite="mineure"}}': counts[2],
        f"datis_audit_waived{{{labels}}}": "0",
        f"datis_audit_checks{{{labels}}}": counts[3],
    }
