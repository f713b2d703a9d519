"""`datis-audit diff`: what changed between two snapshots, or a snapshot and the appliance.

The comparison and its writers load in `run`: the parser needs none of them.
"""

from __future__ import annotations

import argparse
import sys

from checks.cli import options, output
from checks.errors import ExitCode, UsageError
from checks.french.typography import typeset
from checks.reports import DiffFormat

EPILOG = """\
exemples :
  datis-audit diff instantane-installation.json --datis 1A2B
  datis-audit diff instantane-installation.json instantane-mars.json --format html \\
      --output changements.html

codes de sortie :
  0  aucun changement
  1  au moins un changement
  2  appliance illisible (injoignable, authentification, TLS, réponse inattendue)
  3  erreur d'utilisation (option, instantané illisible, tronqué ou d'un autre schéma)

Les secrets ne sont comparés que sur leur présence : un secret changé est « modifié »,
jamais affiché.
"""


HELP = "ce qui a changé depuis un instantané (réglages, clients, sauvegardes)"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "diff", help=HELP,
        description="Compare deux instantanés, ou un instantané et l'appliance en direct : "
                    "réglages modifiés, réglages propres à un client ajoutés ou retirés, "
                    "clients ajoutés ou retirés, sauvegardes qui ne sont plus à jour.",
        epilog=EPILOG,
        parents=[options.target(required=False), options.network(), options.login(),
                 options.verbosity()])
    parser.add_argument("before", metavar="AVANT", help="instantané de référence (JSON)")
    parser.add_argument("after", metavar="APRÈS", nargs="?",
                        help="instantané à comparer ; sans lui, l'appliance désignée par "
                             "--datis, --mac ou --url est lue en direct")
    parser.add_argument("--format", choices=[f.value for f in DiffFormat], default="text",
                        help="format du résultat (défaut : text)")
    parser.add_argument("--output", metavar="FICHIER",
                        help="écrire le résultat dans ce fichier (sinon la sortie standard)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.appliance import snapshot
    from checks.audit import diff
    from checks.audit import run as auditing
    from checks.reports.diff import render

    live = bool(args.datis or args.mac or args.url)
    if live == (args.after is not None):
        raise UsageError("Donnez soit un second instantané, soit l'appliance à lire "
                         "(--datis, --mac ou --url), pas les deux ni aucun.")
    before = snapshot.load(args.before)
    if args.after is not None:
        after = snapshot.load(args.after)
        after_source = args.after
    else:
        after = auditing.read(*options.appliance(args, "la comparaison"))
        after_source = "appliance en direct"
    changes = diff.compare(before, after, old_source=args.before, new_source=after_source)
    for warning in changes.warnings:
        print(typeset(f"datis-audit : attention : {warning}"), file=sys.stderr)
    output.emit(render(changes, DiffFormat(args.format), width=output.terminal_width()),
                args.output)
    return int(ExitCode.NOT_COMPLIANT if changes.changed else ExitCode.COMPLIANT)
