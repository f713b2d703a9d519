"""checks.audit.run against a real emulated appliance: what a reading keeps of the appliance it
was asked for, the progress it tells, and the command a refused page names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.appliance.identity import Appliance
from checks.audit import baseline, rules, run
from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.client.test_limited_accounts import refusal, with_account
from tests.conftest import PASSWORD


def test_a_reading_keeps_the_identifier_and_tells_its_progress(emulator: Emulator) -> None:
    seen: list[tuple[int, int]] = []
    reading = run.read(Appliance(emulator.url, "1A2B"), run.Connection(password=PASSWORD),
                       lambda done, known: seen.append((done, known)))
    assert (reading.identifier, max(seen)) == ("1A2B", (9, 9))


def test_an_audit_tells_the_progress_of_its_reading(emulator: Emulator) -> None:
    seen: list[tuple[int, int]] = []
    run.audit(Appliance(emulator.url), run.Connection(password=PASSWORD), baseline.load(),
              rules.AuditOptions(), [], lambda done, known: seen.append((done, known)))
    assert max(seen) == (9, 9)


def test_a_refused_page_names_the_command_that_needed_it(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = with_account(start_emulator, "datis-conforme", "client_settings")
    taken = run_cli("snapshot", "--url", emulator.url, "--user", "technicien", "--output",
                    "instantane.json", password="Mot-de-passe-du-technicien", cwd=tmp_path)
    assert refusal(taken).endswith(
        "n'a pas le droit «\u00a0Réglages › Clients\u00a0» sur "
        f"{emulator.url}, dont l'instantané a besoin. Donnez-lui ce droit dans UrBackup "
        "(Réglages › Utilisateurs) ou utilisez le compte admin.")
