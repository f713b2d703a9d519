"""`datis-audit`: audit an appliance against the documented defaults, or take its snapshot.

Exit codes (documented in `datis-audit --help` and docs/audit.rst):
0 compliant, 1 not compliant, 2 could not audit, 3 usage error. Every failure goes through
`_fatal`: one French line on stderr and its code, never a traceback, never 0.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import math
import os
import re
import ssl
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from checks import errors as err
from checks.appliance import identity
from checks.appliance.client import UrBackupClient
from checks.appliance.identity import Appliance
from checks.appliance.reading import ApplianceReading, read_appliance
from checks.audit import baseline, rules, waivers
from checks.audit import run as auditing
from checks.audit.run import Connection
from checks.cli.french import FrenchParser
from checks.errors import DatisError, ExitCode, UsageError
from checks.files import atomic
from checks.operations import fix, fleet, snapshot
from checks.reports import Format, render
from checks.reports import fleet as fleet_report
from checks.reports.common import clean
from checks.reports.nagios import NagiosState, nagios_state, unknown_line

PASSWORD_ENV = "DATIS_PASSWORD"
_MAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")

EPILOG = """\
codes de sortie :
  0  l'appliance est conforme au référentiel
  1  l'appliance n'est pas conforme (au moins un écart)
  2  audit impossible (appliance injoignable, authentification, TLS, réponse inattendue)
  3  erreur d'utilisation (option, identifiant, adresse MAC, référentiel invalide)
  avec --format nagios, les codes de Nagios et Centreon : 0 OK, 1 WARNING (écarts mineurs),
  2 CRITICAL (écarts majeurs ou critiques), 3 UNKNOWN (audit impossible)

mot de passe : variable d'environnement DATIS_PASSWORD, --password-file FICHIER, ou saisie
à l'invite. Il n'est jamais accepté en argument.
"""

FIX_EPILOG = """\
codes de sortie :
  0  rien à corriger, ou tout a été appliqué puis vérifié
  1  corrections en attente (simulation, refus) ou non appliquées (secret non saisi,
     vérification en échec)
  2  correction impossible (appliance injoignable, authentification, réponse inattendue)
  3  erreur d'utilisation

Un secret n'est jamais inventé : le mot de passe SMTP se saisit à l'invite, ou par la
variable DATIS_MAIL_PASSWORD.
"""

FLEET_EPILOG = """\
inventaire (TOML) :
  schema = 1
  [[appliance]]
  datis = "1A2B"            # ou mac = "..." ou url = "https://..."
  nom = "Cabinet Martin"    # facultatif
  utilisateur = "admin"     # facultatif

mots de passe : --passwords FICHIER ("1A2B" = "...", une ligne par appliance), sinon
DATIS_PASSWORD_1A2B, sinon DATIS_PASSWORD. Jamais dans l'inventaire.

codes de sortie : 0 toutes conformes, 1 au moins une non conforme, 2 au moins un audit
impossible, 3 erreur d'utilisation.
"""

class _Parser(FrenchParser):
    """Usage errors in the same words as every other datis-audit error."""

    def fail(self, message: str) -> NoReturn:
        _fatal(UsageError(message))


def _appliance_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("appliance (un seul de ces trois moyens)")
    chosen = where.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--datis", metavar="IDENTIFIANT",
                        help="identifiant DATIS à 4 chiffres hexadécimaux (ex. 1A2B)")
    chosen.add_argument("--mac", metavar="ADRESSE", help="adresse MAC de l'appliance")
    chosen.add_argument("--url", metavar="ADRESSE",
                        help="adresse de l'interface (ex. https://backup.1a2b.inspee.re)")
    where.add_argument("--domain", default=identity.DEFAULT_DOMAIN,
                       help="domaine des appliances (défaut : %(default)s)")
    auth = parser.add_argument_group("connexion")
    auth.add_argument("--user", default="admin", help="compte de l'interface (défaut : admin)")
    auth.add_argument("--password-file", metavar="FICHIER",
                      help="fichier dont la première ligne est le mot de passe")
    auth.add_argument("--ca-bundle", metavar="FICHIER",
                      help="autorité de certification privée (la vérification TLS n'est "
                           "jamais désactivée)")
    auth.add_argument("--timeout", type=float, default=30.0, metavar="SECONDES",
                      help="délai de lecture des réponses (défaut : %(default)s s)")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="journal détaillé sur la sortie d'erreur (-vv : débogage)")


def build_parsers() -> tuple[argparse.ArgumentParser, ...]:
    audit = _Parser(
        prog="datis-audit", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Audite une appliance DATIS : réglages UrBackup comparés au référentiel "
                    "documenté, sécurité et santé des sauvegardes. "
                    "« datis-audit snapshot --help » : instantané des réglages ; "
                    "« datis-audit fix --help » : retour aux valeurs documentées ; "
                    "« datis-audit fleet --help » : audit d'une flotte.",
    )
    _appliance_options(audit)
    report = audit.add_argument_group("rapport")
    report.add_argument("--format", choices=[f.value for f in Format], default="text",
                        help="format du rapport (défaut : text, résumé pour le terminal)")
    report.add_argument("--output", metavar="FICHIER",
                        help="écrire le rapport dans ce fichier (sinon la sortie standard)")
    report.add_argument("--baseline", metavar="FICHIER",
                        help="autre référentiel que celui de DATIS")
    report.add_argument("--waivers", metavar="FICHIER",
                        help="fichier de dérogations (écarts acceptés, justifiés et datés)")
    report.add_argument("--tolerance", type=float, default=2.0, metavar="N",
                        help="une sauvegarde est en retard au-delà de N intervalles "
                             "(défaut : %(default)s)")
    report.add_argument("--docs-url", default="", metavar="ADRESSE",
                        help="adresse de la documentation, pour les liens du rapport")

    snap = _Parser(prog="datis-audit snapshot", epilog=EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter,
                   description="Enregistre les réglages de l'appliance (secrets retirés) en "
                               "JSON, pour construire la documentation hors ligne.")
    _appliance_options(snap)
    snap.add_argument("--output", metavar="FICHIER", required=True,
                      help="fichier JSON à écrire")

    fix = _Parser(prog="datis-audit fix", epilog=FIX_EPILOG,
                  formatter_class=argparse.RawDescriptionHelpFormatter,
                  description="Ramène l'appliance aux valeurs documentées. Par défaut, simple "
                              "simulation : affiche ce qui changerait, sans rien modifier.")
    _appliance_options(fix)
    fix.add_argument("--yes", action="store_true",
                     help="appliquer sans demander de confirmation")
    fix.add_argument("--backup", metavar="FICHIER",
                     help="où enregistrer les réglages d'avant correction (défaut : "
                          "datis-<id>-avant-correction-<date>.json)")
    fix.add_argument("--baseline", metavar="FICHIER", help="autre référentiel que celui de DATIS")
    fix.add_argument("--send-test-mail", metavar="ADRESSE",
                     help="demander à l'appliance d'envoyer un mail de test à cette adresse")

    flotte = _Parser(prog="datis-audit fleet", epilog=FLEET_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter,
                     description="Audite toutes les appliances d'un inventaire, en parallèle.")
    flotte.add_argument("--inventory", metavar="FICHIER", required=True,
                        help="inventaire TOML des appliances ([[appliance]] datis/mac/url)")
    flotte.add_argument("--passwords", metavar="FICHIER",
                        help="mots de passe, par identifiant ou adresse (jamais dans "
                             "l'inventaire)")
    flotte.add_argument("--output-dir", metavar="DOSSIER", required=True,
                        help="dossier des rapports : un par appliance et la synthèse index.html")
    flotte.add_argument("--format", default="html,json", metavar="FORMATS",
                        help="formats des rapports par appliance, séparés par des virgules "
                             "(défaut : %(default)s)")
    flotte.add_argument("--workers", type=int, default=32, metavar="N",
                        help="audits simultanés (défaut : %(default)s)")
    flotte.add_argument("--domain", default=identity.DEFAULT_DOMAIN,
                        help="domaine des appliances (défaut : %(default)s)")
    flotte.add_argument("--ca-bundle", metavar="FICHIER",
                        help="autorité de certification privée")
    flotte.add_argument("--timeout", type=float, default=30.0, metavar="SECONDES",
                        help="délai de lecture des réponses (défaut : %(default)s s)")
    flotte.add_argument("--baseline", metavar="FICHIER", help="autre référentiel")
    flotte.add_argument("--waivers", metavar="FICHIER", help="fichier de dérogations")
    flotte.add_argument("--tolerance", type=float, default=2.0, metavar="N",
                        help="retard toléré en intervalles (défaut : %(default)s)")
    flotte.add_argument("-v", "--verbose", action="count", default=0,
                        help="journal détaillé sur la sortie d'erreur")
    return audit, snap, fix, flotte


def _fatal(error: DatisError, *, nagios_name: str | None = None) -> NoReturn:
    """One French line and the documented code; for Nagios, an UNKNOWN line and code 3."""
    print(f"datis-audit : erreur : {error.message}", file=sys.stderr)
    if nagios_name is not None:
        sys.stdout.write(unknown_line(nagios_name, error.message))
        raise SystemExit(int(NagiosState.UNKNOWN))
    raise SystemExit(int(error.exit_code))


def _password(args: argparse.Namespace) -> str | None:
    """From DATIS_PASSWORD, --password-file, or a prompt; None if none can be had."""
    if args.password_file:
        try:
            text = Path(args.password_file).read_text("utf-8")
        except OSError as exc:
            raise UsageError(f"Fichier de mot de passe illisible : {args.password_file} "
                             f"({exc.strerror}).") from None
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
        return getpass.getpass(f"Mot de passe de « {args.user} » : ") or None
    return None


def _positive(number: float) -> bool:
    """A finite number above zero: `nan` and `inf` are accepted by float() but mean nothing."""
    return math.isfinite(number) and number > 0


def _check_docs_url(url: str) -> None:
    """The reports link to it: only a web address, never `javascript:` or a local file."""
    if url and not re.fullmatch(r"https?://[^\s\"'<>`]+", url):
        raise UsageError(f"--docs-url doit être une adresse http:// ou https:// "
                         f"(reçu : « {clean(url, 80)} »).")


def _check_tolerance(tolerance: float) -> None:
    if not (math.isfinite(tolerance) and tolerance >= 1):
        raise UsageError("--tolerance doit valoir au moins 1 (un intervalle).")


def _verify(args: argparse.Namespace) -> bool | str:
    if args.ca_bundle is None:
        return True
    if not Path(args.ca_bundle).is_file():
        raise UsageError(f"Autorité de certification introuvable : {args.ca_bundle}.")
    try:  # read now: a bad file is the user's, not a TLS failure of the appliance
        ssl.create_default_context(cafile=args.ca_bundle)
    except (ssl.SSLError, ValueError, OSError):
        raise UsageError(f"Autorité de certification illisible : {args.ca_bundle} (un ou "
                         "plusieurs certificats PEM attendus).") from None
    return str(args.ca_bundle)


def _appliance(args: argparse.Namespace) -> tuple[Appliance, Connection]:
    """The appliance the options name, and how to connect to it."""
    appliance = identity.resolve(datis=args.datis, mac=args.mac, url=args.url,
                                 domain=args.domain)
    if not _positive(args.timeout):
        raise UsageError("--timeout doit être un nombre de secondes positif.")
    return appliance, Connection(args.user, _password(args), args.timeout,
                                 verify=_verify(args))


def _connect(args: argparse.Namespace) -> tuple[UrBackupClient, str | None]:
    appliance, connection = _appliance(args)
    return auditing.connect(appliance, connection), appliance.identifier


def _logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 \
        else logging.DEBUG
    logging.basicConfig(level=level, format="datis-audit : %(levelname)s : %(message)s",
                        stream=sys.stderr)


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic.write_text(output, text)
    except OSError as exc:
        raise UsageError(f"Impossible d'écrire {output} ({exc.strerror}).") from None


def run_audit(args: argparse.Namespace) -> int:
    rules_file = baseline.load(args.baseline)
    accepted = waivers.load(args.waivers) if args.waivers else []
    _check_tolerance(args.tolerance)
    _check_docs_url(args.docs_url)
    appliance, connection = _appliance(args)
    audit = auditing.audit(appliance, connection, rules_file,
                           rules.AuditOptions(tolerance=args.tolerance, docs_url=args.docs_url),
                           accepted)
    fmt = Format(args.format)
    color = (fmt is Format.TEXT and args.output is None and sys.stdout.isatty()
             and not os.environ.get("NO_COLOR"))
    _emit(render(audit, fmt, color=color), args.output)
    if fmt is Format.NAGIOS:
        return int(nagios_state(audit))
    return int(ExitCode.COMPLIANT if audit.compliant else ExitCode.NOT_COMPLIANT)


def run_snapshot(args: argparse.Namespace) -> int:
    reading = auditing.read(*_appliance(args))
    _emit(snapshot.dumps(reading), args.output)
    print(f"Instantané écrit : {args.output}", file=sys.stderr)
    return int(ExitCode.COMPLIANT)


def run_fix(args: argparse.Namespace) -> int:
    rules_file = baseline.load(args.baseline)
    if args.send_test_mail is not None and not _MAIL.fullmatch(args.send_test_mail):
        raise UsageError(f"Adresse de test invalide : « {args.send_test_mail} ».")
    client, identifier = _connect(args)
    with client:
        before = read_appliance(client, identifier=identifier)
        changes = fix.plan(before, rules_file)
        code = _fix_changes(args, client, before, changes, rules_file)
        if args.send_test_mail is not None:
            answer = client.save_mail({}, test_address=args.send_test_mail)
            result = str(answer.get("mail_test", ""))
            if result == "ok":
                print(f"Mail de test envoyé à {args.send_test_mail} : le serveur a répondu « ok ».")
            else:
                print(f"Échec du mail de test : le serveur a répondu « {clean(result) or '?'} ».")
                code = max(code, int(ExitCode.NOT_COMPLIANT))
        return code


def _fix_changes(args: argparse.Namespace, client: UrBackupClient, before: ApplianceReading,
                 changes: list[fix.Change], rules_file: baseline.Baseline) -> int:
    who = f"DATIS {before.identifier}" if before.identifier else before.url
    if not changes:
        print(f"{who} : rien à corriger, les réglages sont ceux de la documentation.")
        return int(ExitCode.COMPLIANT)
    print(f"Modifications pour revenir aux valeurs documentées ({who}) :")
    for section in rules_file.sections.values():
        listed = [c for c in changes if c.rule.section == section.id]
        if listed:
            print(f"\n{section.title}")
            for change in listed:
                print(f"  {clean(change.describe())}")
    print()
    if not args.yes:
        if not sys.stdin.isatty():
            print("Simulation : rien n'a été modifié. Relancez avec --yes pour appliquer.")
            return int(ExitCode.NOT_COMPLIANT)
        answer = input(f"Appliquer ces {len(changes)} modification(s) ? [o/N] ")
        if answer.strip().lower() not in ("o", "oui", "y", "yes"):
            print("Rien n'a été modifié.")
            return int(ExitCode.NOT_COMPLIANT)
    secrets = _secrets_for(changes)
    backup = args.backup or (f"datis-{before.identifier or 'appliance'}-avant-correction-"
                             f"{before.taken_at:%Y%m%d-%H%M%S}.json")
    _emit(snapshot.dumps(before), backup)
    print(f"Réglages d'avant correction enregistrés : {backup}")
    skipped = fix.apply(client, changes, secrets)
    applied = [c for c in changes if c not in skipped]
    after = fix.plan(read_appliance(client, identifier=before.identifier), rules_file)
    failed = fix.unverified(after, applied)
    print(f"{len(applied) - len(failed)} modification(s) appliquée(s) et vérifiée(s).")
    for change in skipped:
        print(f"Non appliqué : {change.rule.setting.label} — secret à saisir, jamais inventé.")
    for change in failed:
        print(f"Vérification en échec : {clean(change.describe())}")
    return int(ExitCode.COMPLIANT if not skipped and not failed else ExitCode.NOT_COMPLIANT)


def _secrets_for(changes: list[fix.Change]) -> dict[str, str]:
    """Secrets the plan needs: from DATIS_MAIL_PASSWORD or typed in, never made up."""
    secrets: dict[str, str] = {}
    for change in changes:
        if not change.needs_secret:
            continue
        key = change.rule.key
        given = os.environ.get("DATIS_MAIL_PASSWORD") if key == "mail_password" else None
        if not given and sys.stdin.isatty():
            given = getpass.getpass(f"{change.rule.setting.label} ({key}) : ")
        if given:
            secrets[key] = given
    return secrets


def run_fleet(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    valid = {f.value for f in Format} - {Format.TEXT.value}
    unknown = [f for f in formats if f not in valid]
    if unknown or not formats:
        raise UsageError(f"Format inconnu : {', '.join(unknown) or '(aucun)'} "
                         f"(formats : {', '.join(sorted(valid))}).")
    if args.workers < 1 or not _positive(args.timeout):
        raise UsageError("--workers et --timeout doivent être positifs.")
    _check_tolerance(args.tolerance)
    entries = fleet.load_inventory(args.inventory, args.domain)
    passwords = fleet.load_passwords(args.passwords) if args.passwords else {}
    rules_file = baseline.load(args.baseline)
    accepted = waivers.load(args.waivers) if args.waivers else []
    out = Path(args.output_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"Dossier de sortie impossible : {out} ({exc.strerror}).") from None
    options = rules.AuditOptions(tolerance=args.tolerance)
    connection = Connection(read_timeout=args.timeout, verify=_verify(args))
    files: dict[str, list[str]] = {}

    def write(result: fleet.Result) -> None:
        if result.audit is None:
            return
        for name in formats:
            target = f"{result.entry.slug}.{_EXTENSIONS[name]}"
            atomic.write_text(out / target, render(result.audit, Format(name)))
            files.setdefault(result.entry.slug, []).append(target)

    with _progress(len(entries)) as advance:
        def done(result: fleet.Result) -> None:
            write(result)
            advance()
        results = fleet.run(entries, passwords, rules_file, options, accepted, connection,
                            workers=args.workers, on_done=done)
    atomic.write_text(out / "index.html", fleet_report.to_html(results, files))
    atomic.write_text(out / "flotte.json", fleet_report.to_json(results, files))
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(fleet_report.to_text(results, color=color))
    print(f"Synthèse : {out / 'index.html'}")
    return fleet.exit_code(results)


_EXTENSIONS = {"json": "json", "junit": "xml", "rst": "rst", "html": "html", "nagios": "txt",
               "prometheus": "prom"}


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal's stderr; silent when piped."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("Audit de la flotte"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("audit", total=total)
        yield lambda: bar.advance(task)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    audit_parser, snapshot_parser, fix_parser, fleet_parser = build_parsers()
    nagios_name: str | None = None
    try:
        if arguments[:1] == ["fleet"]:
            args = fleet_parser.parse_args(arguments[1:])
            _logging(args.verbose)
            return run_fleet(args)
        if arguments[:1] == ["fix"]:
            args = fix_parser.parse_args(arguments[1:])
            _logging(args.verbose)
            return run_fix(args)
        if arguments[:1] == ["snapshot"]:
            args = snapshot_parser.parse_args(arguments[1:])
            _logging(args.verbose)
            return run_snapshot(args)
        args = audit_parser.parse_args(arguments)
        if args.format == Format.NAGIOS.value:
            nagios_name = args.datis or args.mac or args.url or "?"
        _logging(args.verbose)
        return run_audit(args)
    except DatisError as exc:
        _fatal(exc, nagios_name=nagios_name)
    except KeyboardInterrupt:
        _fatal(err.ApplianceError("Interrompu."), nagios_name=nagios_name)
    except Exception as exc:  # the last guard: no traceback ever reaches a user
        logging.getLogger(__name__).debug("erreur interne", exc_info=True)
        _fatal(err.ApplianceError(f"Erreur interne inattendue ({type(exc).__name__}). "
                                  "Relancez avec -vv et transmettez le journal au support."),
               nagios_name=nagios_name)
