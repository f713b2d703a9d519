"""argparse in French: the command-line tools speak to technicians in their language.

argparse looks its messages up through its module-level `_` (gettext) each time it prints;
pointing that at our table translates usage lines, help headings and errors alike.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from checks.errors import ExitCode

_ARGPARSE_FR = {
    "usage: ": "usage : ",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "positional arguments": "arguments",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur est attendue",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "option %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "not allowed with argument %s": "incompatible avec l'option %s",
    "one of the arguments %s is required": "une de ces options est obligatoire : %s",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s pourrait être %(matches)s",
}


def french(message: str) -> str:
    return _ARGPARSE_FR.get(message, message)


argparse._ = french  # type: ignore[attr-defined]


class FrenchParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one French line and the usage exit code (3)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.fail(message)

    def fail(self, message: str) -> NoReturn:
        print(f"{self.prog} : erreur : {message}", file=sys.stderr)
        raise SystemExit(int(ExitCode.USAGE))
