"""An emulated appliance in its own process, for benchmarks.

A real appliance is another machine: the emulator here runs in a child process so that its work
does not share the benchmark's interpreter lock, and so that its CPU time can be read apart.
The parent talks to it over stdin/stdout, one line each way:

    stats            ->  {"requests": N, "cpu": SECONDS}
    latency MS       ->  ok
    end of stdin     ->  the emulator stops and the process exits

The child also exits by itself after `--max-seconds`, should its parent vanish without closing
the pipe. `python -m benchmarks.server --clients 100 --latency-ms 20` prints its URL and serves.
With `--appliances N` it serves N appliances, each with its own state, on N ports (one line,
the URLs separated by spaces; the stats add up every appliance): a fleet.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "secret"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def generated_clients(count: int) -> list[dict[str, Any]]:
    """`count` backup clients as a scenario lists them: online, with recent backups."""
    return [
        {
            "id": i,
            "name": f"PC-{i:03d}",
            "online": True,
            "ip": f"10.0.{i // 250}.{i % 250 + 1}",
            "os": "Microsoft Windows 11 Professionnel 23H2",
            "lastseen": "1m",
            "backups": [
                {"type": "file", "age": "3h", "incremental": True, "size": "1G"},
                {"type": "file", "age": "6d", "incremental": False, "size": "40G"},
                {"type": "image", "age": "2d", "incremental": True, "size": "8G"},
            ],
        }
        for i in range(1, count + 1)
    ]


def serve(argv: list[str] | None = None) -> int:
    """The child's side: build the appliance, print the URL, answer commands until EOF."""
    from checks.emulator import Emulator, ServerCost
    from checks.emulator.scenarios import build_state, read_scenario

    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--scenario", default="datis-conforme")
    parser.add_argument("--clients", type=int, default=None,
                        help="remplace les clients du scénario par N clients générés")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--keep-alive", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--appliances", type=int, default=1)
    parser.add_argument("--real-cost", action="store_true",
                        help="chaque appliance coûte comme un vrai serveur (ServerCost())")
    args = parser.parse_args(argv)

    def watchdog() -> None:
        time.sleep(args.max_seconds)
        print(f"benchmarks.server : arrêt au bout de {args.max_seconds:g} s", file=sys.stderr)
        os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()
    scenario = read_scenario(args.scenario)
    if args.clients is not None:
        scenario["clients"] = generated_clients(args.clients)
    emulators = [Emulator(state=build_state(scenario, admin_password=PASSWORD),
                          latency_ms=args.latency_ms, keep_alive=args.keep_alive,
                          cost=ServerCost() if args.real_cost else None)
                 for _ in range(args.appliances)]
    # A fleet is hundreds of emulators in this process: each serving thread wakes twice a
    # second rather than twenty times, and they all stop together.
    urls = [emulator.start() for emulator in emulators]
    try:
        print(" ".join(urls), flush=True)
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "stats":
                served = sum(emulator.requests_served for emulator in emulators)
                peak = max((e.server.cost.peak for e in emulators if e.server.cost), default=0)
                print(json.dumps({"requests": served, "cpu": time.process_time(),
                                  "peak": peak}), flush=True)
            elif command == "latency":
                for emulator in emulators:
                    emulator.faults.latency_ms = float(argument)
                print("ok", flush=True)
            else:
                print(f"commande inconnue : {command!r}", flush=True)
    finally:
        with ThreadPoolExecutor(64) as pool:
            list(pool.map(lambda emulator: emulator.stop(), emulators))
    return 0


class ServerProcess:
    """The parent's side: `with ServerProcess(clients=100, latency_ms=20) as server:`."""

    def __init__(self, *, scenario: str = "datis-conforme", clients: int | None = None,
                 latency_ms: float = 0.0, keep_alive: bool = False,
                 max_seconds: float = 900.0, appliances: int = 1,
                 real_cost: bool = False) -> None:
        self.command = [sys.executable, "-m", "benchmarks.server", "--scenario", scenario,
                        "--latency-ms", str(latency_ms), "--max-seconds", str(max_seconds),
                        "--appliances", str(appliances)]
        if clients is not None:
            self.command += ["--clients", str(clients)]
        if keep_alive:
            self.command.append("--keep-alive")
        if real_cost:
            self.command.append("--real-cost")
        self.url = ""
        self.urls: list[str] = []
        self.password = PASSWORD
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServerProcess:
        proc = subprocess.Popen(self.command, cwd=ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, bufsize=1)
        self._proc = proc
        timer = threading.Timer(START_TIMEOUT, proc.kill)
        timer.start()
        try:
            self.urls = self._line().split()
            self.url = self.urls[0] if self.urls else ""
        except BaseException:
            self._stop()
            raise
        finally:
            timer.cancel()
        if not self.url.startswith("http"):
            self._stop()
            raise RuntimeError(f"l'émulateur n'a pas démarré ({self.url or 'aucune sortie'})")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop()

    def stats(self) -> tuple[int, float]:
        """Requests served so far, and the emulator process's CPU seconds."""
        data = json.loads(self._ask("stats"))
        return int(data["requests"]), float(data["cpu"])

    def peak(self) -> int:
        """The most requests any appliance served at once (real cost only; else 0)."""
        return int(json.loads(self._ask("stats"))["peak"])

    def set_latency(self, latency_ms: float) -> None:
        self._ask(f"latency {latency_ms}")

    def _ask(self, command: str) -> str:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._line()

    def _line(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("l'émulateur s'est arrêté")
        return line.strip()

    def _stop(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)
        if proc.stdout is not None:
            proc.stdout.close()


if __name__ == "__main__":
    sys.exit(serve())
