"""Each bundled scenario gives exactly its expected findings, through the real CLI over HTTP."""

from __future__ import annotations

import json
import time
import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from checks.audit import baseline
from checks.emulator import Emulator
from checks.emulator.records import Backup, Client
from tests.cli_run import Run, run_cli
from tests.conftest import RECORDINGS, ROOT

CONFORMING = ROOT / "checks" / "emulator" / "scenarios" / "datis-conforme.toml"

EXPECTED_FAILURES = {
    "datis-conforme": set(),
    "datis-derive": {
        "reglage.update_freq_incr",
        "reglage.max_file_full",
        "reglage.image_letters",
        "reglage.min_image_full",
        "reglage.mail_check_certificate",
        "client.2.update_freq_incr",
        "client.2.max_file_incr",
    },
    "sans-admin": {"securite.acces_ouvert"},
    "messagerie-absente": {
        "reglage.mail_servername",
        "reglage.mail_serverport",
        "reglage.mail_username",
        "reglage.mail_password",
        "reglage.mail_from",
        "reglage.mail_admin_addrs",
        "reglage.mail_ssl_only",
        "reglage.mail_check_certificate",
    },
    "sauvegardes-en-retard": {
        "sante.nospc_stalled",
        "sante.2.fichiers",
        "sante.2.image",
        "sante.3.fichiers",
        "sante.4.fichiers",
        "sante.4.image",
        "sante.4.hors_ligne",
        "sante.5.fichiers",
        "sante.5.image",
    },
    "cent-postes-sans-sauvegarde": {f"sante.{n}.{kind}" for n in range(101, 201)
                                    for kind in ("fichiers", "image")},
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED_FAILURES))
def test_scenario_gives_exactly_its_findings(audit_cli: Callable[..., Run], scenario: str) -> None:
    run = audit_cli(scenario, "--format", "json")
    assert run.stderr == "" or "session anonyme" in run.stderr
    report = json.loads(run.stdout)
    failed = {c["id"] for c in report["constats"] if c["resultat"] == "écart"}
    assert failed == EXPECTED_FAILURES[scenario]
    expected_code = 0 if not EXPECTED_FAILURES[scenario] else 1
    assert run.code == expected_code
    assert report["conforme"] is (expected_code == 0)


def test_override_names_the_client_and_the_key(audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("datis-derive", "--format", "json")
    assert run.code == 1, run
    report = json.loads(run.stdout)
    by_id = {c["id"]: c for c in report["constats"]}
    interval = by_id["client.2.update_freq_incr"]
    assert interval["client"] == "SRV-COMPTA"
    assert interval["cle"] == "update_freq_incr"
    assert interval["observe"] == "1 jour"
    assert interval["attendu"] == "au plus 5 heures"
    pushed = by_id["client.2.max_file_incr"]
    assert "imposé depuis l'agent" in pushed["message"]


def test_open_appliance_is_critical_and_still_audited(audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("sans-admin", "--format", "json", password=None)
    assert run.code == 1, run
    report = json.loads(run.stdout)
    by_id = {c["id"]: c for c in report["constats"]}
    assert by_id["securite.acces_ouvert"]["gravite"] == "critique"
    assert by_id["reglage.update_freq_incr"]["resultat"] == "conforme"


def test_health_reads_ages_against_the_plan(audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("sauvegardes-en-retard", "--format", "json")
    assert run.code == 1, run
    report = json.loads(run.stdout)
    by_id = {c["id"]: c for c in report["constats"]}
    assert by_id["sante.1.fichiers"]["resultat"] == "conforme"
    assert by_id["sante.2.fichiers"]["observe"].startswith("il y a 4 jours")
    assert by_id["sante.5.fichiers"]["observe"] == "jamais"
    assert "3 problèmes" in by_id["sante.3.fichiers"]["message"]
    assert "non à jour" in by_id["sante.3.fichiers"]["message"]


def test_tolerance_changes_what_is_late(start_emulator: Callable[..., Emulator]) -> None:
    """A file backup 12 h old is late at 2 intervals of 5 h, and on time at 3."""
    emulator = start_emulator("datis-conforme")
    state = emulator.state
    client = Client(id=9, name="PC-TARDIF", online=True)
    client.backups.append(Backup(id=99, clientid=9, image=False,
                                 backuptime=int(time.time()) - 12 * 3600, incremental=True,
                                 size_bytes=10**9))
    state.add_client(client)
    strict_run = run_cli("--url", emulator.url, "--format", "json")
    lenient_run = run_cli("--url", emulator.url, "--format", "json", "--tolerance", "3")
    # Both not compliant: the new client has never had an image backup either.
    assert (strict_run.code, lenient_run.code) == (1, 1), (strict_run, lenient_run)
    strict, lenient = json.loads(strict_run.stdout), json.loads(lenient_run.stdout)
    assert {c["id"]: c["resultat"] for c in strict["constats"]}["sante.9.fichiers"] == "écart"
    assert {c["id"]: c["resultat"] for c in lenient["constats"]}["sante.9.fichiers"] == "conforme"


# --- the conforming appliance, written as a real DATIS answers ------------------------------


def _recorded(name: str) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((RECORDINGS / f"{name}.json").read_bytes())["settings"]
    return settings


def test_the_conforming_settings_are_literal_values_as_a_real_server_answers_them() -> None:
    """Not computed from the baseline: written out, each of the type the recorded server gives
    for its key (I04: intervals as text in seconds, counts as numbers; I03: mail all text)."""
    scenario = tomllib.loads(CONFORMING.read_text("utf-8"))
    assert "base" not in scenario
    general, mail = scenario["general"], scenario["mail"]
    assert set(baseline.load().rules) <= set(general) | set(mail), "chaque réglage documenté"
    recorded_general, recorded_mail = _recorded("I04_settings_general_admin"), _recorded(
        "I03_settings_mail_admin")
    for key, value in general.items():
        answer = recorded_general[key]
        recorded = answer["value"] if isinstance(answer, dict) else answer
        assert type(value) is type(recorded), (key, value, recorded)
    assert set(mail) == set(recorded_mail)
    assert all(isinstance(value, str) for value in mail.values())
    assert general["update_freq_incr"] == "18000"


def test_the_literal_conforming_appliance_is_judged_conforme(audit_cli: Callable[..., Run]) -> None:
    """A baseline value or a value conversion that went wrong shows here: the appliance does
    not follow them, it holds what a DATIS set up as documented holds."""
    run = audit_cli("datis-conforme", "--format", "json")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["conforme"] is True
    settings = [c for c in report["constats"] if c["id"].startswith("reglage.")]
    assert len(settings) == len(baseline.load().rules)
    assert {c["resultat"] for c in settings} == {"conforme"}

