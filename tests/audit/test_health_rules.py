"""Backup health at its boundaries: a reading taken over HTTP from the emulator, judged by the
rules at chosen moments (AuditOptions.now), so that « late », « offline » and « old version »
are tested exactly where they start."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from checks.appliance.identity import Appliance
from checks.appliance.model import ClientSetting, Use
from checks.appliance.reading import ApplianceReading
from checks.audit import baseline, rules
from checks.audit.findings import Category, Finding, Outcome, Severity
from checks.audit.run import Connection, read
from checks.emulator import Emulator
from tests.conftest import PASSWORD

HOUR, DAY = 3600, 86400


@pytest.fixture
def late(start_emulator: Callable[..., Emulator]) -> ApplianceReading:
    """sauvegardes-en-retard, read once: PC-ACCUEIL (1) saved 2 h ago, the plan is 5 h."""
    return read(Appliance(start_emulator("sauvegardes-en-retard").url),
                Connection(password=PASSWORD))


def _status(reading: ApplianceReading, clientid: int) -> Any:
    return next(c.status for c in reading.clients if c.id == clientid)


def _judged(reading: ApplianceReading, now: float, tolerance: float = 2.0) -> dict[str, Finding]:
    audit = rules.audit(reading, baseline.load(), rules.AuditOptions(tolerance=tolerance, now=now))
    return {f.id: f for f in audit.findings}


def test_a_backup_is_late_only_past_tolerance_intervals(late: ApplianceReading) -> None:
    last = _status(late, 1)["lastbackup"]
    on_time = _judged(late, last + 2 * 5 * HOUR)["sante.1.fichiers"]
    assert (on_time.outcome, on_time.severity, on_time.observed) == (
        Outcome.PASSED, Severity.INFO, "il y a 10 heures")
    assert on_time.expected == "moins de 10 heures"
    assert on_time.message == "« PC-ACCUEIL » : sauvegarde de fichiers à jour."
    overdue = _judged(late, last + 2 * 5 * HOUR + 1)["sante.1.fichiers"]
    assert (overdue.outcome, overdue.severity) == (Outcome.FAILED, Severity.MAJOR)
    assert overdue.message == ("« PC-ACCUEIL » : dernière sauvegarde de fichiers il y a "
                               "10 heures, au-delà de 2 intervalles.")
    assert overdue.category is not None
    assert overdue.category.id == "sante.fichiers.retard"
    assert overdue.category.title == "postes dont la sauvegarde de fichiers est en retard"


def test_the_tolerance_is_a_number_of_intervals(late: ApplianceReading) -> None:
    last = _status(late, 1)["lastbackup"]
    judged = _judged(late, last + 12 * HOUR, tolerance=2.5)["sante.1.fichiers"]
    assert judged.expected == "moins de 12 heures 30 minutes"
    assert judged.outcome is Outcome.PASSED
    judged = _judged(late, last + 13 * HOUR, tolerance=2.5)["sante.1.fichiers"]
    assert judged.message == ("« PC-ACCUEIL » : dernière sauvegarde de fichiers il y a "
                              "13 heures, au-delà de 2,5 intervalles.")
    judged = _judged(late, last + 8 * HOUR, tolerance=1.5)["sante.1.fichiers"]
    assert judged.message == ("« PC-ACCUEIL » : dernière sauvegarde de fichiers il y a "
                              "8 heures, au-delà de 1,5 intervalle.")


@pytest.mark.parametrize(("age", "shown"), [
    (0, "il y a 0 seconde"), (-30, "il y a 0 seconde"), (59, "il y a 59 secondes"),
    (60, "il y a une minute"), (89, "il y a une minute"), (90, "il y a 2 minutes"),
    (DAY + 2 * HOUR + 20, "il y a 1 jour 2 heures"),
])
def test_ages_are_shown_to_the_minute(late: ApplianceReading, age: int, shown: str) -> None:
    last = _status(late, 1)["lastbackup"]
    assert _judged(late, last + age)["sante.1.fichiers"].observed == shown


def test_an_image_backup_is_judged_on_the_image_plan(late: ApplianceReading) -> None:
    """PC-ACCUEIL's image is 3 days old, the image plan 7 days: late past 14 days."""
    last = _status(late, 1)["lastbackup_image"]
    on_time = _judged(late, last + 14 * DAY)["sante.1.image"]
    assert (on_time.outcome, on_time.expected) == (Outcome.PASSED, "moins de 14 jours")
    overdue = _judged(late, last + 14 * DAY + 1)["sante.1.image"]
    assert overdue.outcome is Outcome.FAILED
    assert overdue.message == ("« PC-ACCUEIL » : dernière sauvegarde image il y a 14 jours, "
                               "au-delà de 2 intervalles.")
    assert overdue.action == (
        "Dans « Journaux », lire les journaux de « PC-ACCUEIL », puis relancer « Sauvegarde "
        "image incrémentielle » depuis le menu de sa ligne dans « Etats ».")


def test_a_client_is_offline_from_seven_days_unseen(late: ApplianceReading) -> None:
    """PORTABLE-COMMERCIAL (4) is offline: a finding once it has not been seen for 7 days."""
    seen = _status(late, 4)["lastseen"]
    assert "sante.4.hors_ligne" not in _judged(late, seen + 7 * DAY - 1)
    offline = _judged(late, seen + 7 * DAY)["sante.4.hors_ligne"]
    assert (offline.outcome, offline.severity) == (Outcome.FAILED, Severity.MINOR)
    assert (offline.expected, offline.observed) == ("vu dans les 7 derniers jours",
                                                    "hors ligne depuis 7 jours")
    assert offline.message == ("« PORTABLE-COMMERCIAL » est hors ligne depuis 7 jours : il "
                               "n'est plus sauvegardé.")


def test_an_online_client_is_never_offline(late: ApplianceReading) -> None:
    """PC-DIRECTION (2) was seen 5 minutes ago and is online: no finding a year later."""
    seen = _status(late, 2)["lastseen"]
    assert "sante.2.hors_ligne" not in _judged(late, seen + 365 * DAY)


def test_a_client_never_seen_is_offline(late: ApplianceReading) -> None:
    clients = tuple(dataclasses.replace(c, status={**c.status, "lastseen": 0})
                    if c.id == 4 else c for c in late.clients)
    judged = _judged(dataclasses.replace(late, clients=clients), 10**9)
    assert judged["sante.4.hors_ligne"].observed == "hors ligne jamais vu"


@pytest.mark.parametrize(("version", "outcome", "severity"), [
    ("2.5.0", Outcome.PASSED, Severity.INFO), ("2.5.33", Outcome.PASSED, Severity.INFO),
    ("3.0.1", Outcome.PASSED, Severity.INFO), ("2.4.12", Outcome.FAILED, Severity.MAJOR),
    ("1.9.9", Outcome.FAILED, Severity.MAJOR),
])
def test_a_server_older_than_2_5_is_an_ecart(late: ApplianceReading, version: str,
                                            outcome: Outcome, severity: Severity) -> None:
    found = _judged(dataclasses.replace(late, version=version), 0)["sante.version"]
    assert (found.outcome, found.severity, found.observed) == (outcome, severity, version)
    assert found.message == f"UrBackup {version} est installé."
    assert found.action == ("Mettre à jour le serveur UrBackup."
                            if outcome is Outcome.FAILED else "")


@pytest.mark.parametrize("version", [None, "", "2.5.x"])
def test_a_server_version_that_cannot_be_read_is_a_minor_ecart(late: ApplianceReading,
                                                               version: str | None) -> None:
    found = _judged(dataclasses.replace(late, version=version), 0)["sante.version"]
    assert (found.outcome, found.severity, found.observed) == (Outcome.FAILED, Severity.MINOR,
                                                               "inconnue")
    assert found.message == "La version installée n'a pas pu être lue (/js/urbackup.js)."


@pytest.mark.parametrize(("flag", "observed", "message"), [
    ("nospc_stalled", "stockage saturé, sauvegardes bloquées",
     "Stockage saturé : des sauvegardes sont bloquées faute de place."),
    ("nospc_fatal", "stockage saturé, sauvegardes en échec",
     "Stockage saturé : des sauvegardes ont échoué faute de place."),
    ("database_error", "base de données en erreur",
     "La base de données du serveur UrBackup est en erreur."),
])
def test_each_server_alert_is_a_critical_ecart(late: ApplianceReading, flag: str,
                                               observed: str, message: str) -> None:
    judged = _judged(dataclasses.replace(late, status={"status": [], flag: True}), 0)
    found = judged[f"sante.{flag}"]
    assert (found.outcome, found.severity) == (Outcome.FAILED, Severity.CRITICAL)
    assert (found.observed, found.message) == (observed, message)
    assert "sante.stockage" not in judged


def test_without_alert_storage_is_compliant(late: ApplianceReading) -> None:
    judged = _judged(dataclasses.replace(late, status={"status": [], "nospc_fatal": False}), 0)
    found = judged["sante.stockage"]
    assert (found.outcome, found.severity, found.observed) == (Outcome.PASSED, Severity.INFO,
                                                               "aucune alerte")
    assert not [key for key in judged if key.startswith("sante.nospc")]


@pytest.mark.parametrize(("switch", "gone"), [("no_file_backups", ".fichiers"),
                                              ("no_images", ".image")])
def test_switched_off_backups_are_not_judged_per_client(
        late: ApplianceReading, switch: str, gone: str) -> None:
    """The switch itself is the écart (a baseline rule): its backups are not late too."""
    general = {**late.general, switch: True}
    judged = _judged(dataclasses.replace(late, general=general), 0)
    assert not [key for key in judged if key.startswith("sante.") and key.endswith(gone)]
    assert judged[f"reglage.{switch}"].outcome is Outcome.FAILED
    kept = ".image" if gone == ".fichiers" else ".fichiers"
    assert len([key for key in judged if key.endswith(kept)]) == 5


def _category(finding: Finding) -> tuple[str, str]:
    assert finding.category is not None
    return finding.category.id, finding.category.title


def test_each_state_of_a_backup_has_its_words_and_group(late: ApplianceReading) -> None:
    judged = _judged(late, _status(late, 1)["lastbackup"] + HOUR)
    assert _category(judged["sante.1.fichiers"]) == ("sante.fichiers.a_jour",
                                                     "postes sauvegardés à temps (fichiers)")
    assert _category(judged["sante.1.image"]) == ("sante.image.a_jour",
                                                  "postes sauvegardés à temps (image)")
    flagged = judged["sante.3.fichiers"]  # PC-ATELIER: UrBackup says it is not up to date
    assert (flagged.outcome, flagged.severity, flagged.observed) == (
        Outcome.FAILED, Severity.MAJOR,
        "signalée non à jour par UrBackup (dernière il y a 3 heures)")
    assert flagged.message == ("« PC-ATELIER » : UrBackup signale la sauvegarde de fichiers "
                               "comme non à jour (3 problèmes à la dernière sauvegarde).")
    assert _category(flagged) == ("sante.fichiers.signalee",
                                  "postes dont la sauvegarde de fichiers est signalée non à jour")
    assert judged["sante.3.image"].message == "« PC-ATELIER » : sauvegarde image à jour."
    never = judged["sante.5.fichiers"]  # PC-NOUVEAU: no backup at all
    assert (never.outcome, never.severity, never.observed) == (Outcome.FAILED, Severity.MAJOR,
                                                               "jamais")
    assert never.message == "« PC-NOUVEAU » n'a jamais eu de sauvegarde de fichiers."
    assert never.action == (
        "Dans « Etats », vérifier que « PC-NOUVEAU » est « En ligne » (agent UrBackup installé "
        "et connecté), puis lancer « Sauvegarde de fichiers complète » depuis le menu de sa "
        "ligne.")
    assert _category(never) == ("sante.fichiers.jamais", "postes jamais sauvegardés (fichiers)")
    assert _category(judged["sante.5.image"]) == ("sante.image.jamais",
                                                  "postes jamais sauvegardés (image)")
    late_image = _judged(late, _status(late, 1)["lastbackup_image"] + 15 * DAY)["sante.1.image"]
    assert _category(late_image) == ("sante.image.retard",
                                     "postes dont la sauvegarde image est en retard")


def _client_status(reading: ApplianceReading, clientid: int,
                   **status: Any) -> ApplianceReading:
    clients = tuple(dataclasses.replace(c, status={**c.status, **status}) if c.id == clientid
                    else c for c in reading.clients)
    return dataclasses.replace(reading, clients=clients)


def test_one_problem_is_said_in_the_singular(late: ApplianceReading) -> None:
    reading = _client_status(late, 1, last_filebackup_issues=1)
    judged = _judged(reading, _status(late, 1)["lastbackup"] + HOUR)
    assert judged["sante.1.fichiers"].message == (
        "« PC-ACCUEIL » : sauvegarde de fichiers à jour (un problème à la dernière sauvegarde).")
    assert judged["sante.1.image"].message == "« PC-ACCUEIL » : sauvegarde image à jour."


def test_a_flag_unknown_to_the_server_is_not_a_failure(late: ApplianceReading) -> None:
    reading = _client_status(late, 3, file_ok=None, online=None)
    judged = _judged(reading, _status(late, 3)["lastbackup"] + HOUR)
    assert judged["sante.3.fichiers"].outcome is Outcome.PASSED
    assert "sante.3.hors_ligne" not in judged


def test_an_unreadable_interval_makes_no_backup_late(late: ApplianceReading) -> None:
    """PC-ACCUEIL's own interval cannot be read: nothing to measure its backup against."""
    client = next(c for c in late.clients if c.id == 1)
    assert client.settings is not None
    own = {**client.settings.settings,
           "update_freq_incr": ClientSetting("update_freq_incr", Use.OWN, "bientôt")}
    settings = dataclasses.replace(client.settings, settings=own)
    clients = tuple(dataclasses.replace(c, settings=settings) if c.id == 1 else c
                    for c in late.clients)
    reading = dataclasses.replace(late, clients=clients)
    found = _judged(reading, _status(late, 1)["lastbackup"] + 30 * DAY)["sante.1.fichiers"]
    assert (found.outcome, found.expected) == (Outcome.PASSED, "récente")
    found = _judged(late, _status(late, 1)["lastbackup"] + 30 * DAY)["sante.1.fichiers"]
    assert (found.outcome, found.expected) == (Outcome.FAILED, "moins de 10 heures")


def test_an_unreadable_switch_leaves_the_backups_judged(late: ApplianceReading) -> None:
    general = {**late.general, "no_file_backups": "peut-être"}
    judged = _judged(dataclasses.replace(late, general=general), 0)
    assert judged["reglage.no_file_backups"].outcome is Outcome.FAILED
    assert len([key for key in judged if key.endswith(".fichiers")]) == 5


def test_without_its_own_settings_a_client_follows_the_server_s_plan(
        late: ApplianceReading) -> None:
    """PC-ACCUEIL's settings could not be read: its backups are judged on the global plan."""
    clients = tuple(dataclasses.replace(c, settings=None) if c.id == 1 else c
                    for c in late.clients)
    reading = dataclasses.replace(late, clients=clients)
    found = _judged(reading, _status(late, 1)["lastbackup"] + HOUR)["sante.1.fichiers"]
    assert (found.outcome, found.expected) == (Outcome.PASSED, "moins de 10 heures")


def test_a_late_file_backup_whole(late: ApplianceReading) -> None:
    found = _judged(late, _status(late, 1)["lastbackup"] + 11 * HOUR)["sante.1.fichiers"]
    assert found == Finding(
        "sante.1.fichiers", "sante", Severity.MAJOR, Outcome.FAILED,
        "Sauvegarde de fichiers — PC-ACCUEIL", "moins de 10 heures", "il y a 11 heures",
        "« PC-ACCUEIL » : dernière sauvegarde de fichiers il y a 11 heures, au-delà de 2 "
        "intervalles.",
        "Dans « Journaux », lire les journaux de « PC-ACCUEIL », puis relancer « Sauvegarde de "
        "fichiers incrémentielle » depuis le menu de sa ligne dans « Etats ».",
        "audit#sante", client="PC-ACCUEIL",
        category=Category("sante.fichiers.retard",
                          "postes dont la sauvegarde de fichiers est en retard"),
        backup_time=_status(late, 1)["lastbackup"])


def test_an_image_backup_the_server_flags_whole(late: ApplianceReading) -> None:
    reading = _client_status(late, 1, image_ok=False)
    found = _judged(reading, _status(late, 1)["lastbackup_image"] + HOUR)["sante.1.image"]
    assert found == Finding(
        "sante.1.image", "sante", Severity.MAJOR, Outcome.FAILED,
        "Sauvegarde image — PC-ACCUEIL", "à jour selon UrBackup",
        "signalée non à jour par UrBackup (dernière il y a une heure)",
        "« PC-ACCUEIL » : UrBackup signale la sauvegarde image comme non à jour.",
        "Dans « Journaux », lire les journaux de « PC-ACCUEIL », puis relancer « Sauvegarde "
        "image incrémentielle » depuis le menu de sa ligne dans « Etats ».",
        "audit#sante", client="PC-ACCUEIL",
        category=Category("sante.image.signalee",
                          "postes dont la sauvegarde image est signalée non à jour"),
        backup_time=_status(late, 1)["lastbackup_image"])
    assert _judged(reading, 0)["sante.1.fichiers"].outcome is Outcome.PASSED


def test_an_image_never_made_says_to_start_a_full_image(late: ApplianceReading) -> None:
    found = _judged(late, 0)["sante.5.image"]
    assert (found.label, found.doc) == ("Sauvegarde image — PC-NOUVEAU", "audit#sante")
    assert found.message == "« PC-NOUVEAU » n'a jamais eu de sauvegarde image."
    assert found.action == (
        "Dans « Etats », vérifier que « PC-NOUVEAU » est « En ligne » (agent UrBackup installé "
        "et connecté), puis lancer « Sauvegarde image complète » depuis le menu de sa ligne.")


def _own_interval(reading: ApplianceReading, seconds: int) -> ApplianceReading:
    """PC-ACCUEIL with its own file backup interval."""
    client = next(c for c in reading.clients if c.id == 1)
    assert client.settings is not None
    own = {**client.settings.settings,
           "update_freq_incr": ClientSetting("update_freq_incr", Use.OWN, str(seconds))}
    settings = dataclasses.replace(client.settings, settings=own)
    return dataclasses.replace(reading, clients=tuple(
        dataclasses.replace(c, settings=settings) if c.id == 1 else c for c in reading.clients))


@pytest.mark.parametrize(("seconds", "age", "outcome", "expected"), [
    (0, DAY, Outcome.PASSED, "récente"),          # 0: no plan to measure against
    (1, 2, Outcome.PASSED, "moins de 2 secondes"),
    (1, 3, Outcome.FAILED, "moins de 2 secondes"),
    (-18000, DAY, Outcome.PASSED, "récente"),     # switched off: the rule says so, not health
])
def test_the_smallest_intervals(late: ApplianceReading, seconds: int, age: int,
                                outcome: Outcome, expected: str) -> None:
    reading = _own_interval(late, seconds)
    found = _judged(reading, _status(late, 1)["lastbackup"] + age)["sante.1.fichiers"]
    assert (found.outcome, found.expected) == (outcome, expected)


def test_an_offline_client_whole(late: ApplianceReading) -> None:
    found = _judged(late, _status(late, 4)["lastseen"] + 20 * DAY)["sante.4.hors_ligne"]
    assert found == Finding(
        "sante.4.hors_ligne", "sante", Severity.MINOR, Outcome.FAILED,
        "Connexion — PORTABLE-COMMERCIAL", "vu dans les 7 derniers jours",
        "hors ligne depuis 20 jours",
        "« PORTABLE-COMMERCIAL » est hors ligne depuis 20 jours : il n'est plus sauvegardé.",
        "Vérifier que « PORTABLE-COMMERCIAL » est allumé et que son agent UrBackup tourne "
        "(colonne « En ligne » de « Etats »).",
        "audit#sante", client="PORTABLE-COMMERCIAL",
        category=Category("sante.hors_ligne", "postes hors ligne depuis plus de 7 jours"))


def test_storage_without_alert_whole(late: ApplianceReading) -> None:
    found = _judged(dataclasses.replace(late, status={"status": []}), 0)["sante.stockage"]
    assert found == Finding(
        "sante.stockage", "sante", Severity.INFO, Outcome.PASSED, "Stockage et base de données",
        "aucune alerte", "aucune alerte", "Ni saturation du stockage ni erreur de base de données.",
        doc="audit#sante")


def test_a_storage_alert_whole(late: ApplianceReading) -> None:
    judged = _judged(dataclasses.replace(late, status={"status": [], "nospc_fatal": True}), 0)
    assert judged["sante.nospc_fatal"] == Finding(
        "sante.nospc_fatal", "sante", Severity.CRITICAL, Outcome.FAILED,
        "Stockage et base de données", "aucune alerte", "stockage saturé, sauvegardes en échec",
        "Stockage saturé : des sauvegardes ont échoué faute de place.",
        "Libérer de l'espace ou contacter le support (support@inspeere.com).", "audit#sante")


@pytest.mark.parametrize(("version", "severity", "outcome", "message", "action"), [
    ("2.5.33", Severity.INFO, Outcome.PASSED, "UrBackup 2.5.33 est installé.", ""),
    ("2.4.12", Severity.MAJOR, Outcome.FAILED, "UrBackup 2.4.12 est installé.",
     "Mettre à jour le serveur UrBackup."),
    ("2.x", Severity.MINOR, Outcome.FAILED,
     "La version installée n'a pas pu être lue (/js/urbackup.js).", ""),
])
def test_the_server_version_whole(late: ApplianceReading, version: str, severity: Severity,
                                  outcome: Outcome, message: str, action: str) -> None:
    found = _judged(dataclasses.replace(late, version=version), 0)["sante.version"]
    observed = "inconnue" if severity is Severity.MINOR else version
    assert found == Finding("sante.version", "sante", severity, outcome,
                            "Version du serveur UrBackup", "2.5 ou plus récente", observed,
                            message, action, "audit#sante")


def test_an_image_the_agent_cannot_make_whole(late: ApplianceReading) -> None:
    """Information, whatever the age of an earlier image: UrBackup shows « Non supporté »."""
    reading = _client_status(late, 1, image_not_supported=True)
    found = _judged(reading, _status(late, 1)["lastbackup_image"] + 30 * DAY)["sante.1.image"]
    assert found == Finding(
        "sante.1.image", "sante", Severity.INFO, Outcome.INFO, "Sauvegarde image — PC-ACCUEIL",
        "moins de 14 jours", "Non supporté",
        "« PC-ACCUEIL » ne peut pas faire de sauvegarde image (son agent ne le permet pas) : "
        "UrBackup affiche « Non supporté » dans la colonne « Dernière Sauvegarde Image » de "
        "« Etats ». Seules ses sauvegardes de fichiers le protègent.",
        "", "audit#sante", client="PC-ACCUEIL",
        category=Category("sante.image.non_supportee",
                          "postes dont l'agent ne permet pas la sauvegarde image"))


def test_a_backup_on_time_whole(late: ApplianceReading) -> None:
    last = _status(late, 1)["lastbackup"]
    assert _judged(late, last + HOUR)["sante.1.fichiers"] == Finding(
        "sante.1.fichiers", "sante", Severity.INFO, Outcome.PASSED,
        "Sauvegarde de fichiers — PC-ACCUEIL", "moins de 10 heures", "il y a une heure",
        "« PC-ACCUEIL » : sauvegarde de fichiers à jour.", "", "audit#sante",
        client="PC-ACCUEIL",
        category=Category("sante.fichiers.a_jour", "postes sauvegardés à temps (fichiers)"),
        backup_time=last)


def test_a_backup_never_made_whole(late: ApplianceReading) -> None:
    assert _judged(late, 0)["sante.5.fichiers"] == Finding(
        "sante.5.fichiers", "sante", Severity.MAJOR, Outcome.FAILED,
        "Sauvegarde de fichiers — PC-NOUVEAU", "moins de 10 heures", "jamais",
        "« PC-NOUVEAU » n'a jamais eu de sauvegarde de fichiers.",
        "Dans « Etats », vérifier que « PC-NOUVEAU » est « En ligne » (agent UrBackup installé "
        "et connecté), puis lancer « Sauvegarde de fichiers complète » depuis le menu de sa "
        "ligne.", "audit#sante", client="PC-NOUVEAU",
        category=Category("sante.fichiers.jamais", "postes jamais sauvegardés (fichiers)"))


def test_a_threshold_is_said_to_the_nearest_minute(late: ApplianceReading) -> None:
    """An interval of an hour and a second, twice: « 2 heures », not « 2 heures 2 secondes »."""
    reading = _own_interval(late, HOUR + 1)
    found = _judged(reading, _status(late, 1)["lastbackup"] + HOUR)["sante.1.fichiers"]
    assert found.expected == "moins de 2 heures"


def test_any_positive_time_is_a_date(late: ApplianceReading) -> None:
    """UrBackup says « never » with 0: a time of 1 (1970-01-01 00:00:01) is a date all the same."""
    reading = _client_status(late, 1, lastbackup=1)
    found = _judged(reading, 1 + HOUR)["sante.1.fichiers"]
    assert (found.outcome, found.observed, found.backup_time) == (Outcome.PASSED,
                                                                 "il y a une heure", 1)
