"""What the technician sees besides the report: steps, confirmations, progress, interruption,
errors in French, and supervision outputs that say when the audit failed."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from checks.emulator.faults import Fault
from tests.audit.conftest import read_terminal
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT

_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
_METRIC = re.compile(rf"^[a-zA-Z_:][a-zA-Z0-9_:]*\{{(?:{_LABEL},?)*\}} -?[0-9.e+]+$")


def test_output_says_what_it_wrote(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "conformite.html"
    run = run_cli("--url", emulator.url, "--format", "html", "--output", str(target))
    assert run.code == 0
    assert run.stderr == f"Rapport écrit\u00a0: {target}\n"
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_verbose_shows_each_step_in_french(start_emulator: Callable[..., Emulator],
                                           tmp_path: Path) -> None:
    url = start_emulator("sauvegardes-en-retard").url
    target = tmp_path / "rapport.json"
    run = run_cli("--url", url, "-v", "--format", "json", "--output", str(target))
    assert run.code == 1
    steps = [re.sub(r"^datis-audit\u00a0: étape\u00a0: \d+ "
                    r"contrôle", "datis-audit\u00a0: "
                                                                      "étape\u00a0: N contrôle",
                    line) for line in run.stderr.splitlines()]
    assert steps == [
        f"datis-audit\u00a0: étape\u00a0: connexion à {url} avec le compte «\u00a0admin\u00a0»",
        "datis-audit\u00a0: étape\u00a0: connecté",
        "datis-audit\u00a0: étape\u00a0: lecture de l'état, des réglages généraux et de "
        "messagerie, "
        "des comptes et de la version",
        "datis-audit\u00a0: étape\u00a0: lecture des réglages propres de 5 clients",
        "datis-audit\u00a0: étape\u00a0: lecture terminée\u00a0: 12 requêtes",
        "datis-audit\u00a0: étape\u00a0: application des règles du référentiel "
        f"{ROOT / 'checks' / 'data' / 'baseline.toml'}",
        "datis-audit\u00a0: étape\u00a0: N contrôles, 9 écarts, 0 dérogation",
        f"datis-audit\u00a0: étape\u00a0: écriture de {target}",
        f"Rapport écrit\u00a0: {target}",
    ]
    assert PASSWORD not in run.stderr


def test_warnings_have_a_french_level(start_emulator: Callable[..., Emulator]) -> None:
    run = run_cli("--url", start_emulator("sans-admin").url)
    assert run.code == 1
    assert run.stderr.startswith("datis-audit\u00a0: attention\u00a0: ")
    assert "session anonyme" in run.stderr and "WARNING" not in run.stderr


def test_file_errors_are_told_in_french(emulator: Emulator, tmp_path: Path) -> None:
    missing = run_cli("--url", emulator.url, "--baseline", str(tmp_path / "absent.toml"))
    assert missing.code == 3
    assert missing.stderr == (f"datis-audit\u00a0: erreur\u00a0: Référentiel illisible\u00a0: "
                              f"{tmp_path / 'absent.toml'} (fichier ou dossier introuvable).\n")
    folder = run_cli("--url", emulator.url, "--password-file", str(tmp_path))
    assert folder.code == 3
    assert folder.stderr.endswith(f"{tmp_path} (c'est un dossier, pas un fichier).\n")
    nowhere = tmp_path / "absent" / "rapport.html"
    unwritable = run_cli("--url", emulator.url, "--output", str(nowhere))
    assert unwritable.code == 3
    assert unwritable.stderr == (f"datis-audit\u00a0: erreur\u00a0: Impossible d'écrire {nowhere} "
                                 "(fichier ou dossier introuvable).\n")


READS_AFTER_LOGIN = 7
"""salt and login, then the first wave of reads: status (stalled here), general and mail
settings, accounts, version."""


def test_ctrl_c_exits_130_with_one_line(start_emulator: Callable[..., Emulator]) -> None:
    stalled = start_emulator(faults=[Fault("stall", frozenset({"status"}), seconds=20)])
    environment = {**os.environ, "DATIS_PASSWORD": PASSWORD}
    # a subprocess: Ctrl-C is a signal to the process, which then exits at once (os._exit).
    # It starts as from a terminal: a run in the background of a script (`cmd &`) ignores
    # SIGINT, and an ignored signal stays ignored across exec; a handled one is reset.
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "checks", "--url", stalled.url, "-v"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT)
    finally:
        signal.signal(signal.SIGINT, handler)
    with process:
        assert process.stderr is not None
        for line in process.stderr:
            if "lecture de l'état" in line:
                break
        waiting = time.monotonic() + 15  # interrupt once the reads are waiting on the appliance:
        while stalled.requests_served < READS_AFTER_LOGIN and time.monotonic() < waiting:
            time.sleep(0.01)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 130
    assert time.monotonic() - started < 10
    assert err == "datis-audit\u00a0: interrompu (Ctrl-C).\n" and out == ""


def _with_terminal_stderr(url: str, env: dict[str, str]) -> tuple[int, str, str]:
    """The audit with stderr on a pseudo-terminal (stdout piped): its code, stdout, terminal."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    environment.update({"DATIS_PASSWORD": PASSWORD, **env})
    # a subprocess: its stderr must be a real terminal for the progress bar
    with subprocess.Popen([sys.executable, "-m", "checks", "--url", url],
                          stdout=subprocess.PIPE, stderr=terminal, env=environment,
                          cwd=ROOT) as process:
        os.close(terminal)
        shown = read_terminal(controller)
        out, _ = process.communicate(timeout=60)
    os.close(controller)
    return process.returncode, out.decode(), shown


def test_reading_shows_progress_on_a_terminal_only(
        start_emulator: Callable[..., Emulator]) -> None:
    slow = start_emulator("sauvegardes-en-retard", latency_ms=300)
    code, report, terminal = _with_terminal_stderr(slow.url, {})
    assert code == 1 and report.startswith("Page de conformité")
    assert "Lecture de " in terminal and "requêtes" in terminal
    code, report, terminal = _with_terminal_stderr(slow.url, {"CI": "true"})
    assert code == 1 and report.startswith("Page de conformité")
    assert terminal == ""
    piped = run_cli("--url", slow.url)
    assert piped.code == 1 and piped.stderr == ""


def test_prometheus_says_the_audit_failed(emulator: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "datis.prom"
    good = run_cli("--url", emulator.url, "--format", "prometheus", "--output", str(target))
    assert good.code == 0
    host = emulator.url.removeprefix("http://")
    assert f'datis_audit_up{{appliance="{host}",url="{emulator.url}"}} 1' in \
        target.read_text("utf-8")
    down = run_cli("--url", "http://127.0.0.1:1", "--format", "prometheus", "--output",
                   str(target))
    assert down.code == 2
    assert down.stderr.startswith("datis-audit\u00a0: erreur\u00a0: Connexion refusée")
    assert len(down.stderr.splitlines()) == 1
    metrics = target.read_text("utf-8")
    assert 'datis_audit_up{appliance="127.0.0.1:1",url="http://127.0.0.1:1"} 0.0\n' in metrics
    assert "datis_audit_compliant" not in metrics
    for line in metrics.splitlines():
        assert line.startswith("# ") or _METRIC.match(line), line
    assert [p.name for p in tmp_path.iterdir()] == ["datis.prom"]
    to_stdout = run_cli("--datis", "1A2B", "--domain", "datis.invalid", "--format",
                        "prometheus")
    assert to_stdout.code == 2, to_stdout.stderr
    assert 'datis_audit_up{appliance="1A2B",url="https://backup.1a2b.datis.invalid"} 0' \
        in to_stdout.stdout


def test_prometheus_names_an_appliance_that_names_nothing(tmp_path: Path) -> None:
    target = tmp_path / "datis.prom"
    down = run_cli("--datis", "1A2", "--format", "prometheus", "--output", str(target))
    assert down.code == 3
    metrics = target.read_text("utf-8")
    assert 'datis_audit_up{appliance="1A2",url=""} 0.0\n' in metrics
