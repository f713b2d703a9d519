"""`datis-audit snapshot`: the appliance's settings as JSON, secrets removed."""

from __future__ import annotations

import argparse

from checks.cli import options, output
from checks.errors import ExitCode

EPILOG = """\
codes de sortie :
  0  instantané écrit
  2  lecture impossible (appliance injoignable, authentification, droits, TLS, réponse
     inattendue)
  3  erreur d'utilisation (option, identifiant, adresse MAC, fichier impossible à écrire)
  4  erreur interne : un défaut de datis-audit, à signaler au support (relancer avec -vv)
  130  interrompu par Ctrl-C

""" + options.PASSWORD_EPILOG

HELP = "instantané des réglages (sans secret), pour la documentation"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "snapshot", help=HELP,
        description="Enregistre les réglages de l'appliance (secrets retirés) en JSON, pour "
                    "construire la documentation hors ligne.",
        epilog=EPILOG,
        parents=[options.target(), options.network(), options.login(), options.verbosity()])
    parser.add_argument("--output", metavar="FICHIER", required=True,
                        help="fichier JSON à écrire")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.appliance import snapshot
    from checks.audit import run as auditing

    appliance, connection = options.appliance(args, "l'instantané")
    with output.reading(f"Lecture de {appliance.identifier or appliance.url}") as progress:
        reading = auditing.read(appliance, connection, progress)
    output.emit(snapshot.dumps(reading), args.output, what="Instantané")
    return int(ExitCode.COMPLIANT)
