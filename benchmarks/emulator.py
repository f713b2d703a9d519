"""Benchmark "emulator": how many requests per second the emulated appliance serves.

Threads hammer `a=status` with one logged-in session, over real loopback sockets, for a fixed
number of requests; once against an emulator that closes the connection after each answer (as
UrBackup's own server does) and once against one that keeps connections open (as the reverse
proxy of a DATIS does). Runs alternate between the two so that the ratio is fair.
"""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

from benchmarks.common import Benchmark, Options, Row, median, ms, number, times
from benchmarks.server import ServerProcess
from checks.appliance.client import UrBackupClient

THREADS = 4
REQUEST_TIMEOUT = 30.0


def session_id(url: str, password: str) -> str:
    """A logged-in session, obtained the way datis-audit logs in."""
    with UrBackupClient(url, password=password) as client:
        client.login()
        ses = client._ses
    if ses is None:
        raise RuntimeError("pas de session après la connexion")
    return ses


def hammer(url: str, ses: str, total: int, threads: int) -> float:
    """Send `total` status requests from `threads` threads; the wall time, in seconds."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    body = f"ses={ses}".encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    shares = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]
    start = threading.Barrier(threads + 1)
    failures: list[str] = []

    def worker(count: int) -> None:
        # http.client reconnects by itself when the server closed the previous connection.
        conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        try:
            start.wait()
            for _ in range(count):
                conn.request("POST", "/x?a=status", body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.status != 200 or not data.startswith(b"{"):
                    failures.append(f"HTTP {response.status}, {data[:40]!r}")
                    return
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in shares]
    for thread in pool:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join(timeout=REQUEST_TIMEOUT * max(shares))
    elapsed = time.perf_counter() - began
    if failures or any(thread.is_alive() for thread in pool):
        raise RuntimeError(f"requêtes en échec : {failures[:3] or 'fil bloqué'}")
    return elapsed


def run(options: Options) -> list[Row]:
    total = options.reps(4000, 1500)
    reps = options.reps(5, 3)
    rps: dict[bool, list[float]] = {False: [], True: []}
    pair_ratios: list[float] = []
    with ServerProcess(keep_alive=False) as closing, ServerProcess(keep_alive=True) as keeping:
        servers = {False: closing, True: keeping}
        sessions = {mode: session_id(s.url, s.password) for mode, s in servers.items()}
        for mode, server in servers.items():  # warm-up: first connections, code paths
            hammer(server.url, sessions[mode], THREADS * 10, THREADS)
        for rep in range(reps):
            order = (False, True) if rep % 2 == 0 else (True, False)
            measured: dict[bool, float] = {}
            for mode in order:
                server = servers[mode]
                before, _ = server.stats()
                elapsed = hammer(server.url, sessions[mode], total, THREADS)
                after, _ = server.stats()
                if after - before != total:
                    raise RuntimeError(f"{after - before} requêtes servies sur {total} envoyées")
                measured[mode] = total / elapsed
                rps[mode].append(total / elapsed)
            pair_ratios.append(measured[True] / measured[False])

    setup = (f"{THREADS} fils, {number(total, 0)} requêtes `a=status` par mesure, "
             f"médiane de {reps}")
    close_rps, keep_rps = median(rps[False]), median(rps[True])
    return [
        Row("req/s, une connexion par requête (comme UrBackup)", number(close_rps, 0),
            context=f"{setup} ; {ms(total / close_rps)} par mesure"),
        Row("req/s, connexions persistantes (comme le proxy DATIS)", number(keep_rps, 0),
            context=f"{setup} ; {ms(total / keep_rps)} par mesure"),
        Row("rapport persistantes / une par requête", times(median(pair_ratios), 2),
            context="médiane des rapports de mesures consécutives ; scénario datis-conforme "
                    "(3 clients), émulateur dans son propre processus"),
    ]


BENCHMARK = Benchmark("emulator", "émulateur", run)
