"""Benchmark "round trips": a full reading of an appliance, ours against the official client.

Our side logs in and calls read_appliance (independent reads in parallel). The official side is
the script one would write with the official Python client (urbackup_api) to gather the same
data: login, status, general settings, mail settings and each client's settings. Both read an
emulated appliance with 1, 10 and 100 clients that adds 20 ms to every request, like a remote
appliance; we count the HTTP requests and the round trips waited for one after the other, and
compare wall times with each other and with the floor: the fewest sequential round trips the
data needs (salt, login, the parallel reads, the parallel per-client reads) times the latency.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import urbackup_api

from benchmarks.common import (
    NOT_APPLICABLE,
    Benchmark,
    Exchange,
    Options,
    Row,
    at_least,
    at_most,
    median,
    ms,
    number,
    real_cost_setting,
    sequential_round_trips,
    times,
)
from benchmarks.server import ServerProcess
from checks.appliance.client import UrBackupClient
from checks.appliance.reading import IN_FLIGHT, read_appliance
from checks.emulator.cost import ServerCost

T = TypeVar("T")

LATENCY_MS = 20.0
CLIENT_COUNTS = (1, 10, 100)
FLOOR_ROUND_TRIPS = 4
TARGET_CLIENTS = 100
TARGET_SPEEDUP = 5.0
TARGET_FLOOR = 1.5
REAL_TARGET_SPEEDUP = 6.0
REAL_TARGET_FLOOR = 1.3
FIRST_WAVE = 5
"""The independent reads after login: status, general and mail settings, users, version."""


class TimedClient(UrBackupClient):
    """Our client, noting each exchange's ready and end times (the client itself unchanged).

    Each HTTP exchange goes through its transport's `send`: that one method is wrapped.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exchanges: list[Exchange] = []
        self.actions: list[str] = []
        self._ready = threading.local()
        self._log_lock = threading.Lock()
        send = self._transport.send

        def timed(method: str, url: str, data: Mapping[str, Any] | None,
                  **options: Any) -> bytes:
            ready: float | None = getattr(self._ready, "at", None)
            self._ready.at = None
            if ready is None:
                ready = time.perf_counter()
            try:
                return send(method, url, data, **options)
            finally:
                with self._log_lock:
                    self.exchanges.append(Exchange(ready, time.perf_counter()))
                    self.actions.append(url.rpartition("?a=")[2] if "?a=" in url else url)

        self._transport.send = timed  # type: ignore[method-assign]

    def run_parallel(self, calls: Mapping[str, Callable[[], T]],
                     workers: int = 8) -> dict[str, T]:
        handed = time.perf_counter()

        def noted(fn: Callable[[], T]) -> Callable[[], T]:
            def call() -> T:
                self._ready.at = handed
                try:
                    return fn()
                finally:
                    self._ready.at = None
            return call

        return super().run_parallel({name: noted(fn) for name, fn in calls.items()}, workers)


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int
    round_trips: int
    cpu: float = 0.0
    """CPU seconds of this process (the client's own work) during the reading."""
    login: tuple[str, ...] = ()
    """The actions our login sent, in order (what the context column says, measured)."""
    login_round_trips: int = 0


def ours(url: str, password: str, clients: int) -> Run:
    began, cpu = time.perf_counter(), time.process_time()
    client = TimedClient(url, password=password)
    with client:
        client.login()
        login = tuple(client.actions)
        login_round_trips = sequential_round_trips(client.exchanges)
        reading = read_appliance(client)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    read = [c for c in reading.clients if c.settings is not None]
    if len(read) != clients or not reading.general or not reading.mail:
        raise RuntimeError(f"lecture incomplète : {len(read)} clients sur {clients}")
    return Run(elapsed, client.request_count, sequential_round_trips(client.exchanges), cpu,
               login, login_round_trips)


def official(url: str, password: str, clients: int) -> Run:
    """The official client's script; its exchanges are noted by wrapping its HTTP calls."""
    server = urbackup_api.urbackup_server(f"{url}/x", "admin", password)
    exchanges: list[Exchange] = []
    sent = [0]
    get_response, get_json = server._get_response, server._get_json

    def counted(*args: Any, **kwargs: Any) -> Any:
        sent[0] += 1
        return get_response(*args, **kwargs)

    def timed(*args: Any, **kwargs: Any) -> Any:
        ready = time.perf_counter()
        try:
            return get_json(*args, **kwargs)
        finally:
            exchanges.append(Exchange(ready, time.perf_counter()))

    server._get_response, server._get_json = counted, timed
    began = time.perf_counter()
    if not server.login():
        raise RuntimeError("le client officiel n'a pas pu se connecter")
    status = server.get_status()
    general = server.get_global_settings()
    mail = server._get_json("settings", {"sa": "mail"})
    settings = [server.get_client_settings_by_id(entry["id"]) for entry in status or []]
    elapsed = time.perf_counter() - began
    if general is None or mail is None or sum(s is not None for s in settings) != clients:
        raise RuntimeError("lecture incomplète par le client officiel")
    return Run(elapsed, sent[0], sequential_round_trips(exchanges))


def observed(server: ServerProcess, reader: Callable[[str, str, int], Run],
             clients: int) -> tuple[Run, float]:
    """One reading, checked against the emulator's count; with the emulator's CPU seconds."""
    served_before, cpu_before = server.stats()
    result = reader(server.url, server.password, clients)
    served_after, cpu_after = server.stats()
    if served_after - served_before != result.requests:
        raise RuntimeError(f"{result.requests} requêtes comptées, "
                           f"{served_after - served_before} servies")
    return result, cpu_after - cpu_before


def alternated(server: ServerProcess, clients: int, ours_reps: int,
               official_reps: int) -> tuple[list[Run], list[Run], list[float]]:
    """Our reading and the official script in turn, after a warm-up: our runs, theirs, and
    the emulator's CPU seconds for each of ours."""
    ours(server.url, server.password, clients)  # warm-up: imports, first connections
    our_runs: list[Run] = []
    official_runs: list[Run] = []
    emulator_cpu: list[float] = []
    for rep in range(max(ours_reps, official_reps)):
        if rep < official_reps:
            official_runs.append(observed(server, official, clients)[0])
        run, cpu = observed(server, ours, clients)
        our_runs.append(run)
        emulator_cpu.append(cpu)
    return our_runs, official_runs, emulator_cpu


def measure(clients: int, options: Options) -> list[Row]:
    ours_reps = options.reps(5, 3)
    official_reps = 1 if clients >= TARGET_CLIENTS else options.reps(3, 1)
    latency = LATENCY_MS / 1000
    floor = FLOOR_ROUND_TRIPS * latency
    with ServerProcess(clients=clients, latency_ms=LATENCY_MS, keep_alive=False) as server:
        our_runs, official_runs, emulator_cpu = alternated(server, clients, ours_reps,
                                                           official_reps)
        server.set_latency(0)  # the same reading without latency: what is CPU, not waiting
        without_latency = median(ours(server.url, server.password, clients).seconds
                                 for _ in range(ours_reps))

    our_time = median(r.seconds for r in our_runs)
    official_time = median(r.seconds for r in official_runs)
    speedup = official_time / our_time
    to_floor = our_time / floor
    judged = clients == TARGET_CLIENTS
    label = f"{clients} client" + ("s" if clients > 1 else "")
    mine, theirs = our_runs[0], official_runs[0]
    login = f"{len(mine.login)} ({', '.join(mine.login)})"
    reads = mine.requests - len(mine.login) - clients
    return [
        Row(f"requêtes HTTP, {label} (nous / officiel)", f"{mine.requests} / {theirs.requests}",
            context=f"nous : connexion {login} + lectures {reads} + 1 par client ; "
                    f"officiel : {theirs.requests - clients} + 1 par client"),
        Row(f"allers-retours séquentiels, {label} (nous / officiel)",
            f"{mine.round_trips} / {theirs.round_trips}",
            target=f"plancher : {FLOOR_ROUND_TRIPS}",
            context=f"nous : au plus {IN_FLIGHT} requêtes à la fois (read_appliance, "
                    f"par défaut) ; la connexion en fait {mine.login_round_trips} "
                    f"({', '.join(mine.login)})"),
        Row(f"temps officiel / nous, {label}", times(speedup),
            target=f"≥ {times(TARGET_SPEEDUP, 0)}" if judged else NOT_APPLICABLE,
            verdict=at_least(speedup, TARGET_SPEEDUP) if judged else NOT_APPLICABLE,
            context=f"à {number(LATENCY_MS, 0)} ms par requête : nous {ms(our_time)} "
                    f"(médiane de {len(our_runs)}), officiel {ms(official_time)} "
                    f"({len(official_runs)} mesure{'s' if len(official_runs) > 1 else ''})"),
        Row(f"nous / plancher, {label}", times(to_floor, 2),
            target=f"≤ {times(TARGET_FLOOR)}" if judged else NOT_APPLICABLE,
            verdict=at_most(to_floor, TARGET_FLOOR) if judged else NOT_APPLICABLE,
            context=f"plancher {ms(floor)} ({FLOOR_ROUND_TRIPS} × {number(LATENCY_MS, 0)} ms) ; "
                    f"sans latence, nous {ms(without_latency)} "
                    f"({times(without_latency / floor, 2)} le plancher) ; CPU par lecture : "
                    f"client {ms(median(r.cpu for r in our_runs))}, "
                    f"émulateur {ms(median(emulator_cpu))}"),
    ]


def real_floor(clients: int, cost: ServerCost) -> tuple[float, float]:
    """The floor on a server that costs like the real one: (floor, the server's share).

    The fewest sequential round trips (salt, login, the independent reads, the per-client
    reads) each cost the latency, plus the server's own time for each wave at its best
    concurrency: a wave of n requests takes at least max(1, n / concurrency) request times.
    """
    waves = (1, 1, FIRST_WAVE, clients)
    server = sum(max(1.0, wave / cost.concurrency) * cost.ms / 1000 for wave in waves)
    return len(waves) * LATENCY_MS / 1000 + server, server


def measure_real_cost(options: Options) -> list[Row]:
    """100 clients on the emulator that costs like a real server: the judged rows."""
    clients, cost = TARGET_CLIENTS, ServerCost()
    ours_reps, official_reps = options.reps(7, 3), options.reps(2, 1)
    with ServerProcess(clients=clients, latency_ms=LATENCY_MS, real_cost=True) as server:
        our_runs, official_runs, _ = alternated(server, clients, ours_reps, official_reps)
        peak = server.peak()
    floor, server_share = real_floor(clients, cost)
    our_time = median(r.seconds for r in our_runs)
    official_time = median(r.seconds for r in official_runs)
    speedup, to_floor = official_time / our_time, our_time / floor
    label = f"{clients} clients, serveur au coût réel"
    setting = f"{real_cost_setting(LATENCY_MS, cost)}, {cost.concurrency} à la fois"
    return [
        Row(f"temps officiel / nous, {label}", times(speedup),
            target=f"≥ {times(REAL_TARGET_SPEEDUP, 0)}",
            verdict=at_least(speedup, REAL_TARGET_SPEEDUP),
            context=f"{setting} ; nous {ms(our_time)} (médiane de {len(our_runs)}), "
                    f"officiel {ms(official_time)} (médiane de {len(official_runs)}, "
                    f"get_client_settings_by_id pour chaque client d'un seul get_status) ; "
                    f"au plus {peak} requêtes servies à la fois"),
        Row(f"nous / plancher, {label}", times(to_floor, 2),
            target=f"≤ {times(REAL_TARGET_FLOOR, 1)}",
            verdict=at_most(to_floor, REAL_TARGET_FLOOR),
            context=f"plancher {ms(floor)} : {FLOOR_ROUND_TRIPS} × {number(LATENCY_MS, 0)} ms "
                    f"de latence + {ms(server_share)} de serveur (vagues de 1, 1, "
                    f"{FIRST_WAVE} et {clients} requêtes, {cost.concurrency} à la fois) ; "
                    f"nous {ms(our_time)}, {IN_FLIGHT} requêtes en vol au plus"),
    ]


def run(options: Options) -> list[Row]:
    rows: list[Row] = []
    for clients in CLIENT_COUNTS:
        rows += measure(clients, options)
    return rows + measure_real_cost(options)


BENCHMARK = Benchmark("round-trips", "allers-retours", run)
