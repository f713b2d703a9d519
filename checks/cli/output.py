"""Where the CLI's words go: reports to stdout or a file written whole, logs to stderr."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from checks.errors import UsageError
from checks.files import atomic, oserrors
from checks.french.typography import typeset

log = logging.getLogger(__name__)

MIN_WIDTH = 60
"""Below this, the tables of the text report cannot hold their four columns."""


LEVELS = {logging.DEBUG: "débogage", logging.INFO: "étape", logging.WARNING: "attention",
          logging.ERROR: "erreur", logging.CRITICAL: "erreur grave"}
"""Log levels as a French technician reads them (`-v` shows the steps, `-vv` debugging)."""


class FrenchFormatter(logging.Formatter):
    """« datis-audit : attention : … »: the level in French, never `WARNING`; typeset."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        level = LEVELS.get(record.levelno, record.levelname.lower())
        return typeset(f"datis-audit : {level} : {record.getMessage()}")


def setup_logging(verbosity: int) -> None:
    """Warnings always; `-v` our steps, `-vv` our debugging (libraries only warn, in English)."""
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 \
        else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FrenchFormatter())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("checks").setLevel(level)


def color_allowed() -> bool:
    """Colours on a terminal only, and never when NO_COLOR is set (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def terminal_width() -> int:
    """The terminal's columns (COLUMNS first, as shells set it), 100 when there is none."""
    return max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)


def emit(text: str, output: str | None, *, what: str = "Rapport", confirm: bool = True) -> None:
    """To stdout, or to a file written whole (never half-written), which stderr confirms."""
    if output is None:
        log.info("écriture sur la sortie standard")
        if sys.stdout is None:
            raise UsageError("La sortie standard est fermée : rien n'a pu y être écrit "
                             "(utilisez --output FICHIER).")
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    log.info("écriture de %s", output)
    try:
        atomic.write_text(output, text)
    except OSError as exc:
        raise UsageError(f"Impossible d'écrire {output} ({oserrors.reason(exc)}).") from None
    if confirm:
        print(typeset(f"{what} écrit : {output}", output), file=sys.stderr)


class StdoutClosed(Exception):
    """The program reading our standard output went away (`datis-audit … | head`)."""


class _GuardedStdout(io.TextIOBase):
    """sys.stdout during a run: a write that fails is told as such, never as an internal
    error, wherever in the command it happens (a report, `fix`'s plan, the fleet summary).

    A full device (`> /dev/full`) or a closed stdout (`>&-`, which Python gives as None) is a
    French usage error; a reader gone (`| head`) is StdoutClosed. After a failure, file
    descriptor 1 points at /dev/null: the bytes Python still buffers are dropped at exit
    instead of an English « Exception ignored ».
    """

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self._stream = stream

    def _target(self) -> TextIO:
        if self._stream is None:
            raise UsageError("La sortie standard est fermée : rien n'a pu y être écrit "
                             "(utilisez --output FICHIER).")
        return self._stream

    def write(self, text: str) -> int:
        target = self._target()
        try:
            return target.write(text)
        except OSError as exc:
            raise self._failure(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._failure(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def fileno(self) -> int:
        return self._target().fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding if self._stream is not None else "utf-8"

    def _failure(self, exc: OSError) -> Exception:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._target().fileno())  # a real stream: _target never fails here
            os.close(null)
        if isinstance(exc, BrokenPipeError):
            return StdoutClosed()
        return UsageError(
            f"Impossible d'écrire sur la sortie standard ({oserrors.reason(exc)}).")


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run a command with its stdout failures told in French (see _GuardedStdout); what it
    wrote is flushed before the guard is lifted, so that a late failure is told too."""
    original = sys.stdout
    guarded = _GuardedStdout(original)
    sys.stdout = guarded
    try:
        yield
        guarded.flush()
    finally:
        sys.stdout = original


def interactive() -> bool:
    """Whether stderr is a person's terminal: not piped, not in CI (which sets CI)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal's stderr; silent when piped or in CI.

    Drawn again at each step rather than by a refresh thread: a fleet forks its audit
    processes while the bar is shown, and a thread caught writing to stderr at that moment
    would leave the copy of stderr's lock held in every audit process.
    """
    if not interactive():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task(label, total=total)
        bar.refresh()

        def advance() -> None:
            bar.advance(task)
            bar.refresh()

        yield advance


@contextmanager
def reading(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """While an appliance is read: a bar of its requests on a terminal, nothing otherwise.

    The total grows as the reading learns it (the clients are known once the status is in).
    """
    if not interactive():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  TextColumn("requêtes"), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, known: bar.update(task, completed=done, total=known)
