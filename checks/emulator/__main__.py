"""`python -m checks.emulator`: serve an emulated UrBackup appliance until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading

from checks.cli.french import FrenchParser
from checks.emulator import twin
from checks.emulator.cost import REAL_CONCURRENCY, REAL_MS, ServerCost
from checks.emulator.faults import FAULT_KINDS, Fault
from checks.emulator.records import random_token
from checks.emulator.scenarios import ScenarioError, scenario_names
from checks.emulator.server import Emulator
from checks.errors import UsageError
from checks.files import oserrors
from checks.french.typography import typeset


def _cost(args: argparse.Namespace) -> ServerCost | None:
    """--real-cost, or either of its two numbers given alone (the other one as measured)."""
    if not (args.real_cost or args.cost_ms is not None or args.concurrency is not None):
        return None
    return ServerCost(REAL_MS if args.cost_ms is None else args.cost_ms,
                      REAL_CONCURRENCY if args.concurrency is None else args.concurrency)


def main(argv: list[str] | None = None) -> int:
    parser = FrenchParser(
        prog="python -m checks.emulator",
        description="Émulateur du serveur UrBackup 2.5 d'une appliance DATIS (API web réelle).",
    )
    parser.add_argument("--port", type=int, default=55414, help="port d'écoute (0 : au hasard)")
    parser.add_argument("--host", default="127.0.0.1", metavar="ADRESSE",
                        help="adresse d'écoute")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--scenario", default="datis-conforme", metavar="SCÉNARIO",
                        help=f"scénario : {', '.join(scenario_names())} ou un fichier .toml")
    source.add_argument("--snapshot", metavar="FICHIER",
                        help="instantané de « datis-audit snapshot » : le jumeau de cette "
                             "appliance (secrets remplacés par des valeurs tirées au hasard)")
    parser.add_argument("--admin-password", metavar="MOT-DE-PASSE",
                        help="mot de passe des comptes web (défaut : $EMULATOR_ADMIN_PASSWORD, "
                             "sinon tiré au hasard et affiché)")
    parser.add_argument("--tls", action="store_true",
                        help="HTTPS avec une autorité de test (chemin du CA affiché)")
    parser.add_argument("--tls-name", action="append", default=[], metavar="NOM",
                        help="nom d'hôte de plus dans le certificat (répétable)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="connexions persistantes, comme le proxy HTTPS d'une DATIS")
    parser.add_argument("--latency-ms", type=float, default=0.0, metavar="MS",
                        help="latence ajoutée à chaque requête, en millisecondes")
    costs = parser.add_argument_group(
        "coût du serveur", "chaque requête occupe l'une de N places pendant MS millisecondes, "
        "comme sur un vrai serveur UrBackup (par défaut, l'émulateur répond sans attendre)")
    costs.add_argument("--real-cost", action="store_true",
                      help=f"le coût mesuré d'un vrai serveur UrBackup 2.5.33 sur deux cœurs : "
                           f"{REAL_MS:g} ms par requête, {REAL_CONCURRENCY} à la fois")
    costs.add_argument("--cost-ms", type=float, metavar="MS",
                      help=f"durée d'une requête côté serveur (avec --real-cost : {REAL_MS:g})")
    costs.add_argument("--concurrency", type=int, metavar="N",
                      help="requêtes servies à la fois (avec --real-cost : "
                           f"{REAL_CONCURRENCY})")
    parser.add_argument("--fault", action="append", default=[], metavar="PANNE[:action,...][@n]",
                        help="panne injectée (répétable) : " + ", ".join(sorted(FAULT_KINDS)))
    args = parser.parse_args(argv)

    password = args.admin_password or os.environ.get("EMULATOR_ADMIN_PASSWORD")
    shown_password = password is None
    if password is None:
        password = random_token(16)
    try:
        faults = [Fault.parse(spec) for spec in args.fault]
        state = twin.load(args.snapshot, admin_password=password) if args.snapshot else None
        emulator = Emulator(args.scenario, admin_password=password, host=args.host,
                            port=args.port, tls=args.tls, tls_names=tuple(args.tls_name),
                            keep_alive=args.keep_alive, latency_ms=args.latency_ms,
                            faults=faults, state=state, cost=_cost(args))
    except (ScenarioError, ValueError) as exc:
        parser.fail(str(exc))
    except UsageError as exc:
        parser.fail(exc.message)
    except OSError as exc:
        print(typeset(f"{parser.prog} : erreur : impossible d'écouter sur "
                      f"{args.host}:{args.port} ({oserrors.reason(exc)})"), file=sys.stderr)
        return 2

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator as url:
        print(url, flush=True)
        if emulator.server.cost is not None:
            cost = emulator.server.cost
            print(f"coût du serveur : {cost.ms:g} ms, {cost.concurrency} à la fois", flush=True)
        if emulator.ca_path is not None:
            print(f"autorité de certification : {emulator.ca_path}", flush=True)
        if shown_password:
            print(f"mot de passe admin (tiré au hasard) : {password}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
