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
WIDE = {"COLUMNS": "160"}
"""A terminal wide enough for a health row to take one line, whatever runs the tests."""

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
    assert by_id["sante.2.fichiers"]["observe"] == "il y a 4 jours"
    assert by_id["sante.5.fichiers"]["observe"] == "jamais"
    assert "3 problèmes" in by_id["sante.3.fichiers"]["message"]
    flagged = by_id["sante.3.fichiers"]  # on time, but UrBackup says it is not up to date
    assert (flagged["resultat"], flagged["attendu"], flagged["observe"]) == (
        "écart", "à jour selon UrBackup",
        "signalée non à jour par UrBackup (dernière il y a 4 heures)")


@pytest.mark.parametrize(("age", "said"), [
    (37 * 60 + 20, "il y a 37 minutes"),
    (4 * 3600 + 60, "il y a 4 heures"),
    (30 * 3600 + 25 * 60, "il y a 1 jour 6 heures"),
    (3 * 86400 + 5 * 3600 + 7 * 60, "il y a 3 jours"),
    (41 * 86400 + 5 * 3600 + 7 * 60, "il y a 41 jours"),
])
def test_ages_are_rounded_as_people_say_them(start_emulator: Callable[..., Emulator],
                                             age: int, said: str) -> None:
    emulator = start_emulator("datis-conforme")
    client = Client(id=9, name="PC-AGE", online=True)
    client.backups.append(Backup(id=99, clientid=9, image=False,
                                 backuptime=int(time.time()) - age, incremental=True,
                                 size_bytes=10**9))
    emulator.state.add_client(client)
    run = run_cli("--url", emulator.url, "--format", "json")
    observed = {c["id"]: c["observe"] for c in json.loads(run.stdout)["constats"]}
    assert observed["sante.9.fichiers"] == said


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


# --- a client that cannot make image backups ------------------------------------------------


def test_a_client_without_image_support_is_information_not_an_ecart(
        audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("datis-conforme", "--format", "json")
    assert run.code == 0, run.stderr
    by_id = {c["id"]: c for c in json.loads(run.stdout)["constats"]}
    image = by_id["sante.4.image"]
    assert (image["client"], image["resultat"], image["gravite"], image["observe"],
            image["action"]) == ("SRV-INTRANET", "information", "info", "Non supporté", "")
    assert "« Non supporté »" in image["message"]
    assert by_id["sante.4.fichiers"]["resultat"] == "conforme"


def test_the_terminal_shows_non_supporte_for_that_client(audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("datis-conforme", env=WIDE)
    assert run.code == 0, run.stderr
    (line,) = [line for line in run.stdout.splitlines() if "SRV-INTRANET" in line]
    assert line.split() == ["information", "Sauvegarde", "image", "—", "SRV-INTRANET", "moins",
                            "de", "14", "jours", "Non", "supporté"]


def _without_images(state_client: int, name: str, *, backed_up: bool) -> Client:
    client = Client(id=state_client, name=name, online=True, os_simple="linux",
                    client_version_string="2.5.26", image_not_supported=True)
    if backed_up:
        client.backups.append(Backup(id=100 + state_client, clientid=state_client, image=False,
                                     backuptime=int(time.time()) - 3600, incremental=True,
                                     size_bytes=10**8))
    return client


def test_such_a_client_still_needs_its_file_backups(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.add_client(_without_images(9, "SRV-NEUF", backed_up=False))
    run = run_cli("--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    report = json.loads(run.stdout)
    assert {c["id"] for c in report["constats"] if c["resultat"] == "écart"} == {
        "sante.9.fichiers"}
    by_id = {c["id"]: c for c in report["constats"]}
    assert (by_id["sante.9.fichiers"]["observe"], by_id["sante.9.image"]["observe"]) == (
        "jamais", "Non supporté")


def test_clients_without_image_support_are_grouped_under_their_own_title(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    for number in (8, 9):
        emulator.state.add_client(_without_images(number, f"SRV-LINUX-{number}", backed_up=True))
    json_run = run_cli("--url", emulator.url, "--format", "json")
    assert json_run.code == 0, json_run.stderr
    groups = {g["id"]: g for g in json.loads(json_run.stdout)["groupes"]}
    group = groups["sante.image.non_supportee"]
    assert (group["titre"], group["resultat"], group["clients"]) == (
        "3 postes dont l'agent ne permet pas la sauvegarde image", "information",
        ["SRV-INTRANET", "SRV-LINUX-8", "SRV-LINUX-9"])
    assert "sante.image.jamais" not in groups
    terminal = run_cli("--url", emulator.url, env=WIDE).stdout
    (row,) = [line for line in terminal.splitlines() if "3 postes dont" in line]
    assert row.split() == ["information", "3", "postes", "dont", "l'agent", "ne", "permet",
                           "pas", "la", "sauvegarde", "image", "moins", "de", "14", "jours",
                           "Non", "supporté"]
