"""argparse in French, through gettext: the command-line tools speak to technicians in French.

argparse asks `gettext.gettext` for each message it prints (usage lines, help headings,
errors). We ship a French catalogue for the `argparse` text domain as package data
(locale/fr/LC_MESSAGES/argparse.po, compiled to .mo) and point gettext at it; French is
chosen whatever the machine's locale, as every other message of the tools is French.
"""

from __future__ import annotations

import argparse
import copy
import gettext
import os
import sys
from pathlib import Path
from typing import NoReturn

from checks.errors import ExitCode
from checks.french.numbers import decimal
from checks.french.typography import typeset

DOMAIN = "argparse"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def speak_french() -> None:
    """Make argparse's messages French for this process (each CLI calls it first)."""
    os.environ["LANGUAGE"] = "fr"
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Headings as French writes them, « réseau : » like the epilogs' « codes de sortie : »
    (argparse glues the colon to every heading); descriptions and epilogs kept as written."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)

    def _expand_help(self, action: argparse.Action) -> str:
        """A decimal default as French writes it (« 2,5 », « 30 », never « 30.0 »)."""
        if isinstance(action.default, float):
            action = copy.copy(action)
            action.default = decimal(action.default)
        return super()._expand_help(action)


class FrenchParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one French line and the usage exit code (3), and
    whose help has French headings (HelpFormatter, its subcommands' too)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", HelpFormatter)
        speak_french()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def format_help(self) -> str:
        return typeset(super().format_help())

    def format_usage(self) -> str:
        return typeset(super().format_usage())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.fail(message)

    def fail(self, message: str) -> NoReturn:
        print(typeset(f"{self.prog} : erreur : {message}"), file=sys.stderr)
        raise SystemExit(int(ExitCode.USAGE))
