"""The real `datis-audit` run by the tests: in this process by default, as a subprocess where
the process itself is under test.

Both start from the same environment (the test's, without any DATIS_ variable or NO_COLOR,
plus the password and what the test adds) and give the same Run. In this process the run
goes through `checks.cli.main.main`, the entry point of `python -m checks` and of the
console script, with what a fresh process would see: that environment, the working folder,
the given stdin, stdout and stderr that are not terminals, and everything put back after
the run (streams, environment, folder, logging, gettext's domain). A subprocess costs
about 0.4 s of interpreter start and imports; a run in this process costs its own work only.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from checks.cli import main as cli
from tests.conftest import PASSWORD, ROOT

STREAMS = ("stdin", "stdout", "stderr", "__stdin__", "__stdout__", "__stderr__")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def environment(password: str | None = PASSWORD,
                env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A technician's environment: no DATIS_ variable, NO_COLOR nor terminal size (COLUMNS,
    which pytest-xdist's workers set) unless the test sets it: outputs as wide as a pipe's."""
    built = {k: v for k, v in os.environ.items()
             if not k.startswith("DATIS_") and k not in ("NO_COLOR", "COLUMNS", "LINES")}
    if password is not None:
        built["DATIS_PASSWORD"] = password
    built.update(env or {})
    return built


def run_cli(*args: str, password: str | None = PASSWORD, env: Mapping[str, str] | None = None,
            stdin: str | None = None, cwd: str | Path | None = None,
            internal_error: bool = False) -> Run:
    """`datis-audit ARGS` in this process, as a technician's shell would run it.

    `internal_error=True` only where a test plants a defect (tests/hardening/test_internal.py).
    """
    run = run_main(cli.main, args, env=environment(password, env), stdin=stdin, cwd=cwd)
    _check(run, internal_error)
    return run


def run_main(main: Callable[[list[str]], int], args: Sequence[str], *, env: Mapping[str, str],
             stdin: str | None = None, cwd: str | Path | None = None) -> Run:
    """One of our command-line entry points in this process, with exactly `env`."""
    with _fresh_process(dict(env), stdin or "", cwd or ROOT) as streams:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = _exit_code(exc, streams[1])
    return Run(code, *(_text(stream) for stream in streams))


def run_cli_process(*args: str, password: str | None = PASSWORD,
                    env: Mapping[str, str] | None = None, stdin: str | None = None,
                    cwd: str | Path | None = None, timeout: float = 120) -> Run:
    """`python -m checks ARGS` in a subprocess: for the tests of the process itself."""
    done = subprocess.run([sys.executable, "-m", "checks", *args], capture_output=True,
                          text=True, env=environment(password, env), cwd=cwd or ROOT,
                          input=stdin or "", timeout=timeout)
    run = Run(done.returncode, done.stdout, done.stderr)
    _check(run, internal_error=False)
    return run


def _check(run: Run, internal_error: bool) -> None:
    if not internal_error:
        assert "Erreur interne" not in run.stdout + run.stderr, run.stderr


def _exit_code(exc: SystemExit, stderr: TextIO) -> int:
    """What the interpreter makes of a SystemExit: None is 0, a message goes to stderr, 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=stderr)
    return 1


def _stream(data: bytes = b"", *, errors: str = "strict") -> io.TextIOWrapper:
    """A text stream with a `.buffer`, never a terminal, in UTF-8 as our processes speak."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors)


def _text(stream: io.TextIOWrapper) -> str:
    """What was written, decoded as `subprocess.run(text=True)` does (universal newlines)."""
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return _stream(buffer.getvalue()).read()


@contextmanager
def _fresh_process(env: dict[str, str], stdin: str,
                   cwd: str | Path) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """Streams, environment, folder, logging, warnings and gettext as a new process has them,
    then back."""
    streams = _stream(), _stream(errors="backslashreplace")
    saved_streams = {name: getattr(sys, name) for name in STREAMS}
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_domain = gettext.textdomain()
    root, ours = logging.getLogger(), logging.getLogger("checks")
    saved_handlers, saved_levels = root.handlers[:], (root.level, ours.level)
    try:
        for handler in saved_handlers:  # a new process has none: the CLI's basicConfig works
            root.removeHandler(handler)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        # sys.__stdout__ too: the terminal's width is read from it, not from sys.stdout
        for name, stream in zip(STREAMS, (_stream(stdin.encode()), *streams) * 2, strict=True):
            setattr(sys, name, stream)
        with warnings.catch_warnings():
            _fresh_warnings()
            yield streams
    finally:
        for name, saved in saved_streams.items():
            setattr(sys, name, saved)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        gettext.textdomain(saved_domain)
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_levels[0])
        ours.setLevel(saved_levels[1])


def _fresh_warnings() -> None:
    """Python's default filters, and warnings printed on stderr: not recorded by pytest."""
    warnings.resetwarnings()
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                     ResourceWarning):
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = _print_warning


def _print_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                   file: TextIO | None = None, line: str | None = None) -> None:
    print(warnings.formatwarning(message, category, filename, lineno, line), end="",
          file=sys.stderr)
