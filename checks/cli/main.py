"""`datis-audit`: audit an appliance against the documented defaults, and what goes with it.

One argparse parser with a subcommand per job (audit, snapshot, fix, fleet, twin, diff,
history, exporter), each in its own module; `audit` is the default, so `datis-audit --datis
1A2B` still means an audit.

Exit codes (documented in `datis-audit --help` and docs/audit.rst):
0 compliant, 1 not compliant, 2 could not audit, 3 usage error, 4 internal error (a defect of
ours, to be reported). Every failure goes through `_fatal`: one French line on stderr and its
code, never a traceback, never 0.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from checks.cli import (
    audit,
    diff,
    exporter,
    fix,
    fleet,
    history,
    options,
    output,
    snapshot,
    twin,
    undocumented,
)
from checks.cli.french import FrenchParser
from checks.errors import DatisError, InternalError, UsageError
from checks.french.typography import typeset

EPILOG = """\
codes de sortie :
  0  l'appliance est conforme au référentiel
  1  l'appliance n'est pas conforme (au moins un écart)
  2  audit impossible (appliance injoignable, authentification, TLS, réponse inattendue)
  3  erreur d'utilisation (option, identifiant, adresse MAC, référentiel invalide)
  4  erreur interne : un défaut de datis-audit, à signaler au support (relancer avec -vv)
  130  interrompu par Ctrl-C
  141  sortie standard fermée avant la fin (datis-audit … | head)
  avec --format nagios, les codes de Nagios et Centreon : 0 OK, 1 WARNING (écarts mineurs),
  2 CRITICAL (écarts majeurs ou critiques), 3 UNKNOWN (audit impossible)

""" + options.PASSWORD_EPILOG

class _Parser(FrenchParser):
    """Usage errors in the same words as every other datis-audit error."""

    def fail(self, message: str) -> NoReturn:
        _fatal(UsageError(message))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or, given the `command` a run asks for, that command in full
    and the others by name only.

    A run never needs another command's options, and each parser costs argparse and gettext
    a few milliseconds at every start (11 ms for all seven, 4 ms for the audit's alone).
    """
    parser = _Parser(
        prog="datis-audit", epilog=EPILOG,
        description="Audite une appliance DATIS : réglages UrBackup comparés au référentiel "
                    "documenté, sécurité et santé des sauvegardes. Sans commande, c'est "
                    "l'audit : « datis-audit audit --help » en détaille les options.")
    commands = parser.add_subparsers(title="commandes", metavar="COMMANDE", dest="command",
                                     required=True)
    for name, (help_line, add) in COMMANDS.items():
        if command is None or name == command:
            add(commands)
        else:
            commands.add_parser(name, help=help_line)
    return parser


COMMANDS: dict[str, tuple[str, Callable[[options.Commands], None]]] = {
    "audit": (audit.HELP, lambda commands: audit.add_parser(commands, EPILOG + _others())),
    "snapshot": (snapshot.HELP, snapshot.add_parser),
    "fix": (fix.HELP, fix.add_parser),
    "fleet": (fleet.HELP, fleet.add_parser),
    "twin": (twin.HELP, twin.add_parser),
    "diff": (diff.HELP, diff.add_parser),
    "history": (history.HELP, history.add_parser),
    "exporter": (exporter.HELP, exporter.add_parser),
    "undocumented": (undocumented.HELP, undocumented.add_parser),
}
"""Each command: its line in the list of commands, and how to declare it in full."""


def _others() -> str:
    """The other commands, for the audit's help (which `datis-audit --help` shows): every
    command of COMMANDS, so that none is left out of it."""
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name:<{width}}  {help_line}" for name, (help_line, _) in COMMANDS.items()
             if name != "audit"]
    return "\nautres commandes (datis-audit COMMANDE --help) :\n" + "\n".join(lines) + "\n"


def _with_default_command(arguments: list[str]) -> list[str]:
    """`audit` when the command line starts with an option (or is empty): every documented
    `datis-audit --datis …` line keeps working, and `datis-audit --help` is the audit's help.
    A first word that is not a command is left for argparse to refuse by name."""
    if not arguments or arguments[0].startswith("-"):
        return ["audit", *arguments]
    return arguments


def _fatal(error: DatisError, *, nagios_name: str | None = None) -> NoReturn:
    """One French line and the documented code; for Nagios, an UNKNOWN line and code 3."""
    print(typeset(f"datis-audit : erreur : {error.message}"), file=sys.stderr)
    if nagios_name is not None:
        from checks.reports.nagios import NagiosState, unknown_line

        if sys.stdout is not None:
            with contextlib.suppress(OSError):  # stdout itself failing: the line above says it
                sys.stdout.write(unknown_line(nagios_name, error.message))
                sys.stdout.flush()
        raise SystemExit(int(NagiosState.UNKNOWN))
    raise SystemExit(int(error.exit_code))


INTERRUPTED = 130
"""Exit code after Ctrl-C: 128 + SIGINT, as shells report it."""


def _interrupted() -> NoReturn:
    """One line and 130, at once: reads still waiting on a slow appliance are abandoned."""
    sys.stdout.flush()
    print(typeset("datis-audit : interrompu (Ctrl-C)."), file=sys.stderr, flush=True)
    os._exit(INTERRUPTED)  # threads blocked on the network would otherwise delay the exit


STDOUT_CLOSED = 141
"""Exit code when the reader of stdout went away (`| head`): 128 + SIGPIPE, as shells report
a program that the closed pipe stopped."""


def _stdout_closed() -> NoReturn:
    """One line and 141: the rest of the report had nowhere to go."""
    print(typeset("datis-audit : sortie standard fermée avant la fin (tube rompu) : le reste "
                  "du rapport n'a pas été écrit."), file=sys.stderr, flush=True)
    raise SystemExit(STDOUT_CLOSED)


def _metrics_down(args: argparse.Namespace | None, error: BaseException) -> None:
    """For Prometheus, a failed audit still writes its metrics: `datis_audit_up 0`.

    Otherwise the previous file would stay, saying all is well. A failure to write them is
    left unsaid: the audit's own error is the one to report.
    """
    if args is None or args.command != "audit" or args.format != "prometheus":
        return
    from checks.appliance import identity
    from checks.reports.prometheus import metrics_down, reason_of

    try:
        named = identity.resolve(datis=args.datis, mac=args.mac, url=args.url,
                                 domain=args.domain)
        appliance, url = named.identifier or "", named.url
    except DatisError:  # an address that names nothing: the appliance as it was written
        appliance, url = args.datis or args.mac or args.url or "?", args.url or ""
    with contextlib.suppress(DatisError):
        output.emit(metrics_down(appliance, url, reason_of(error)), args.output, confirm=False)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    nagios_name: str | None = None
    args: argparse.Namespace | None = None
    try:
        args = build_parser(arguments[0]).parse_args(arguments)
        if args.command == "audit" and args.format == "nagios":
            nagios_name = args.datis or args.mac or args.url or "?"
        output.setup_logging(args.verbose)
        with output.guarded_stdout():
            code: int = args.run(args)
        return code
    except output.StdoutClosed:
        _stdout_closed()
    except DatisError as exc:
        _metrics_down(args, exc)
        _fatal(exc, nagios_name=nagios_name)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:  # the last guard: no traceback ever reaches a user
        logging.getLogger(__name__).debug("erreur interne", exc_info=True)
        _metrics_down(args, exc)
        _fatal(InternalError(exc), nagios_name=nagios_name)
