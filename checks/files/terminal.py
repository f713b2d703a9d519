"""Questions asked at a person's terminal, where Ctrl-D (end of input) is an answer too.

`input()` and `getpass()` raise EOFError when the input ends before a line: that is a person
declining to answer, not a defect. Both helpers return None then, after ending the prompt's
line, so that what is said next does not stand glued to the question.
"""

from __future__ import annotations

import getpass
import sys


def ask(question: str) -> str | None:
    """The line typed after `question`, or None at end of input."""
    try:
        return input(question)
    except EOFError:
        _end_line()
        return None


def ask_secret(question: str) -> str | None:
    """A secret typed without echo after `question`, or None at end of input."""
    try:
        return getpass.getpass(question)
    except EOFError:
        _end_line()
        return None


def _end_line() -> None:
    """The prompt's line closed on the terminal the question went to (getpass: the tty)."""
    print(file=sys.stderr, flush=True)
