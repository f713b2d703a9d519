"""`datis-audit undocumented`: what is left to document, tab by tab of the UrBackup screen.

Writers choose from it the next settings to document (one baseline entry each); the Sphinx
directive `datis-non-documentes` shows the same list in the docs.
"""

from __future__ import annotations

import argparse

from checks.cli import options, output
from checks.errors import ExitCode, UsageError
from checks.french import dates
from checks.french.numbers import agree, count
from checks.french.typography import typeset

EPILOG = """\
Les valeurs viennent de l'appliance désignée (--datis, --mac ou --url), d'un instantané
(--snapshot), ou, sans l'une ni l'autre, des valeurs par défaut d'UrBackup 2.5 : la deuxième
ligne dit lesquelles. Un secret n'est jamais affiché : seulement « renseigné » ou
« non renseigné ».

exemples :
  datis-audit undocumented Serveur
  datis-audit undocumented "Internet/active clients" --snapshot datis-1A2B.json
  datis-audit undocumented --datis 1A2B

codes de sortie :
  0  liste écrite
  2  lecture impossible (appliance injoignable, authentification, droits, TLS, réponse
     inattendue)
  3  erreur d'utilisation (option, onglet, identifiant, instantané ou référentiel invalide)
  4  erreur interne : un défaut de datis-audit, à signaler au support (relancer avec -vv)
  130  interrompu par Ctrl-C
""" + options.PASSWORD_EPILOG

HELP = "réglages d'un onglet que le référentiel ne documente pas encore"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "undocumented", help=HELP,
        description="Liste les réglages UrBackup d'un onglet de l'écran « Réglages » que le "
                    "référentiel ne documente pas, avec leur libellé à l'écran et leur valeur "
                    "sur l'appliance de référence, pour choisir les prochains à documenter.",
        epilog=EPILOG,
        parents=[options.target(required=False), options.network(), options.login(),
                 options.baseline(), options.verbosity()])
    parser.add_argument("tab", metavar="ONGLET", nargs="?",
                        help="onglet tel que l'écran l'affiche (Serveur, Email, "
                             "« Internet/active clients »…) ; sans lui, tous les onglets")
    parser.add_argument("--snapshot", metavar="FICHIER",
                        help="lire les valeurs dans cet instantané plutôt que sur l'appliance")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.appliance import snapshot
    from checks.audit import baseline, undocumented
    from checks.audit import run as auditing
    from checks.settings import screens

    tabs = screens.tabs()
    if args.tab is not None:
        found = screens.find_tab(args.tab)
        if found is None:
            raise UsageError(f"Onglet inconnu « {args.tab} » (onglets : {', '.join(tabs)}).")
        tabs = (found,)
    live = bool(args.datis or args.mac or args.url)
    if live and args.snapshot:
        raise UsageError("Donnez soit l'appliance à lire (--datis, --mac ou --url), soit un "
                         "instantané (--snapshot), pas les deux.")
    rules = baseline.load(args.baseline)
    if args.snapshot:
        reading = snapshot.load(args.snapshot)
        origin = f"instantané du {dates.day(reading.taken_at)} ({reading.url})"
    elif live:
        appliance, connection = options.appliance(args)
        with output.reading(f"Lecture de {appliance.identifier or appliance.url}") as progress:
            reading = auditing.read(appliance, connection, progress, client_settings=False)
        origin = f"appliance {reading.url}, lue maintenant"
    else:
        reading, origin = None, undocumented.DEFAULTS
    values = undocumented.global_values(reading) if reading is not None else None
    lines = []
    for tab in tabs:
        rows = undocumented.rows(tab, rules.rules, values)
        if not rows:
            lines.append(f"Onglet « {tab} » : tous les réglages sont documentés.")
            continue
        lines.append(f"Onglet « {tab} » : {count(len(rows), 'réglage')} "
                     f"{agree(len(rows), 'non documenté', 'non documentés')}")
        for row in rows:
            lines.append(f"- {row.key} : « {row.label} » ({row.where})")
            lines.append(f"  valeur : {row.value}")
    lines.append(f"Valeurs : {origin}.")
    output.emit(typeset("\n".join(lines) + "\n"), None)
    return int(ExitCode.COMPLIANT)
