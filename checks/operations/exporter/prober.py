"""Probes of inventory appliances, safe for the appliances whatever Prometheus asks.

- Only inventory targets: an unknown target is refused before anything is contacted.
- One audit per target at a time: a probe that finds one running waits for its result.
- A result is kept `min_interval` seconds: a short scrape interval never loads an appliance.
- One login per audit, never retried; after a refused login (wrong password, unknown user,
  banned address) the appliance is not logged into again for LOGIN_PAUSE seconds: UrBackup bans
  an address after 10 failures, and a scrape every 15 s would reach that in three minutes.
- At most `max_in_flight` audits at once; a probe beyond is answered at once (Saturated).
- A probe waits at most its budget (Prometheus's scrape timeout); an audit that outlives it
  goes on in the background and its result is kept for the next probe.

The state kept is one slot per inventory appliance: memory does not grow with probes served.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import Enum

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from checks import errors
from checks.appliance.transport import strip_credentials
from checks.audit import rules, waivers
from checks.audit import run as auditing
from checks.audit.baseline import Baseline
from checks.audit.run import Connection
from checks.french.numbers import decimal
from checks.operations.fleet import Entry, password_for
from checks.reports import prometheus

log = logging.getLogger(__name__)

LOGIN_PAUSE = 600.0
"""Seconds without any login to an appliance after it refused one (UrBackup: 10 minutes)."""

REFUSED = (errors.WrongPassword, errors.UnknownUser, errors.AddressBanned)
"""Login failures that count towards UrBackup's ban, or say the ban is on."""


class Outcome(Enum):
    """How a probe was answered: the `resultat` label of the exporter's own counter."""

    AUDITED = "audit"
    CACHED = "cache"
    PAUSED = "connexion_suspendue"
    TIMEOUT = "delai_depasse"
    SATURATED = "sature"
    UNKNOWN = "cible_inconnue"


class UnknownTarget(Exception):
    """A target that is not in the inventory: nothing is contacted."""


class Saturated(Exception):
    """Every audit slot is taken: the probe is answered at once rather than queued."""


@dataclass(frozen=True)
class Answer:
    body: str
    outcome: Outcome


@dataclass
class _Result:
    body: str
    at: float
    """The prober's clock (time.monotonic) when the audit ended."""
    refused: bool


class _Target:
    """One inventory appliance: its last result, its running audit, its login pause."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.result: _Result | None = None
        self.running: threading.Event | None = None
        self.paused_until = 0.0


def keys(entry: Entry) -> set[str]:
    """The IDs a probe may name an entry by: its DATIS identifier, its address."""
    named = {entry.appliance.url.rstrip("/")}
    if entry.appliance.identifier:
        named.add(entry.appliance.identifier.upper())
    return named


def _key(target: str) -> str:
    text = target.strip()
    return text.upper() if len(text) == 4 else text.rstrip("/")


class Metrics:
    """The exporter's own metrics (/metrics): probes, audits, their errors and durations."""

    def __init__(self, targets: int) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # `_created`: noise here
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.probes = Counter("datis_exporter_probes", "Sondes servies, par résultat.",
                              ["resultat"], registry=self.registry)
        for outcome in Outcome:
            self.probes.labels(outcome.value)
        self.failures = Counter("datis_exporter_audit_failures",
                                "Audits impossibles, par raison.", ["raison"],
                                registry=self.registry)
        self.durations = Histogram("datis_exporter_audit_duration_seconds",
                                   "Durée des audits menés.", registry=self.registry,
                                   buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.in_flight = Gauge("datis_exporter_audits_in_flight", "Audits en cours.",
                               registry=self.registry)
        Gauge("datis_exporter_targets", "Appliances de l'inventaire.",
              registry=self.registry).set(targets)


class Prober:
    def __init__(self, entries: list[Entry], passwords: Mapping[str, str], baseline: Baseline,
                 options: rules.AuditOptions, accepted: list[waivers.Waiver],
                 connection: Connection, *, min_interval: float = 60.0,
                 max_in_flight: int = 32, environ: Mapping[str, str] = os.environ,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`clock` tells the cache's and the login pause's seconds: monotonic, a test's own."""
        self._targets: dict[str, _Target] = {}
        for entry in entries:
            target = _Target(entry)
            for key in keys(entry):
                self._targets[key] = target
        self._passwords = dict(passwords)
        self._environ = dict(environ)
        self._baseline = baseline
        self._options = options
        self._accepted = accepted
        self._connection = connection
        self._clock = clock
        self.min_interval = min_interval
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._lock = threading.Lock()
        self.metrics = Metrics(len(entries))

    def probe(self, name: str, budget: float) -> Answer:
        """The metrics of appliance `name`, waiting at most `budget` seconds for an audit."""
        target = self._targets.get(_key(name))
        if target is None:
            self.metrics.probes.labels(Outcome.UNKNOWN.value).inc()
            raise UnknownTarget(name)
        with self._lock:
            now = self._clock()
            result = target.result
            if result is not None and result.refused and now < target.paused_until:
                return self._answer(result.body, Outcome.PAUSED)
            if result is not None and now - result.at < self.min_interval:
                return self._answer(result.body, Outcome.CACHED)
            running = target.running
            if running is None:
                if not self._slots.acquire(blocking=False):
                    self.metrics.probes.labels(Outcome.SATURATED.value).inc()
                    raise Saturated()
                running = target.running = threading.Event()
                self.metrics.in_flight.inc()
                threading.Thread(target=self._audit, args=(target, running, budget),
                                 name=f"audit {_key(name)}", daemon=True).start()
        if running.wait(max(budget, 0.0)):
            with self._lock:
                fresh = target.result
            if fresh is not None:
                return self._answer(fresh.body, Outcome.AUDITED)
        appliance = target.entry.appliance
        late = prometheus.down_metrics(appliance.identifier, appliance.url,
                                       prometheus.Reason.TIMEOUT, seconds=budget)
        self.metrics.failures.labels(prometheus.Reason.TIMEOUT).inc()
        return self._answer(prometheus.exposition(late), Outcome.TIMEOUT)

    def _answer(self, body: str, outcome: Outcome) -> Answer:
        self.metrics.probes.labels(outcome.value).inc()
        return Answer(body, outcome)

    def _audit(self, target: _Target, done: threading.Event, budget: float) -> None:
        """One audit, in its own thread; its result kept whatever happens."""
        body, refused, seconds = "", False, 0.0
        try:
            body, refused, seconds = self._run(target.entry, budget)
        finally:
            self.metrics.in_flight.dec()
            self._slots.release()
            self.metrics.durations.observe(seconds)
            with self._lock:
                now = self._clock()
                if body:
                    target.result = _Result(body, now, refused)
                if refused:
                    target.paused_until = now + LOGIN_PAUSE
                target.running = None
            done.set()

    def _run(self, entry: Entry, budget: float) -> tuple[str, bool, float]:
        """The exposition of one audit, whether the login was refused, its seconds.

        One login at most, never retried (checks/audit/run.py); every read waits at most the
        probe's budget.
        """
        started = time.perf_counter()
        wait = max(budget, 1.0)
        own = replace(self._connection, user=entry.user,
                      password=password_for(entry, self._passwords, self._environ),
                      read_timeout=min(self._connection.read_timeout, wait),
                      connect_timeout=min(self._connection.connect_timeout, wait))
        try:
            audit = auditing.audit(entry.appliance, own, self._baseline, self._options,
                                   self._accepted)
            seconds = time.perf_counter() - started
            log.info("%s : audit mené en %s s", _shown(entry), decimal(seconds, 2))
            metrics = prometheus.audit_metrics(audit, seconds=seconds)
            return prometheus.exposition(metrics), False, seconds
        except Exception as exc:  # one appliance's failure is its own answer
            seconds = time.perf_counter() - started
            reason = prometheus.reason_of(exc)
            refused = isinstance(exc, REFUSED)
            if not isinstance(exc, errors.DatisError):
                log.debug("erreur interne", exc_info=True)
            self.metrics.failures.labels(reason).inc()
            log.warning("%s : audit impossible (%s)%s", _shown(entry), reason,
                        " ; aucune connexion avant 10 minutes" if refused else "")
            metrics = prometheus.down_metrics(entry.appliance.identifier, entry.appliance.url,
                                              reason, seconds=seconds)
            return prometheus.exposition(metrics), refused, seconds


def _shown(entry: Entry) -> str:
    return entry.appliance.identifier or strip_credentials(entry.appliance.url)
