"""`datis-audit exporter`: the appliances of an inventory, audited when Prometheus asks."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from checks.cli import options
from checks.errors import ExitCode, UsageError
from checks.files import oserrors
from checks.french.numbers import count
from checks.french.typography import typeset

if TYPE_CHECKING:
    import ssl

DEFAULT_LISTEN = "127.0.0.1:9678"

EPILOG = """\
Prometheus interroge /probe?target=IDENTIFIANT (l'identifiant DATIS de l'appliance, sinon son
adresse telle qu'écrite dans l'inventaire) ; /metrics donne les métriques de l'exportateur.
Même inventaire et mêmes mots de passe que « datis-audit fleet ». Une appliance hors de
l'inventaire est refusée (HTTP 400) sans être contactée.

Pour ménager les appliances : une connexion au plus par audit, jamais retentée ; après un mot
de passe refusé, aucune connexion à cette appliance pendant 10 minutes ; un seul audit à la fois
par appliance ; un résultat resservi pendant --min-interval secondes ; au plus --max-in-flight
audits simultanés (au-delà : HTTP 503 aussitôt). Un audit dure au plus le délai de collecte
de Prometheus (en-tête X-Prometheus-Scrape-Timeout-Seconds).

exemple :
  datis-audit exporter --inventory flotte.toml --passwords mots-de-passe.toml
  curl 'http://127.0.0.1:9678/probe?target=1A2B'

codes de sortie :
  0  arrêté normalement (Ctrl-C ou SIGTERM)
  3  inventaire, mots de passe, certificat ou adresse d'écoute invalides
"""

HELP = "exportateur Prometheus : auditer les appliances d'un inventaire à la demande"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "exporter", help=HELP,
        description="Sert les métriques Prometheus des appliances d'un inventaire, selon le "
                    "modèle multi-cibles (comme blackbox_exporter) : chaque collecte de "
                    "Prometheus audite une appliance.",
        epilog=EPILOG,
        parents=[options.network(), options.baseline(), options.judgement(),
                 options.verbosity()])
    parser.add_argument("--inventory", metavar="FICHIER", required=True,
                        help="inventaire TOML des appliances (celui de « fleet »)")
    parser.add_argument("--passwords", metavar="FICHIER",
                        help="mots de passe, par identifiant ou adresse (jamais dans "
                             "l'inventaire)")
    served = parser.add_argument_group("service")
    served.add_argument("--listen", default=DEFAULT_LISTEN, metavar="ADRESSE:PORT",
                        help="adresse et port d'écoute (défaut : %(default)s ; port 0 : au "
                             "hasard)")
    served.add_argument("--min-interval", type=float, default=60.0, metavar="SECONDES",
                        help="durée pendant laquelle le résultat d'un audit est resservi sans "
                             "recontacter l'appliance (défaut : %(default)s)")
    served.add_argument("--max-in-flight", type=int, default=32, metavar="N",
                        help="audits simultanés au plus ; au-delà, HTTP 503 (défaut : "
                             "%(default)s)")
    served.add_argument("--tls-cert", metavar="FICHIER",
                        help="certificat PEM : servir en HTTPS (avec --tls-key)")
    served.add_argument("--tls-key", metavar="FICHIER", help="clé privée PEM du certificat")
    served.add_argument("--basic-auth-file", metavar="FICHIER",
                        help="exiger une authentification HTTP Basic : première ligne du "
                             "fichier « utilisateur:mot de passe »")
    parser.set_defaults(run=run)


def listen_address(text: str) -> tuple[str, int]:
    """`127.0.0.1:9678`, `[::1]:9678`, `0.0.0.0:9678`: host and port."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(f"--listen attend ADRESSE:PORT, par exemple {DEFAULT_LISTEN} "
                         f"(reçu : « {text} »).")
    return host, int(port)


def credentials(path: str) -> tuple[str, str]:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        why = oserrors.reason(exc) if isinstance(exc, OSError) else "pas en UTF-8"
        raise UsageError(f"Fichier d'authentification illisible : {path} ({why}).") from None
    user, sep, password = (lines[0] if lines else "").partition(":")
    if not sep or not user or not password:
        raise UsageError(f"{path} : la première ligne doit être « utilisateur:mot de passe ».")
    return user, password


def tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise UsageError("--tls-cert et --tls-key vont ensemble.")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"Certificat ou clé illisible : {cert}, {key} "
                         f"({oserrors.reason(exc) if isinstance(exc, OSError) else 'PEM'}).") \
            from None
    return context


def run(args: argparse.Namespace) -> int:
    from checks.audit import baseline, rules, waivers
    from checks.audit.run import Connection
    from checks.operations import fleet
    from checks.operations.exporter.prober import Prober
    from checks.operations.exporter.server import ExporterServer

    options.check_timeout(args.timeout)
    options.check_tolerance(args.tolerance)
    if args.max_in_flight < 1 or not (args.min_interval >= 0):
        raise UsageError("--max-in-flight doit être positif et --min-interval au moins 0.")
    host, port = listen_address(args.listen)
    entries = fleet.load_inventory(args.inventory, args.domain)
    passwords = fleet.load_passwords(args.passwords) if args.passwords else {}
    tls = tls_context(args.tls_cert, args.tls_key)
    auth = credentials(args.basic_auth_file) if args.basic_auth_file else None
    prober = Prober(entries, passwords, baseline.load(args.baseline),
                    rules.AuditOptions(tolerance=args.tolerance),
                    waivers.load(args.waivers) if args.waivers else [],
                    Connection(read_timeout=args.timeout, verify=options.verify(args),
                               password_hint=options.FLEET_PASSWORD_HINT),
                    min_interval=args.min_interval, max_in_flight=args.max_in_flight)
    try:
        server = ExporterServer((host, port), prober, credentials=auth, tls=tls)
    except OSError as exc:
        raise UsageError(f"Impossible d'écouter sur {args.listen} "
                         f"({oserrors.reason(exc)}).") from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, name="exporter", daemon=True)
    serving.start()
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if tls else "http"
    print(typeset(f"Exportateur DATIS : {scheme}://{shown}:{server.port}/ "
                  f"({count(len(entries), 'appliance')} dans l'inventaire)"), flush=True)
    if host not in ("127.0.0.1", "::1", "localhost") and (tls is None or auth is None):
        print(typeset("Attention : écoute hors de cette machine sans TLS ni authentification "
                      "(--tls-cert, --basic-auth-file)."), flush=True)
    print("Ctrl-C pour arrêter.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.shutdown()
    server.server_close()
    return int(ExitCode.COMPLIANT)
