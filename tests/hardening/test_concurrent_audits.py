"""Three audits at once of one appliance that drops every kept connection it is sent a request
on, as a loaded UrBackup 2.5.33 dropped the connection kept after a static file (recording
M03): every audit reaches the verdict of the healthy appliance, round after round.

The audits go through checks.audit.run.audit, the one path of the CLI and of the fleet runner,
each in its own thread (the fleet refuses the same appliance twice in an inventory).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from checks.appliance.identity import Appliance
from checks.audit import baseline, rules
from checks.audit.findings import Audit
from checks.audit.run import Connection, audit
from checks.emulator import Emulator, Fault
from tests.conftest import PASSWORD

ROUNDS = 20
AT_ONCE = 3

Verdict = tuple[str, list[tuple[str, str, str]]]


def verdict(judged: Audit) -> Verdict:
    return judged.verdict, [(f.id, f.outcome.name, f.severity.name) for f in judged.findings]


def audits_at_once(url: str) -> list[Verdict | str]:
    """AT_ONCE audits started together: each one's verdict, or the error that stopped it."""
    results: list[Verdict | str] = []
    lock = threading.Lock()
    rules_file = baseline.load()

    def one() -> None:
        try:
            outcome: Verdict | str = verdict(audit(Appliance(url), Connection(password=PASSWORD),
                                                   rules_file, rules.AuditOptions(), []))
        except Exception as exc:  # the test reports it below, with its message
            outcome = f"{type(exc).__name__}: {exc}"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("scenario", ["datis-conforme", "datis-derive"])
@pytest.mark.parametrize("keep_alive", [False, True], ids=["urbackup", "proxy"])
def test_concurrent_audits_all_reach_the_healthy_verdict(
    start_emulator: Callable[..., Emulator], scenario: str, keep_alive: bool,
) -> None:
    emulator = start_emulator(scenario, keep_alive=keep_alive)
    first = audits_at_once(emulator.url)
    healthy = first[0]
    assert first == [healthy] * AT_ONCE and isinstance(healthy, tuple), first
    assert healthy[0] == ("conforme" if scenario == "datis-conforme" else "non conforme")
    emulator.faults.add(Fault("reused"))
    for _ in range(ROUNDS):
        assert audits_at_once(emulator.url) == [healthy] * AT_ONCE
