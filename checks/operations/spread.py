"""Independent jobs over threads, and over several processes when one core cannot keep up.

A fleet audit spends its CPU in Python (HTTP, rules, reports) under one interpreter lock: past
a few dozen appliances one core is the limit, not the network. Forked processes each take a
share of the jobs, with their own threads; each result comes back over a pipe as soon as it is
ready, so that progress and order stay the caller's. A forked process starts as a copy of this
one: passwords reach it in memory, never on a command line nor through a pipe.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TypeVar

from checks.errors import DatisError, ExitCode, InternalError
from checks.french.numbers import agree
from checks.french.numbers import count as counted

Job = TypeVar("Job")
Outcome = TypeVar("Outcome")

INTERRUPTED = 130
"""A process stopped by Ctrl-C exits silently with 128 + SIGINT: the parent says it once."""

log = logging.getLogger(__name__)


def cores() -> int:
    """The cores this process may run on (not the machine's, under a CPU affinity)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Linux only: on macOS, a fork after the system's proxy settings were read (requests does)
    may crash in the child, and Windows has no fork."""
    return sys.platform == "linux"


class ProcessFailure(DatisError):
    """An error met in an audit process, raised again in the parent with its message and code."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class _Failure:
    message: str
    exit_code: int

    @classmethod
    def of(cls, exc: Exception) -> _Failure:
        if not isinstance(exc, DatisError):
            log.debug("erreur interne", exc_info=True)
            exc = InternalError(exc)
        return cls(exc.message, int(exc.exit_code))


def run(jobs: Sequence[Job], work: Callable[[Job], Outcome], *, threads: int, processes: int = 1,
        on_result: Callable[[int, Outcome], None]) -> None:
    """`work` on every job, `threads` at a time in all, over `processes` processes.

    `on_result(index, outcome)` is told each outcome as it comes: from the threads themselves
    in one process, from the calling thread over several (outcomes then cross a pipe, so they
    must pickle). An exception of `work` stops nothing: the other jobs end, then it is raised.
    """
    count = max(1, min(processes, threads, len(jobs)))
    if count == 1 or not can_fork():
        _threaded(list(enumerate(jobs)), work, threads, on_result)
        return
    _forked(list(enumerate(jobs)), work, threads, count, on_result)


def _threaded(jobs: list[tuple[int, Job]], work: Callable[[Job], Outcome], threads: int,
              on_result: Callable[[int, Outcome], None]) -> None:
    def one(index: int, job: Job) -> None:
        on_result(index, work(job))

    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(jobs)))) as pool:
        for future in as_completed([pool.submit(one, i, job) for i, job in jobs]):
            future.result()


def _forked(jobs: list[tuple[int, Job]], work: Callable[[Job], Outcome], threads: int,
            count: int, on_result: Callable[[int, Outcome], None]) -> None:
    context = multiprocessing.get_context("fork")
    running: dict[Connection, multiprocessing.process.BaseProcess] = {}
    for share in range(count):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_share, name=f"datis-audit-{share + 1}", daemon=True,
            args=(jobs[share::count], work, threads // count + (share < threads % count),
                  sender, [receiver, *running]))
        process.start()
        sender.close()
        running[receiver] = process
    failure: _Failure | None = None
    expected = len(jobs)
    while running:
        ready = wait(list(running))
        for receiver in [r for r in running if r in ready]:
            try:
                message = receiver.recv()
            except EOFError:
                running.pop(receiver).join()
                receiver.close()
                continue
            if isinstance(message, _Failure):
                failure = failure or message
            else:
                expected -= 1
                on_result(*message)
    if failure is not None:
        raise ProcessFailure(failure.message, ExitCode(failure.exit_code))
    if expected:  # an audit process ended without a word (killed, out of memory)
        log.debug("%s %s des processus d'audit", counted(expected, "résultat"),
                  agree(expected, "jamais reçu", "jamais reçus"))
        raise InternalError(ChildProcessError())


def _share(jobs: list[tuple[int, Job]], work: Callable[[Job], Outcome], threads: int,
           sender: Connection, parents: list[Connection]) -> None:
    """A forked process's part: its jobs in its threads, each outcome sent back at once.

    The copies of the parent's reading ends are closed first: should the parent die, the
    next outcome sent then fails at once and the process ends, instead of filling a pipe
    that no one reads and waiting there for ever.
    """
    for inherited in parents:
        inherited.close()
    lock = threading.Lock()

    def send(index: int, outcome: Outcome) -> None:
        with lock:
            try:
                sender.send((index, outcome))
            except OSError:  # the parent is gone: no one is left to audit for
                os._exit(1)

    try:
        _threaded(jobs, work, threads, send)
    except KeyboardInterrupt:
        os._exit(INTERRUPTED)
    except Exception as exc:  # told to the parent, which reports it once
        with lock, contextlib.suppress(OSError):
            sender.send(_Failure.of(exc))
    finally:
        sender.close()
