"""`datis-audit twin`: serve the twin of an appliance from its snapshot, to rehearse on it."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading

from checks.cli import options
from checks.errors import ExitCode, UsageError
from checks.files import oserrors
from checks.french.typography import typeset

EPILOG = """\
Le jumeau répond comme l'appliance photographiée par « datis-audit snapshot » : mêmes réglages
(avec leurs valeurs propres aux clients), mêmes clients et mêmes états de sauvegarde, mêmes
comptes web. Tous les comptes du jumeau prennent le mot de passe donné ici (DATIS_PASSWORD,
--password-file ou saisie à l'invite). Les secrets de l'instantané n'y sont pas : un secret
renseigné est remplacé par une valeur tirée au hasard, un secret vide reste vide.

exemple :
  datis-audit snapshot --datis 1A2B --output avant.json
  datis-audit twin avant.json --port 55414 &
  datis-audit fix --url http://127.0.0.1:55414 --yes     # répétition, sans risque

codes de sortie :
  0  arrêté normalement (Ctrl-C)
  3  instantané illisible, port occupé ou mot de passe manquant
"""


HELP = "servir le jumeau d'une appliance à partir de son instantané"
"""This command's line in the list of commands."""


def add_parser(commands: options.Commands) -> None:
    parser = commands.add_parser(
        "twin", help=HELP,
        description="Sert, sur cette machine, le jumeau d'une appliance : l'émulateur UrBackup "
                    "dans l'état qu'un instantané décrit, pour répéter une correction ou "
                    "reproduire un audit avant de toucher l'appliance du client.",
        epilog=EPILOG,
        parents=[options.verbosity()])
    parser.add_argument("snapshot", metavar="INSTANTANÉ",
                        help="fichier écrit par « datis-audit snapshot »")
    parser.add_argument("--port", type=int, default=55414,
                        help="port d'écoute (défaut : %(default)s ; 0 : au hasard)")
    parser.add_argument("--host", default="127.0.0.1", metavar="ADRESSE",
                        help="adresse d'écoute (défaut : %(default)s)")
    parser.add_argument("--password-file", metavar="FICHIER",
                        help="fichier dont la première ligne est le mot de passe des comptes "
                             "du jumeau")
    parser.set_defaults(run=run, user="admin")


def run(args: argparse.Namespace) -> int:
    from checks.emulator import Emulator, twin

    password = options.password(args)
    if not password:
        raise UsageError("Mot de passe du jumeau manquant : donnez-le par DATIS_PASSWORD, "
                         "--password-file ou à l'invite.")
    state = twin.load(args.snapshot, admin_password=password)
    try:
        emulator = Emulator(state=state, host=args.host, port=args.port)
    except OSError as exc:
        raise UsageError(f"Impossible d'écouter sur {args.host}:{args.port} "
                         f"({oserrors.reason(exc)}).") from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator as url:
        print(typeset(f"Jumeau servi : {url}"), flush=True)
        print(typeset(f"Auditer le jumeau : datis-audit --url {url}"), flush=True)
        print(typeset("Ce que le jumeau ne reproduit pas : " + " ; ".join(twin.LIMITS) + "."),
              flush=True)
        print("Ctrl-C pour arrêter.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return int(ExitCode.COMPLIANT)
