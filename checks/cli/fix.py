"""`datis-audit fix`: bring an appliance back to the documented values (a dry run by default)."""

from __future__ import annotations

import argparse

from checks.cli import options, output
from checks.errors import UsageError

EPILOG = """\
codes de sortie :
  0  rien à corriger, ou tout a été appliqué puis vérifié
  1  corrections en attente (simulation, refus) ou non appliquées (secret non saisi,
     vérification en échec), ou écarts que fix ne corrige pas (sécurité, santé des
     sauvegardes) : ils sont listés avec ce qu'il faut faire
  2  correction impossible (appliance injoignable, authentification, réponse inattendue)
  3  erreur d'utilisation
  4  erreur interne : un défaut de datis-audit, à signaler au support (relancer avec -vv)

Un secret n'est jamais inventé : le mot de passe SMTP se saisit à l'invite, ou par la
variable DATIS_MAIL_PASSWORD.
"""

HELP = "revenir aux valeurs documentées (simulation par défaut)"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "fix", help=HELP,
        description="Ramène l'appliance aux valeurs documentées. Par défaut, simple "
                    "simulation : affiche ce qui changerait, sans rien modifier.",
        epilog=EPILOG,
        parents=[options.target(), options.network(), options.login(), options.baseline(),
                 options.verbosity()])
    parser.add_argument("--yes", action="store_true",
                        help="appliquer sans demander de confirmation")
    parser.add_argument("--backup", metavar="FICHIER",
                        help="où enregistrer les réglages d'avant correction (défaut : "
                             "datis-<id>-avant-correction-<date>.json)")
    parser.add_argument("--send-test-mail", metavar="ADRESSE",
                        help="demander à l'appliance d'envoyer un mail de test à cette adresse")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.appliance.reading import read_appliance
    from checks.audit import baseline
    from checks.audit import run as auditing
    from checks.operations import fix
    from checks.settings import values

    rules_file = baseline.load(args.baseline)
    if args.send_test_mail is not None:
        try:
            values.parse_address(args.send_test_mail)
        except ValueError:
            raise UsageError(f"Adresse de test invalide : « {args.send_test_mail} ».") from None
    appliance, connection = options.appliance(args, "la correction")
    with auditing.connect(appliance, connection) as client:
        before = read_appliance(client, identifier=appliance.identifier)
        code = fix.run(client, before, rules_file, yes=args.yes, backup=args.backup,
                       width=output.terminal_width())
        if args.send_test_mail is not None:
            code = max(code, fix.send_test_mail(client, args.send_test_mail))
        return code
