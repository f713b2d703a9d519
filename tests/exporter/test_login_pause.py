"""The 10-minute pause after a refused password, from its start to its end, on a clock of the
test's own: the prober and its HTTP face run in this process (the clock cannot cross into the
child process of tests/exporter/running.py), over real HTTP, in front of an emulated appliance.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from checks.audit import baseline, rules
from checks.audit.run import Connection
from checks.emulator import Emulator
from checks.emulator.logins import stored_hash
from checks.operations import fleet
from checks.operations.exporter.prober import Prober
from checks.operations.exporter.server import ExporterServer
from tests.conftest import PASSWORD
from tests.exporter.running import Reply, get, write_fleet

TEN_MINUTES = 600.0
"""UrBackup's ban lasts 10 minutes: written here, not read from the code under test."""


class Clock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def serving(prober: Prober) -> Iterator[str]:
    server = ExporterServer(("127.0.0.1", 0), prober)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _up(reply: Reply) -> tuple[int, str, str | None]:
    """The status, the datis_audit_up line's value and the failure's reason."""
    lines = reply.body.splitlines()
    up = next(x for x in lines if x.startswith("datis_audit_up{")).rsplit(" ", 1)[1]
    failure = next((x for x in lines if x.startswith("datis_audit_failure{")), None)
    reason = None if failure is None else failure.split('raison="', 1)[1].split('"', 1)[0]
    return reply.status, up, reason


def test_the_pause_ends_after_ten_minutes_and_a_right_password_is_then_accepted(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    refusing = start_emulator("datis-conforme", admin_password="pas-celui-du-fichier")
    inventory, passwords = write_fleet(tmp_path, {refusing.url: PASSWORD})
    clock = Clock()
    prober = Prober(fleet.load_inventory(inventory, "inspee.re"),
                    fleet.load_passwords(passwords), baseline.load(), rules.AuditOptions(), [],
                    Connection(read_timeout=30), min_interval=0, clock=clock)
    logins: list[int] = []
    answers: list[tuple[int, str, str | None]] = []
    with serving(prober) as url:
        def probe_at(seconds: float) -> None:
            clock.now = 1000.0 + seconds
            answers.append(_up(get(f"{url}probe?target={refusing.url}")))
            logins.append(refusing.served("login"))

        probe_at(0)  # refused: the pause starts
        probe_at(300)
        probe_at(TEN_MINUTES - 1)
        probe_at(TEN_MINUTES + 1)  # the pause is over: one login, refused again
        probe_at(2 * TEN_MINUTES)  # a new pause, from the second refusal
        with refusing.state.lock:  # the appliance's password set back to the file's
            admin = refusing.state.user("admin")
            assert admin is not None
            admin.stored_hash = stored_hash(admin.salt, PASSWORD, admin.pbkdf2_rounds)
        probe_at(2 * TEN_MINUTES + 2)
        own = get(f"{url}metrics").body.splitlines()
    refused = (200, "0.0", "mot_de_passe_refuse")
    assert logins == [1, 1, 1, 2, 2, 3]
    assert answers == [refused] * 5 + [(200, "1.0", None)]
    assert len(refusing.state.failures["127.0.0.1"]) == 2
    counted = {line.split('"')[1]: line.rsplit(" ", 1)[1] for line in own
               if line.startswith("datis_exporter_probes_total{")}
    assert (counted["audit"], counted["connexion_suspendue"]) == ("3.0", "3.0")
