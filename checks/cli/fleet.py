"""`datis-audit fleet`: every appliance of an inventory, audited concurrently."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from checks.cli import options, output
from checks.errors import UsageError
from checks.french.typography import typeset
from checks.reports import Format

if TYPE_CHECKING:
    from checks.operations.fleet import Result

EPILOG = """\
inventaire (TOML) :
  schema = 1
  [[appliance]]
  datis = "1A2B"            # ou mac = "..." ou url = "https://..."
  nom = "Cabinet Martin"    # facultatif
  utilisateur = "admin"     # facultatif

mots de passe : --passwords FICHIER ("1A2B" = "...", une ligne par appliance), sinon
DATIS_PASSWORD_1A2B, sinon DATIS_PASSWORD. Jamais dans l'inventaire.

codes de sortie :
  0  toutes les appliances sont conformes
  1  au moins une appliance n'est pas conforme
  2  au moins un audit impossible
  3  erreur d'utilisation (option, inventaire, mots de passe, référentiel invalides)
  4  erreur interne : un défaut de datis-audit, à signaler au support (relancer avec -vv)
"""


HELP = "auditer toutes les appliances d'un inventaire"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "fleet", help=HELP,
        description="Audite toutes les appliances d'un inventaire, en parallèle.",
        epilog=EPILOG,
        parents=[options.network(), options.baseline(), options.judgement(),
                 options.history(), options.verbosity()])
    parser.add_argument("--inventory", metavar="FICHIER", required=True,
                        help="inventaire TOML des appliances ([[appliance]] datis/mac/url)")
    parser.add_argument("--passwords", metavar="FICHIER",
                        help="mots de passe, par identifiant ou adresse (jamais dans "
                             "l'inventaire)")
    parser.add_argument("--output-dir", metavar="DOSSIER", required=True,
                        help="dossier des rapports : un par appliance et la synthèse index.html")
    parser.add_argument("--format", default="html,json", metavar="FORMATS",
                        help="formats des rapports par appliance, séparés par des virgules "
                             "(défaut : %(default)s)")
    parser.add_argument("--workers", type=int, default=32, metavar="N",
                        help="audits simultanés, tous processus confondus (défaut : "
                             "%(default)s)")
    parser.add_argument("--processes", type=int, default=None, metavar="N",
                        help="processus d'audit qui se partagent la flotte (défaut : un par "
                             "cœur pour une grande flotte, un seul pour une petite)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.audit import baseline, rules, waivers
    from checks.audit.run import Connection
    from checks.operations import fleet, history

    formats = _formats(args.format)
    if args.workers < 1 or (args.processes is not None and args.processes < 1):
        raise UsageError("--workers, --processes et --timeout doivent être positifs.")
    options.check_timeout(args.timeout)
    options.check_tolerance(args.tolerance)
    entries = fleet.load_inventory(args.inventory, args.domain)
    passwords = fleet.load_passwords(args.passwords) if args.passwords else {}
    rules_file = baseline.load(args.baseline)
    accepted = waivers.load(args.waivers) if args.waivers else []
    writer = fleet.ReportWriter(Path(args.output_dir), formats)
    kept = history.prepare(args.history) if args.history else None
    connection = Connection(read_timeout=args.timeout, verify=options.verify(args),
                            password_hint=options.FLEET_PASSWORD_HINT)
    processes = args.processes or fleet.processes_for(len(entries))
    with output.progress("Audit de la flotte", len(entries)) as advance:
        def record(result: Result) -> Result:
            written = writer.write(result)
            if kept is not None and result.audit is not None:
                history.append(kept, result.audit)
            return written
        results = fleet.run(entries, passwords, rules_file,
                            rules.AuditOptions(tolerance=args.tolerance), accepted, connection,
                            workers=args.workers, processes=processes, record=record,
                            on_done=lambda _: advance())
    summary = writer.finish(results, color=output.color_allowed(),
                            width=output.terminal_width())
    output.emit(summary, None)
    page = str(writer.folder / "index.html")
    print(typeset(f"Synthèse : {page}", page))
    return fleet.exit_code(results)


def _formats(listed: str) -> list[Format]:
    names = [f.strip() for f in listed.split(",") if f.strip()]
    valid = {f.value for f in Format} - {Format.TEXT.value}
    unknown = [f for f in names if f not in valid]
    if unknown or not names:
        raise UsageError(f"Format inconnu : {', '.join(unknown) or '(aucun)'} "
                         f"(formats : {', '.join(sorted(valid))}).")
    return [Format(name) for name in names]
