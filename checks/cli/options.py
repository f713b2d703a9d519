"""Options shared by several subcommands, declared once (argparse `parents=`), and their checks.

Each parent parser holds one concern: which appliance, how to reach it, how to log in, which
baseline, how to judge, how much to log. A value argparse cannot check (a finite timeout, a
readable CA file, a web address) is checked here and refused as a usage error (exit 3).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from checks.appliance import identity
from checks.appliance.identity import Appliance
from checks.errors import UsageError
from checks.files import oserrors, terminal
from checks.french.typography import typeset

if TYPE_CHECKING:
    from checks.audit.run import Connection

PASSWORD_ENV = "DATIS_PASSWORD"
REFERENCE = "référentiel"

Commands: TypeAlias = "argparse._SubParsersAction[Any]"
"""Where each subcommand module adds its parser."""


FLEET_PASSWORD_HINT = ("donnez-le dans le fichier --passwords, par DATIS_PASSWORD_IDENTIFIANT "
                       "(ex. DATIS_PASSWORD_1A2B) ou par DATIS_PASSWORD.")
"""Where `fleet` and `exporter` take each appliance's password from (never a prompt)."""


PASSWORD_EPILOG = """\
mot de passe : variable d'environnement DATIS_PASSWORD, --password-file FICHIER, ou saisie
à l'invite. Il n'est jamais accepté en argument.
"""
"""The help's paragraph on the password, for the commands that log in with `login()`."""


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False, allow_abbrev=False)


def target(*, required: bool = True) -> argparse.ArgumentParser:
    """Which appliance: one of identifier, MAC or URL (exactly one unless optional)."""
    parser = _parent()
    where = parser.add_argument_group("appliance (un seul de ces trois moyens)")
    chosen = where.add_mutually_exclusive_group(required=required)
    chosen.add_argument("--datis", metavar="IDENTIFIANT",
                        help="identifiant DATIS à 4 chiffres hexadécimaux (ex. 1A2B)")
    chosen.add_argument("--mac", metavar="ADRESSE", help="adresse MAC de l'appliance")
    chosen.add_argument("--url", metavar="ADRESSE",
                        help="adresse de l'interface (ex. https://backup.1a2b.inspee.re)")
    return parser


def network() -> argparse.ArgumentParser:
    """How to reach appliances: their domain, a private CA, the read timeout."""
    parser = _parent()
    group = parser.add_argument_group("réseau")
    group.add_argument("--domain", default=identity.DEFAULT_DOMAIN, metavar="DOMAINE",
                       help="domaine des appliances (défaut : %(default)s)")
    group.add_argument("--ca-bundle", metavar="FICHIER",
                       help="autorité de certification privée (la vérification TLS n'est "
                            "jamais désactivée)")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDES",
                       help="délai de lecture des réponses (défaut : %(default)s s)")
    return parser


def login() -> argparse.ArgumentParser:
    """Which account; the password itself is never an argument."""
    parser = _parent()
    group = parser.add_argument_group("connexion")
    group.add_argument("--user", default="admin", metavar="COMPTE",
                       help="compte de l'interface (défaut : admin)")
    group.add_argument("--password-file", metavar="FICHIER",
                       help="fichier dont la première ligne est le mot de passe")
    return parser


def baseline() -> argparse.ArgumentParser:
    parser = _parent()
    parser.add_argument_group(REFERENCE).add_argument(
        "--baseline", metavar="FICHIER", help="autre référentiel que celui de DATIS")
    return parser


def judgement() -> argparse.ArgumentParser:
    """What counts as an écart: accepted waivers, tolerated lateness."""
    parser = _parent()
    group = parser.add_argument_group(REFERENCE)
    group.add_argument("--waivers", metavar="FICHIER",
                       help="fichier de dérogations (écarts acceptés, justifiés et datés)")
    group.add_argument("--tolerance", type=float, default=2.0, metavar="N",
                       help="une sauvegarde est en retard au-delà de N intervalles "
                            "(défaut : %(default)s)")
    return parser


def history() -> argparse.ArgumentParser:
    """Where each audit's JSON result is kept, to follow an appliance over time."""
    parser = _parent()
    parser.add_argument_group("historique").add_argument(
        "--history", metavar="DOSSIER",
        help="ajouter le résultat JSON de chaque audit à ce dossier d'historique "
             "(« datis-audit history DOSSIER » en fait une page)")
    return parser


def verbosity() -> argparse.ArgumentParser:
    parser = _parent()
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="journal détaillé sur la sortie d'erreur (-vv : débogage)")
    return parser


def password(args: argparse.Namespace) -> str | None:
    """From --password-file, DATIS_PASSWORD, or a prompt; None if none can be had."""
    if args.password_file:
        try:
            text = Path(args.password_file).read_text("utf-8")
        except OSError as exc:
            raise UsageError(f"Fichier de mot de passe illisible : {args.password_file} "
                             f"({oserrors.reason(exc)}).") from None
        except UnicodeDecodeError:
            raise UsageError(f"Fichier de mot de passe illisible : {args.password_file} "
                             "(pas en UTF-8).") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UsageError(f"Le fichier {args.password_file} ne contient pas de mot de passe.")
        return lines[0]
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return terminal.ask_secret(typeset(f"Mot de passe de « {args.user} » : ",
                                           args.user)) or None
    return None


def positive(number: float) -> bool:
    """A finite number above zero: `nan` and `inf` are accepted by float() but mean nothing."""
    return math.isfinite(number) and number > 0


def check_timeout(timeout: float) -> None:
    if not positive(timeout):
        raise UsageError("--timeout doit être un nombre de secondes positif.")


def check_docs_url(url: str) -> None:
    """The reports link to it: only a web address, never `javascript:` or a local file."""
    if url and not re.fullmatch(r"https?://[^\s\"'<>`]+", url):
        from checks.reports.common import clean

        raise UsageError(f"--docs-url doit être une adresse http:// ou https:// "
                         f"(reçu : « {clean(url, 80)} »).")


def check_tolerance(tolerance: float) -> None:
    if not (math.isfinite(tolerance) and tolerance >= 1):
        raise UsageError("--tolerance doit valoir au moins 1 (un intervalle).")


def verify(args: argparse.Namespace) -> bool | str:
    """What to verify TLS against: the system's CAs, or the given bundle, read now."""
    if args.ca_bundle is None:
        return True
    import ssl

    if not Path(args.ca_bundle).is_file():
        raise UsageError(f"Autorité de certification introuvable : {args.ca_bundle}.")
    try:  # read now: a bad file is the user's, not a TLS failure of the appliance
        ssl.create_default_context(cafile=args.ca_bundle)
    except (ssl.SSLError, ValueError, OSError):
        raise UsageError(f"Autorité de certification illisible : {args.ca_bundle} (un ou "
                         "plusieurs certificats PEM attendus).") from None
    return str(args.ca_bundle)


def appliance(args: argparse.Namespace,
              purpose: str = "l'audit") -> tuple[Appliance, Connection]:
    """The appliance the options name, and how to connect to it; `purpose` is the command as
    a refused right names it (« dont l'instantané a besoin »)."""
    from checks.audit.run import Connection

    named = identity.resolve(datis=args.datis, mac=args.mac, url=args.url, domain=args.domain)
    check_timeout(args.timeout)
    return named, Connection(args.user, password(args), args.timeout, verify=verify(args),
                             purpose=purpose)
