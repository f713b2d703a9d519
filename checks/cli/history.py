"""`datis-audit history`: a history folder made a page, écarts over time and what changed.

The history reader and the page writer load in `run`: the parser needs neither.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checks.cli import options, output
from checks.errors import ExitCode, UsageError

EPILOG = """\
Le dossier d'historique se remplit avec « datis-audit --history DOSSIER » (audit) ou
« datis-audit fleet --history DOSSIER » : un sous-dossier par appliance, un fichier JSON par
audit. Tout autre fichier y est refusé.

codes de sortie :
  0  page écrite
  3  erreur d'utilisation (dossier introuvable ou vide, fichier étranger, tronqué ou d'un
     autre schéma, page impossible à écrire)
"""


HELP = "page d'historique : écarts au fil des audits, changements"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "history", help=HELP,
        description="Écrit une page HTML autonome : pour chaque appliance du dossier "
                    "d'historique, le nombre d'écarts par gravité au fil des audits (graphique "
                    "SVG, sans script, imprimable) et les changements d'un audit au suivant.",
        epilog=EPILOG,
        parents=[options.verbosity()])
    parser.add_argument("folder", metavar="DOSSIER", help="dossier d'historique")
    parser.add_argument("--output", metavar="FICHIER",
                        help="page HTML à écrire (sinon la sortie standard), hors du dossier "
                             "d'historique")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.operations import history
    from checks.reports.history import to_html

    folder = Path(args.folder)
    if args.output and Path(args.output).resolve().is_relative_to(folder.resolve()):
        raise UsageError("La page ne peut pas être écrite dans le dossier d'historique "
                         "lui-même (elle y serait un fichier étranger).")
    histories = history.load(folder)
    output.emit(to_html(histories), args.output, what="Historique")
    return int(ExitCode.COMPLIANT)
