"""Where the CLI's words go: reports to stdout or a file written whole, logs to stderr."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from checks.errors import UsageError
from checks.files import atomic

MIN_WIDTH = 60
"""Below this, the tables of the text report cannot hold their four columns."""


def setup_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 \
        else logging.DEBUG
    logging.basicConfig(level=level, format="datis-audit : %(levelname)s : %(message)s",
                        stream=sys.stderr)


def color_allowed() -> bool:
    """Colours on a terminal only, and never when NO_COLOR is set (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def terminal_width() -> int:
    """The terminal's columns (COLUMNS first, as shells set it), 100 when there is none."""
    return max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)


def emit(text: str, output: str | None) -> None:
    """To stdout, or to a file written whole (never half-written)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic.write_text(output, text)
    except OSError as exc:
        raise UsageError(f"Impossible d'écrire {output} ({exc.strerror}).") from None


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal's stderr; silent when piped."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
