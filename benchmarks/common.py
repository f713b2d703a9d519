"""What every benchmark shares: table rows, options, verdicts and French number formatting.

The machine the benchmarks run on is shared and noisy: a figure that matters is always a ratio
of two measures taken in the same run, interleaved; absolute times are only context.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.emulator.cost import ServerCost

NOT_APPLICABLE = "—"
MET = "atteint"
MISSED = "non atteint"
FAILED = "échec"


@dataclass(frozen=True)
class Options:
    """How a benchmark runs: `quick` asks for fewer repetitions and smaller counts."""

    quick: bool = False

    def reps(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass(frozen=True)
class Row:
    """One line of the results table (the benchmark's title is added by the runner)."""

    measure: str
    value: str
    target: str = NOT_APPLICABLE
    verdict: str = NOT_APPLICABLE
    context: str = ""


@dataclass(frozen=True)
class Benchmark:
    """A registered benchmark: `name` for --only, `title` for the table, `run` to measure."""

    name: str
    title: str
    run: Callable[[Options], list[Row]]


def number(value: float, digits: int = 1) -> str:
    """A number written the French way: decimal comma, thin groups of thousands."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def times(ratio: float, digits: int = 1) -> str:
    """A ratio as `×7,0`."""
    return f"×{number(ratio, digits)}"


def ms(seconds: float) -> str:
    """A duration for the context column: `84 ms` or `5,7 s`."""
    if seconds >= 1:
        return f"{number(seconds, 1)} s"
    return f"{number(seconds * 1000, 0)} ms"


def real_cost_setting(latency_ms: float, cost: ServerCost) -> str:
    """How a real-cost measure was set, in the words of every real-cost row."""
    return (f"{number(latency_ms, 0)} ms de latence + {number(cost.ms, 0)} ms de serveur "
            "par requête")


def at_least(value: float, target: float) -> str:
    return MET if value >= target else MISSED


def at_most(value: float, target: float) -> str:
    return MET if value <= target else MISSED


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange seen from the client: when it could go out, when it came back.

    `ready` is when the client's code asked for it (for a parallel read: when it was handed to
    the thread pool), not when a thread got round to it, so that a CPU-starved pool does not
    look like a dependency between requests.
    """

    ready: float
    end: float


def sequential_round_trips(exchanges: Sequence[Exchange]) -> int:
    """The longest chain of exchanges each asked for only after the previous one came back.

    That is the number of round trips the client waits for one after the other: requests sent
    together count once.
    """
    ordered = sorted(exchanges, key=lambda e: e.end)
    depth: list[int] = []
    for i, exchange in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j].end <= exchange.ready]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


@dataclass(frozen=True)
class Measured:
    """One command run to its end: exit code, wall and CPU seconds, its output."""

    code: int
    seconds: float
    cpu_seconds: float
    output: str


def run_measured(command: Sequence[str], *, cwd: Path, env: dict[str, str], log: Path,
                 timeout: float) -> Measured:
    """Run a command, its output to `log`; CPU from wait4 (that process and its children).

    Killed after `timeout` seconds, so that a benchmark always ends.
    """
    with log.open("wb") as output:
        began = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=output, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(proc.returncode, elapsed, usage.ru_utime + usage.ru_stime,
                    log.read_text("utf-8", "replace"))
