"""`datis-audit [audit]`: one appliance against the documented defaults, in a chosen format.

Like every subcommand module, it imports at the top only what its parser needs: the audit's
own modules (HTTP client, rules, report writers) load in `run`, once the command is chosen,
so that `--help`, a usage error or another subcommand never pays for them.
"""

from __future__ import annotations

import argparse

from checks.cli import options, output
from checks.errors import ExitCode
from checks.reports import Format

DESCRIPTION = """\
Audite une appliance DATIS : réglages UrBackup comparés au référentiel documenté, sécurité et
santé des sauvegardes. C'est la commande par défaut : « datis-audit --datis 1A2B » vaut
« datis-audit audit --datis 1A2B ». Les autres commandes sont listées à la fin de cette aide."""


HELP = "auditer une appliance (commande par défaut)"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands,
               epilog: str) -> None:
    parser = commands.add_parser(
        "audit", help=HELP, description=DESCRIPTION,
        epilog=epilog,
        parents=[options.target(), options.network(), options.login(), options.baseline(),
                 options.judgement(), options.history(), options.verbosity()])
    report = parser.add_argument_group("rapport")
    report.add_argument("--format", choices=[f.value for f in Format], default="text",
                        help="format du rapport (défaut : text, résumé pour le terminal)")
    report.add_argument("--output", metavar="FICHIER",
                        help="écrire le rapport dans ce fichier (sinon la sortie standard)")
    report.add_argument("--docs-url", default="", metavar="ADRESSE",
                        help="adresse de la documentation, pour les liens du rapport")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from checks.audit import baseline, rules, waivers
    from checks.audit import run as auditing
    from checks.operations import history
    from checks.reports import render

    rules_file = baseline.load(args.baseline)
    accepted = waivers.load(args.waivers) if args.waivers else []
    options.check_tolerance(args.tolerance)
    options.check_docs_url(args.docs_url)
    appliance, connection = options.appliance(args)
    kept = history.prepare(args.history) if args.history else None
    with output.reading(f"Lecture de {appliance.identifier or appliance.url}") as progress:
        audit = auditing.audit(appliance, connection, rules_file,
                               rules.AuditOptions(tolerance=args.tolerance,
                                                  docs_url=args.docs_url),
                               accepted, progress)
    fmt = Format(args.format)
    color = fmt is Format.TEXT and args.output is None and output.color_allowed()
    if kept is not None:
        history.append(kept, audit)
    output.emit(render(audit, fmt, color=color, width=output.terminal_width()),
                args.output)
    if fmt is Format.NAGIOS:
        from checks.reports.nagios import nagios_state

        return int(nagios_state(audit))
    return int(ExitCode.COMPLIANT if audit.compliant else ExitCode.NOT_COMPLIANT)
