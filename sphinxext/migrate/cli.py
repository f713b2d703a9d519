"""`datis-docs`: tools for the writers' pages. `datis-docs migrate` is the first.

Exit codes (documented in --help): 0 nothing to migrate, or migration written; 1 changes
wait for --write (dry run); 2 a page cannot be read or written; 3 usage error. What has no
sphinx-design equivalent is listed (file:line: message) and does not change the code.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path

from checks.cli.french import FrenchParser
from checks.errors import ExitCode
from checks.files.atomic import write_text
from checks.french.numbers import agree, count
from checks.french.typography import typeset
from sphinxext.migrate.inline import Note
from sphinxext.migrate.rewrite import Migration
from sphinxext.panels.config import COMPLEMENT_CSS, STATIC
from sphinxext.panels.layout import DEFAULT_DELIMITERS

EPILOG = """\
codes de sortie :
  0  rien à migrer, ou migration écrite (--write)
  1  sans --write : des pages sont à migrer (le diff est affiché)
  2  migration impossible : une page ne peut être lue (absente, pas en UTF-8) ou écrite
  3  erreur d'utilisation (option inconnue, séparateurs invalides)

Sans --write, rien n'est écrit : le diff unifié des pages montre ce qui changerait.
Avec --write, chaque page est remplacée d'un coup (jamais à moitié écrite).
Ce qui n'a pas d'équivalent dans sphinx-design est listé sur la sortie d'erreur,
« fichier:ligne: message », à reprendre à la main ; cette liste ne change pas le code.
"""


class Exit(IntEnum):
    """The documented exit codes of `datis-docs migrate` (the usage code is datis-audit's)."""

    DONE = 0
    PENDING = 1
    CANNOT_MIGRATE = 2
    USAGE = int(ExitCode.USAGE)


class CannotMigrate(Exception):
    """A page that cannot be read or written: one French line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="datis-docs",
        description="Outils des rédacteurs de la documentation DATIS.",
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(title="commandes", metavar="COMMANDE", dest="command",
                                     required=True)
    migrate = commands.add_parser(
        "migrate",
        help="réécrire les pages sphinx-panels en balisage sphinx-design",
        description="Réécrit les pages écrites pour sphinx-panels (panels, dropdown, "
                    "link-button, tabbed, div, badge, link-badge, opticon, fa) en balisage "
                    "natif de sphinx-design (grid, grid-item-card, button-link, button-ref, "
                    "tab-set, tab-item, bdg-*, octicon...). Les pages migrées se construisent "
                    "avec sphinx-design seul, sans sphinxext.panels.",
        epilog=EPILOG,
    )
    migrate.add_argument("paths", nargs="+", type=Path, metavar="CHEMIN",
                         help="page .rst, ou dossier dont toutes les pages .rst sont migrées")
    migrate.add_argument("--write", action="store_true",
                         help="écrire les pages migrées (sans cette option : diff seulement)")
    migrate.add_argument("--stylesheet", type=Path, metavar="DOSSIER",
                         help="avec --write : y écrire panels-bootstrap.css, la feuille qui "
                              "donne leur style aux classes gardées (btn-sm, border-info...) ; "
                              "ajoutez-la ensuite à html_css_files dans conf.py")
    migrate.add_argument("--delimiters", nargs=3, metavar=("PANNEAU", "EN-TÊTE", "PIED"),
                         default=list(DEFAULT_DELIMITERS),
                         help="les panels_delimiters du conf.py, s'il les change "
                              r"(par défaut : '^\-{3,}$' '^\^{3,}$' '^\+{3,}$')")
    return parser


def pages(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.rglob("*.rst"))
        elif path.is_file():
            found.append(path)
        else:
            raise CannotMigrate(f"{path} : ni page ni dossier.")
    return found


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CannotMigrate(f"{path} : la page n'est pas en UTF-8 (octet {error.start}).") from None
    except OSError as error:
        raise CannotMigrate(f"{path} : lecture impossible ({error.strerror}).") from None


def migrate(arguments: argparse.Namespace) -> Exit:
    delimiters = tuple(arguments.delimiters)
    for role, pattern in zip(("PANNEAU", "EN-TÊTE", "PIED"), delimiters, strict=True):
        try:
            re.compile(pattern)
        except re.error as error:  # its text is English: only where it stopped is kept
            where = "" if error.pos is None else f", au caractère {error.pos + 1}"
            raise UsageProblem(f"séparateur {role} invalide « {pattern} » : ce n'est pas une "
                               f"expression régulière correcte{where}.") from None
    changed: list[tuple[Path, str]] = []
    notes: list[tuple[Path, Note]] = []
    for path in pages(arguments.paths):
        text = read(path)
        migration = Migration(delimiters=(delimiters[0], delimiters[1], delimiters[2]))
        result = migration.page(text)
        notes += [(path, note) for note in migration.notes]
        if result != text:
            changed.append((path, result))
            if not arguments.write:
                sys.stdout.writelines(difflib.unified_diff(
                    text.splitlines(keepends=True), result.splitlines(keepends=True),
                    f"a/{path}", f"b/{path}"))
    if arguments.write:
        for path, result in changed:
            try:
                write_text(path, result)
            except OSError as error:
                raise CannotMigrate(f"{path} : écriture impossible ({error.strerror}).") from None
            print(typeset(f"{path} : migrée.", str(path)), file=sys.stderr)
        if arguments.stylesheet is not None:
            write_stylesheet(arguments.stylesheet)
    for path, note in notes:
        print(f"{path}:{note.line}: {typeset(note.message)}", file=sys.stderr)
    state = agree(len(changed), "migrée") if arguments.write else "à migrer"
    summary = (f"{count(len(changed), 'page')} {state}, "
               f"{count(len(notes), 'élément')} à reprendre à la main.")
    print(typeset(summary), file=sys.stderr)
    if changed and not arguments.write:
        return Exit.PENDING
    return Exit.DONE


def write_stylesheet(folder: Path) -> None:
    """The layer's complement stylesheet, for sites that build without the layer."""
    target = folder / COMPLEMENT_CSS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text(target, (STATIC / COMPLEMENT_CSS).read_text(encoding="utf-8"))
    except OSError as error:
        raise CannotMigrate(f"{target} : écriture impossible ({error.strerror}).") from None
    print(typeset(f"{target} : écrite ; ajoutez « {COMPLEMENT_CSS} » à html_css_files dans "
                  "conf.py.", str(target)), file=sys.stderr)


class UsageProblem(Exception):
    """A usage mistake found after parsing: exit code 3."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return int(migrate(arguments))
    except UsageProblem as problem:
        print(typeset(f"datis-docs : erreur : {problem}"), file=sys.stderr)
        return int(Exit.USAGE)
    except CannotMigrate as problem:
        print(typeset(f"datis-docs : erreur : {problem}"), file=sys.stderr)
        return int(Exit.CANNOT_MIGRATE)
