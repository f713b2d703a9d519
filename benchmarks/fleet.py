"""Benchmark "fleet": `datis-audit fleet` over 50, 100 and 200 emulated appliances.

A real fleet is other machines: the appliances here are emulators in two processes of their
own (half the fleet each), every request delayed by 20 ms like a remote appliance. The audit is
the real CLI in a subprocess, with an inventory and a passwords file in a temporary folder,
exactly as a partner would run it; we time it, read its peak memory from the kernel and
check that every appliance got its result: the exit code, the fleet summary and each
appliance's report files.

The peak is the VmHWM of /proc/self/status, written by the audit process as it exits (a few
lines run `python -m checks` under an exit hook). When a large fleet is split over forked audit
processes, the hook also samples, every 50 ms, the process's resident memory plus each child's
private memory (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup: what the child does not
share with the parent it was forked from, so that no page counts twice), and keeps the larger
figure. Not wait4's ru_maxrss: the audit process starts as a
vfork of this one, and Linux keeps that image's peak in its ru_maxrss across exec, so it showed
this process's size (54 Mio with Sphinx imported) whatever the fleet.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    Benchmark,
    Options,
    Row,
    at_most,
    median,
    ms,
    number,
    real_cost_setting,
    run_measured,
    times,
)
from benchmarks.server import ROOT, ServerProcess
from checks.emulator.cost import ServerCost

LATENCY_MS = 20.0
SIZES = (50, 100, 200)
PROCESSES = 2
"""Emulator processes, the same number for every size so that sizes compare fairly."""
FORMATS = ("html", "json")
WORKERS = 32
"""`--workers` of the CLI: its default."""
TARGET_SIZE = 200
TARGET_SECONDS = 15.0
TARGET_GROWTH = 2.0
GROWTH_NOISE = 1.05
"""A shared, noisy machine: ×2.01 is linear; the verdict allows 5 %."""
"""Doubling the fleet may at most double the time: linear or better."""
REAL_SIZE = 1000
REAL_TARGET_SECONDS = 30.0
REAL_TARGET_MIB = 150.0
AUDIT_TIMEOUT = 180.0
PEAK_ENV = "DATIS_BENCH_PEAK_FILE"
AUDIT = f"""
import atexit, glob, os, runpy, sys, threading, time

def _kib(status, field):
    with open(status, encoding="ascii") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field))

def _private(pid):
    kib = 0
    with open(f"/proc/{{pid}}/smaps_rollup", encoding="ascii") as lines:
        for line in lines:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                kib += int(line.split()[1])
    return kib

def _together():
    total = _kib("/proc/self/status", "VmRSS:")
    for listed in glob.glob("/proc/self/task/*/children"):
        with open(listed, encoding="ascii") as children:
            for pid in children.read().split():
                try:
                    total += _private(pid)
                except (OSError, ValueError):
                    pass
    return total

_most = [0]

def _sample():
    while True:
        _most[0] = max(_most[0], _together())
        time.sleep(0.05)

def _peak():
    kib = max(_kib("/proc/self/status", "VmHWM:"), _most[0])
    with open(os.environ["{PEAK_ENV}"], "w", encoding="ascii") as out:
        out.write(str(kib * 1024))

threading.Thread(target=_sample, daemon=True).start()
atexit.register(_peak)
sys.argv[0] = "datis-audit"
runpy.run_module("checks", run_name="__main__", alter_sys=True)
"""
"""`python -m checks` with an exit hook that writes its peak memory to a file: the process's
own peak, or the most it and its audit processes held together (sampled every 50 ms), whichever
is larger."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    requests: int
    cpu: float
    """CPU seconds of the audit process (user + system)."""


def write_fleet(folder: Path, urls: list[str], password: str) -> tuple[Path, Path]:
    """The inventory (no password in it) and the passwords file, keyed by URL."""
    inventory = folder / "flotte.toml"
    blocks = ["schema = 1"]
    blocks += [f'[[appliance]]\nurl = "{url}"\nnom = "Cabinet {i:03d}"'
               for i, url in enumerate(urls, 1)]
    inventory.write_text("\n\n".join(blocks) + "\n", "utf-8")
    passwords = folder / "mots-de-passe.toml"
    passwords.write_text("".join(f'"{url}" = "{password}"\n' for url in urls), "utf-8")
    passwords.chmod(0o600)
    return inventory, passwords


def audit_fleet(inventory: Path, passwords: Path, out: Path) -> tuple[int, float, int, float]:
    """Run the CLI once: exit code, wall seconds, peak RSS in bytes, CPU seconds."""
    command = [sys.executable, "-c", AUDIT, "fleet", "--inventory", str(inventory),
               "--passwords", str(passwords), "--output-dir", str(out),
               "--format", ",".join(FORMATS), "--workers", str(WORKERS)]
    peak_file = out.parent / f"{out.name}.peak"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATIS_PASSWORD")}
    env[PEAK_ENV] = str(peak_file)
    run = run_measured(command, cwd=ROOT, env=env, log=out.parent / f"{out.name}.log",
                       timeout=AUDIT_TIMEOUT)
    if run.code not in (0, 1):
        raise RuntimeError(f"datis-audit fleet a fini avec le code {run.code} : "
                           f"{run.output[-400:]}")
    return run.code, run.seconds, int(peak_file.read_text("ascii")), run.cpu_seconds


def check_results(out: Path, size: int) -> None:
    """Every appliance audited: one entry each in the summary, and its report files."""
    summary = json.loads((out / "flotte.json").read_text("utf-8"))
    states = [a.get("etat") for a in summary.get("appliances", [])]
    audited = [s for s in states if s in ("conforme", "non conforme")]
    if len(states) != size or len(audited) != size:
        raise RuntimeError(f"{len(audited)} appliances auditées sur {size} "
                           f"({len(states)} dans flotte.json)")
    for fmt in FORMATS:
        count = sum(1 for p in out.iterdir() if p.suffix == f".{fmt}"
                    and p.name not in ("flotte.json", "index.html"))
        if count != size:
            raise RuntimeError(f"{count} rapports {fmt} sur {size} appliances")
    if not (out / "index.html").is_file():
        raise RuntimeError("synthèse index.html absente")


def measure(size: int, rep: int, folder: Path, *, real_cost: bool = False) -> Run:
    share = [size // PROCESSES + (1 if i < size % PROCESSES else 0) for i in range(PROCESSES)]
    with contextlib.ExitStack() as running:
        servers = [running.enter_context(ServerProcess(appliances=n, latency_ms=LATENCY_MS,
                                                       real_cost=real_cost))
                   for n in share]
        urls = [url for server in servers for url in server.urls]
        if len(urls) != size:
            raise RuntimeError(f"{len(urls)} appliances émulées sur {size}")
        inventory, passwords = write_fleet(folder, urls, servers[0].password)
        before = sum(server.stats()[0] for server in servers)
        out = folder / f"rapports-{size}-{rep}{'-cout-reel' if real_cost else ''}"
        _, elapsed, peak, cpu = audit_fleet(inventory, passwords, out)
        served = sum(server.stats()[0] for server in servers) - before
    check_results(out, size)
    return Run(elapsed, peak, served, cpu)


def run(options: Options) -> list[Row]:
    reps = options.reps(2, 1)
    runs: dict[int, list[Run]] = {size: [] for size in SIZES}
    with tempfile.TemporaryDirectory(prefix="datis-bench-fleet-") as tmp:
        for rep in range(reps):
            order = SIZES if rep % 2 == 0 else tuple(reversed(SIZES))
            for size in order:
                runs[size].append(measure(size, rep, Path(tmp)))
        real = real_cost_rows(options, Path(tmp))

    def seconds(size: int) -> float:
        return median(r.seconds for r in runs[size])

    def peak(size: int) -> float:
        return max(r.peak_bytes for r in runs[size])

    mib = 1024 * 1024
    rows: list[Row] = []
    for size in SIZES:
        judged = size == TARGET_SIZE
        per_request = runs[size][0].requests / size
        rows.append(Row(
            f"temps, {size} appliances", ms(seconds(size)),
            target=f"< {number(TARGET_SECONDS, 0)} s" if judged else "—",
            verdict=at_most(seconds(size), TARGET_SECONDS) if judged else "—",
            context=f"{number(size / seconds(size), 1)} appliances/s ; médiane de "
                    f"{len(runs[size])} ; {number(per_request, 0)} requêtes par appliance, "
                    f"{number(LATENCY_MS, 0)} ms de latence chacune ; CPU de l'audit "
                    f"{ms(median(r.cpu for r in runs[size]))} ; mémoire de pointe "
                    f"{number(peak(size) / mib, 0)} Mio"))
    for small, large in itertools.pairwise(SIZES):
        growth = seconds(large) / seconds(small)
        rows.append(Row(
            f"rapport de temps {large} / {small} appliances", times(growth, 2),
            target=f"≤ {times(TARGET_GROWTH, 0)} (à 5 % près)",
            verdict=at_most(growth, TARGET_GROWTH * GROWTH_NOISE),
            context=f"{ms(seconds(large))} / {ms(seconds(small))} ; linéaire = "
                    f"{times(large / small, 0)}"))
    smallest, largest = SIZES[0], SIZES[-1]
    per_appliance = (peak(largest) - peak(smallest)) / mib / (largest - smallest)
    rows.append(Row(
        f"mémoire de pointe, rapport {largest} / {smallest} appliances",
        times(peak(largest) / peak(smallest), 2),
        context="processus d'audit et processus fils (VmHWM ; ou mémoire résidente plus mémoire "
                "privée des fils, échantillonnée) : "
                + ", ".join(f"{number(peak(s) / mib, 0)} Mio pour {s}" for s in SIZES)
                + f" ; {number(per_appliance, 2)} Mio de plus par appliance"))
    rows += real
    rows.append(Row(
        "configuration", f"{WORKERS} audits simultanés",
        context=f"`datis-audit fleet --workers {WORKERS} --format {','.join(FORMATS)}`, "
                f"sous-processus ; appliances : scénario datis-conforme (4 clients), "
                f"{PROCESSES} processus d'émulateurs, une connexion par requête"))
    return rows


def real_cost_rows(options: Options, folder: Path) -> list[Row]:
    """The judged fleet: 1000 appliances, each costing like a real server."""
    reps = options.reps(2, 1)
    runs = [measure(REAL_SIZE, rep, folder, real_cost=True) for rep in range(reps)]
    elapsed = median(r.seconds for r in runs)
    peak = max(r.peak_bytes for r in runs) / (1024 * 1024)
    cost = ServerCost()
    setting = (f"{real_cost_setting(LATENCY_MS, cost)} "
               f"({cost.concurrency} à la fois par appliance)")
    return [
        Row(f"temps, {REAL_SIZE} appliances au coût réel", ms(elapsed),
            target=f"< {number(REAL_TARGET_SECONDS, 0)} s",
            verdict=at_most(elapsed, REAL_TARGET_SECONDS),
            context=f"{number(REAL_SIZE / elapsed, 1)} appliances/s ; médiane de {len(runs)} ; "
                    f"{setting} ; CPU de l'audit {ms(median(r.cpu for r in runs))}"),
        Row(f"mémoire de pointe, {REAL_SIZE} appliances au coût réel",
            f"{number(peak, 0)} Mio", target=f"< {number(REAL_TARGET_MIB, 0)} Mio",
            verdict=at_most(peak, REAL_TARGET_MIB),
            context="processus d'audit et processus fils (VmHWM ; ou mémoire résidente plus "
                    "mémoire privée des fils, échantillonnée), rapports HTML et JSON écrits "
                    "au fil des audits"),
    ]


BENCHMARK = Benchmark("fleet", "flotte", run)
