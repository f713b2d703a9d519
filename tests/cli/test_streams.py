"""Standard streams that fail or end: a full or closed stdout, a reader gone, Ctrl-D at a
prompt. Each is one French line and its documented exit code, never an internal error.

Subprocesses throughout: what is under test is the process's own file descriptors.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.audit.conftest import read_terminal
from tests.cli_run import environment
from tests.conftest import ROOT

FULL = "datis-audit\u00a0: erreur\u00a0: Impossible d'écrire sur la sortie standard (plus de " \
       "place sur le disque).\n"
CLOSED = "datis-audit\u00a0: erreur\u00a0: La sortie standard est fermée\u00a0: rien n'a pu y " \
         "être écrit (utilisez --output FICHIER).\n"
GONE = "datis-audit\u00a0: sortie standard fermée avant la fin (tube rompu)\u00a0: le reste du " \
       "rapport n'a pas été écrit.\n"


def _run(args: list[str], stdout: int | None, *, shell_redirect: str = "",
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "checks", *args]
    if shell_redirect:  # a redirection only a shell can make (closing a descriptor)
        command = ["bash", "-c", f'exec "$@" {shell_redirect}', "bash", *command]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          env=environment(env=env), cwd=ROOT, timeout=120, check=False)


def test_a_full_stdout_is_said_in_french(emulator: Emulator) -> None:
    for args in (["--url", emulator.url], ["fix", "--url", emulator.url]):
        with open("/dev/full", "w") as full:
            done = _run(args, full.fileno())
        assert (done.returncode, done.stderr) == (3, FULL), args


def test_a_closed_stdout_is_said_in_french(start_emulator: Callable[..., Emulator]) -> None:
    url = start_emulator("datis-derive").url
    for args in (["--url", url], ["fix", "--url", url]):
        done = _run(args, None, shell_redirect=">&-")
        assert (done.returncode, done.stderr) == (3, CLOSED), args


def test_a_closed_stdout_does_not_matter_with_output(emulator: Emulator,
                                                     tmp_path: Path) -> None:
    target = tmp_path / "conformite.json"
    done = _run(["--url", emulator.url, "--format", "json", "--output", str(target)], None,
                shell_redirect=">&-")
    assert (done.returncode, done.stderr) == (0, f"Rapport écrit\u00a0: {target}\n")


def test_a_reader_gone_is_141_and_one_line(emulator: Emulator) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before the first write: `| head -0`
    try:
        done = _run(["--url", emulator.url], writing)
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (141, GONE)


def _at_a_terminal(args: list[str], wait_for: bytes, env: dict[str, str]) -> tuple[int, str]:
    """The command with a pseudo-terminal as its controlling terminal (getpass reads
    /dev/tty), Ctrl-D typed once `wait_for` is shown; its exit code and what it showed.
    CI is set: no progress bar on that terminal."""
    controller, terminal = pty.openpty()
    take_terminal = ("import os, sys; os.close(os.open(os.ttyname(0), os.O_RDWR)); "
                     "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")
    with subprocess.Popen([sys.executable, "-c", take_terminal, "-m", "checks", *args],
                          stdin=terminal, stdout=terminal, stderr=terminal,
                          env=environment(password=None, env={"CI": "1", **env}), cwd=ROOT,
                          start_new_session=True) as process:
        os.close(terminal)
        shown = b""
        while wait_for not in shown:
            chunk = os.read(controller, 4096)
            assert chunk, shown
            shown += chunk
        os.write(controller, b"\x04")
        rest = read_terminal(controller)
        process.wait(timeout=60)
    os.close(controller)
    return process.returncode, (shown.decode() + rest).replace("\r\n", "\n")


def test_ctrl_d_at_the_password_prompt(emulator: Emulator) -> None:
    code, shown = _at_a_terminal(["--url", emulator.url], b"Mot de passe", {})
    assert code == 3
    assert shown == ("Mot de passe de «\u00a0admin\u00a0»\u00a0: \n"
                     "datis-audit\u00a0: erreur\u00a0: Mot de passe manquant\u00a0: donnez-le par "
                     "DATIS_PASSWORD, --password-file ou à l'invite.\n")


def test_ctrl_d_at_the_fix_question_applies_nothing(start_emulator: Callable[..., Emulator],
                                                   tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    backup = tmp_path / "avant.json"
    code, shown = _at_a_terminal(["fix", "--url", emulator.url, "--backup", str(backup)],
                                 b"[o/N] ", {"DATIS_PASSWORD": "secret", "NO_COLOR": "1"})
    assert code == 1
    assert shown.endswith("Appliquer ces 7 modifications\u202f? [o/N] \nRien n'a été modifié.\n")
    assert not backup.exists()
