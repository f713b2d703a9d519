"""Benchmark "exporter": `datis-audit exporter` under a steady stream of probes, at real cost.

The appliances are emulators in two processes of their own, each request costing what it
costs a real UrBackup server (ServerCost) behind 20 ms of network. The exporter is the real
CLI in a subprocess, `--min-interval 0` so that every probe is a full audit (a cached answer
would flatter it). This process plays Prometheus: PROBERS threads, each with a persistent
connection, probe the appliances in turn, PROBES in all.

Measured in one run:
- sustained probes per second, after the warm-up (the first WARM_UP probes);
- CPU per probe: the exporter process's CPU (/proc/PID/stat) over the measured probes;
- the same appliances' audit inside `datis-audit fleet` (`--format prometheus`, one process,
  the same emulators): the CPU of a fleet of FLEET_LARGE less that of FLEET_SMALL, per
  appliance, so that the command's start is left out; the ratio of the two is the verdict;
- the exporter's resident memory after the 1,000th and after the last probe.
Then the arithmetic: how many exporters a fleet of 10,000 appliances scraped every 5 minutes
needs.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    Benchmark,
    Options,
    Row,
    at_most,
    ms,
    number,
    real_cost_setting,
    run_measured,
    times,
)
from benchmarks.fleet import write_fleet
from benchmarks.server import ROOT, ServerProcess
from checks.emulator.cost import ServerCost

LATENCY_MS = 20.0
APPLIANCES = 200
PROCESSES = 2
PROBERS = 32
IN_FLIGHT = 32
"""`--max-in-flight` of the exporter (its default): as many as the probers, none refused."""
PROBES, QUICK_PROBES = 10_000, 2_000
WARM_UP, QUICK_WARM_UP = 1_000, 500
FLEET_SMALL, FLEET_LARGE = 20, APPLIANCES
TARGET_CPU_RATIO = 1.1
TARGET_GROWTH = 1.05
"""Memory after the last probe at most 5 % above memory after the warm-up: flat (a leak of
one kibibyte per probe would show as 9 Mio)."""
FLEET_SIZE = 10_000
INTERVAL_S = 300.0
HEADROOM = 0.5
"""An exporter is planned at half its measured rate: room for slow appliances and retries of
Prometheus, on a machine that does other things."""
PAGE = 4096


@dataclass(frozen=True)
class Sample:
    probes: int
    at: float
    cpu: float
    rss: int


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


@contextlib.contextmanager
def _exporter(inventory: Path, passwords: Path, log: Path) -> Iterator[tuple[int, int]]:
    """The exporter's process id and port."""
    with log.open("w", encoding="utf-8") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "checks", "exporter", "--inventory", str(inventory),
             "--passwords", str(passwords), "--listen", "127.0.0.1:0", "--min-interval", "0",
             "--max-in-flight", str(IN_FLIGHT)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("DATIS_")})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if not first.startswith("Exportateur DATIS : http://127.0.0.1:"):
            raise RuntimeError(f"l'exportateur n'a pas démarré : {first!r}")
        yield proc.pid, int(first.split(":")[3].split("/")[0])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def _probe_all(port: int, targets: list[str], count: int, pid: int,
               marks: set[int]) -> list[Sample]:
    """`count` probes from PROBERS threads; a sample of the exporter at each of `marks`."""
    issued = itertools.count()
    done = itertools.count(1)
    lock = threading.Lock()
    samples: list[Sample] = []
    failures: list[str] = []

    def prober() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            while (index := next(issued)) < count:
                target = targets[index % len(targets)]
                connection.request("GET", f"/probe?target={target}",
                                   headers={"X-Prometheus-Scrape-Timeout-Seconds": "60"})
                answer = connection.getresponse()
                body = answer.read()
                if answer.status != 200 or b"datis_audit_up{" not in body \
                        or b"} 1.0\n" not in body.split(b"datis_audit_up{", 1)[1][:300]:
                    failures.append(f"{target}: {answer.status} {body[:200]!r}")
                finished = next(done)
                if finished in marks:
                    with lock:
                        samples.append(Sample(finished, time.perf_counter(), _cpu(pid),
                                              _rss(pid)))
        finally:
            connection.close()

    threads = [threading.Thread(target=prober) for _ in range(PROBERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} sondes en échec, dont {failures[0]}")
    return sorted(samples, key=lambda s: s.probes)


def _fleet_cpu(inventory: Path, passwords: Path, folder: Path, name: str) -> float:
    command = [sys.executable, "-m", "checks", "fleet", "--inventory", str(inventory),
               "--passwords", str(passwords), "--output-dir", str(folder / name),
               "--format", "prometheus", "--processes", "1", "--workers", str(IN_FLIGHT)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATIS_")}
    run = run_measured(command, cwd=ROOT, env=env, log=folder / f"{name}.log", timeout=300)
    if run.code not in (0, 1):
        raise RuntimeError(f"datis-audit fleet : code {run.code} : {run.output[-300:]}")
    return run.cpu_seconds


def run(options: Options) -> list[Row]:
    probes = QUICK_PROBES if options.quick else PROBES
    warm_up = QUICK_WARM_UP if options.quick else WARM_UP
    share = [APPLIANCES // PROCESSES] * PROCESSES
    with tempfile.TemporaryDirectory(prefix="datis-bench-exporter-") as tmp, \
            contextlib.ExitStack() as running:
        folder = Path(tmp)
        servers = [running.enter_context(ServerProcess(appliances=n, latency_ms=LATENCY_MS,
                                                       real_cost=True)) for n in share]
        urls = [url for server in servers for url in server.urls]
        inventory, passwords = write_fleet(folder, urls, servers[0].password)
        (folder / "petite").mkdir()
        small, small_passwords = write_fleet(folder / "petite", urls[:FLEET_SMALL],
                                             servers[0].password)
        fleet_cpu = []
        for rep in range(options.reps(2, 1)):  # alternated, the medians kept
            large_cpu = _fleet_cpu(inventory, passwords, folder, f"grande-{rep}")
            small_cpu = _fleet_cpu(small, small_passwords, folder, f"petite-{rep}")
            fleet_cpu.append((large_cpu - small_cpu) / (FLEET_LARGE - FLEET_SMALL))
        with _exporter(inventory, passwords, folder / "exportateur.log") as (pid, port):
            samples = _probe_all(port, urls, probes, pid, {warm_up, probes})
    start, end = samples
    measured = end.probes - start.probes
    rate = measured / (end.at - start.at)
    cpu_probe = (end.cpu - start.cpu) / measured
    cpu_fleet = sorted(fleet_cpu)[len(fleet_cpu) // 2]
    ratio = cpu_probe / cpu_fleet
    growth = end.rss / start.rss
    mib = 1024 * 1024
    needed = FLEET_SIZE / INTERVAL_S
    by_rate = math.ceil(needed / (rate * HEADROOM))
    by_cpu = 1 / cpu_probe  # one exporter is one Python process: one core at most
    setting = real_cost_setting(LATENCY_MS, ServerCost())
    return [
        Row("sondes par seconde, soutenu", number(rate, 1),
            context=f"{number(measured, 0)} sondes après les {number(warm_up, 0)} premières, "
                    f"{PROBERS} sondes simultanées, chacune un audit complet (--min-interval "
                    f"0) ; {APPLIANCES} appliances au coût réel ({setting}) dans "
                    f"{PROCESSES} processus ; {ms(end.at - start.at)}"),
        Row("CPU par sonde / audit dans fleet", times(ratio, 2),
            target=f"≤ {times(TARGET_CPU_RATIO, 1)}", verdict=at_most(ratio, TARGET_CPU_RATIO),
            context=f"exportateur {ms(cpu_probe)} par sonde (processus exportateur, CPU "
                    f"total / sondes) ; fleet {ms(cpu_fleet)} par appliance (--format "
                    f"prometheus, un processus : CPU de {FLEET_LARGE} appliances moins celui "
                    f"de {FLEET_SMALL}, par appliance ; médiane de {len(fleet_cpu)})"),
        Row(f"mémoire après {number(probes, 0)} / après {number(warm_up, 0)} sondes",
            times(growth, 3), target=f"≤ {times(TARGET_GROWTH, 2)}",
            verdict=at_most(growth, TARGET_GROWTH),
            context=f"mémoire résidente de l'exportateur : {number(start.rss / mib, 1)} Mio "
                    f"puis {number(end.rss / mib, 1)} Mio"),
        Row(f"exportateurs pour {number(FLEET_SIZE, 0)} appliances toutes les 5 min",
            str(by_rate),
            context=f"besoin : {number(needed, 1)} sondes/s ; un exportateur en soutient "
                    f"{number(rate, 1)} ici (deux cœurs partagés avec les émulateurs), compté "
                    f"à {int(HEADROOM * 100)} % ; par le CPU seul, un cœur par exportateur "
                    f"en permet {number(by_cpu, 0)}/s"),
    ]


BENCHMARK = Benchmark("exporter", "exportateur", run)
