"""The baseline's findings, each field exactly: what a report says of a setting that is
conforming, in écart, absent, secret or not of its kind, and of a client's own setting.

A reading is taken over HTTP from the emulator (datis-derive), then one value is changed to
the case under test and judged by checks.audit.rules.audit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from checks.appliance.identity import Appliance
from checks.appliance.reading import ApplianceReading, Redacted
from checks.audit import baseline, rules
from checks.audit.findings import Category, Finding, Outcome, Severity
from checks.audit.run import Connection, read
from checks.emulator import Emulator
from tests.conftest import PASSWORD

SAVE = "puis cliquer « Enregistrer » ; ou lancer « datis-audit fix »."


@pytest.fixture
def derive(start_emulator: Callable[..., Emulator]) -> ApplianceReading:
    return read(Appliance(start_emulator("datis-derive").url), Connection(password=PASSWORD))


def _judged(reading: ApplianceReading) -> dict[str, Finding]:
    return {f.id: f for f in rules.audit(reading, baseline.load()).findings}


def _with_mail(reading: ApplianceReading, **mail: Any) -> dict[str, Finding]:
    changed = {k: v for k, v in {**reading.mail, **mail}.items() if v is not ...}
    return _judged(dataclasses.replace(reading, mail=changed))


def test_a_setting_in_ecart_says_what_why_and_where(derive: ApplianceReading) -> None:
    found = _judged(derive)["reglage.update_freq_incr"]
    assert found == Finding(
        id="reglage.update_freq_incr", section="plan_fichiers", severity=Severity.MAJOR,
        outcome=Outcome.FAILED, label="Intervalle des sauvegardes incrémentielles de fichiers",
        expected="au plus 5 heures", observed="12 heures",
        message=("Intervalle des sauvegardes incrémentielles de fichiers : 12 heures, attendu : "
                 "au plus 5 heures. Une sauvegarde incrémentielle au moins toutes les 5 heures "
                 "limite la perte de données."),
        action=("Dans « Réglages › Général › Sauvegardes de fichiers › Intervalle pour la "
                "sauvegarde incrémentielle de fichiers », saisir 5 (Heures) sans cocher "
                f"« Désactiver » {SAVE}"),
        doc="reglages#reglages-plan-fichiers", key="update_freq_incr")


def test_a_conforming_setting_says_so(derive: ApplianceReading) -> None:
    found = _judged(derive)["reglage.mail_servername"]
    assert (found.outcome, found.severity, found.message, found.action) == (
        Outcome.PASSED, Severity.MAJOR, "Serveur SMTP : conforme.", "")
    assert (found.expected, found.observed) == ("un nom d'hôte ou une adresse IP",
                                                "smtp.inspee.re")


def test_a_setting_the_server_does_not_give_is_an_ecart(derive: ApplianceReading) -> None:
    found = _with_mail(derive, mail_from=...)["reglage.mail_from"]
    assert (found.outcome, found.observed) == (Outcome.FAILED, "(absent)")
    assert found.message == ("Adresse d'expédition : réglage absent des réponses du serveur. "
                             + baseline.load().rules["mail_from"].reason)


@pytest.mark.parametrize(("key", "value", "why"), [
    ("mail_servername", "smtp inspee", "ni un nom d'hôte ni une adresse IP"),
    ("mail_from", "pas-une-adresse", "pas une adresse e-mail"),
    ("mail_admin_addrs", "a@b.fr;c", "pas une liste d'adresses e-mail"),
    ("mail_serverport", "vingt-cinq", "valeur illisible"),
])
def test_a_value_not_of_its_kind_says_so(derive: ApplianceReading, key: str, value: str,
                                         why: str) -> None:
    found = _with_mail(derive, **{key: value})[f"reglage.{key}"]
    assert found.outcome is Outcome.FAILED
    rule = baseline.load().rules[key]
    assert found.message == (f"{rule.setting.label} : {value} ({why}), attendu : "
                             f"{rule.expected_text()}. {rule.reason}")


def test_an_empty_value_is_no_kind_at_all(derive: ApplianceReading) -> None:
    found = _with_mail(derive, mail_from="")["reglage.mail_from"]
    assert found.message.startswith("Adresse d'expédition : (vide), attendu : une adresse "
                                    "e-mail. ")


@pytest.mark.parametrize(("value", "observed", "outcome"), [
    ("", "(secret) non renseigné", Outcome.FAILED),
    ("mot-de-passe", "(secret) renseigné", Outcome.PASSED),
    (Redacted(True), "(secret) renseigné", Outcome.PASSED),
    (Redacted(False), "(secret) non renseigné", Outcome.FAILED),
])
def test_a_secret_only_says_whether_it_is_set(derive: ApplianceReading, value: Any,
                                              observed: str, outcome: Outcome) -> None:
    found = _with_mail(derive, mail_password=value)["reglage.mail_password"]
    assert (found.outcome, found.observed) == (outcome, observed)
    assert "mot-de-passe" not in found.message + found.observed
    if outcome is Outcome.FAILED:
        assert found.action == ("Dans « Réglages › Email › Mot de passe », saisir le secret "
                                "(jamais affiché) puis cliquer « Enregistrer » ; ou lancer "
                                "« datis-audit fix », qui le demande.")


def test_a_hidden_field_says_how_to_show_it(derive: ApplianceReading) -> None:
    general = {**derive.general, "backup_window_incr_file": {"value": "1-5/8-18"}}
    found = _judged(dataclasses.replace(derive, general=general))[
        "reglage.backup_window_incr_file"]
    assert (found.observed, found.expected) == ("du lundi au vendredi, de 8 h à 18 h",
                                                "tous les jours, à toute heure")
    assert found.action == (
        "Dans « Réglages › Général › Client › Créneau de sauvegarde incrémentielle de "
        "fichiers » (affiché après « Plus de détails » dans le champ « Intervalle de "
        f"sauvegarde »), saisir 1-7/0-24 {SAVE}")


def test_each_gravity_of_the_baseline_is_kept(derive: ApplianceReading) -> None:
    general = {**derive.general, "no_images": True}
    judged = _judged(dataclasses.replace(derive, general=general))
    assert judged["reglage.no_images"].severity is Severity.CRITICAL
    assert judged["reglage.max_file_full"].severity is Severity.MINOR
    assert judged["reglage.update_freq_incr"].severity is Severity.MAJOR


def test_a_client_s_own_setting_in_ecart(derive: ApplianceReading) -> None:
    judged = _judged(derive)
    interface = judged["client.2.update_freq_incr"]
    assert interface == Finding(
        id="client.2.update_freq_incr", section="plan_fichiers", severity=Severity.MAJOR,
        outcome=Outcome.FAILED,
        label="Intervalle des sauvegardes incrémentielles de fichiers — SRV-COMPTA",
        expected="au plus 5 heures", observed="1 jour",
        message=("Le client « SRV-COMPTA » a son propre réglage « Intervalle des sauvegardes "
                 "incrémentielles de fichiers » (défini pour ce client dans l'interface) : "
                 "1 jour, attendu : au plus 5 heures."),
        action=("Dans « Réglages › Clients : SRV-COMPTA › Sauvegardes de fichiers › Intervalle "
                "pour la sauvegarde incrémentielle de fichiers », remettre le bouton à droite "
                "du champ sur le cadenas (bulle « Using setting from group ») "
                f"{SAVE}"),
        doc="reglages#reglages-plan-fichiers", key="update_freq_incr", client="SRV-COMPTA",
        category=Category("client.update_freq_incr", "postes ayant leur propre réglage "
                          "« Intervalle des sauvegardes incrémentielles de fichiers »"))
    agent = judged["client.2.max_file_incr"]
    assert (agent.severity, agent.observed, agent.expected) == (Severity.MINOR, "20", "100")
    assert agent.message == ("Le client « SRV-COMPTA » a son propre réglage « Nombre maximal de "
                             "sauvegardes incrémentielles de fichiers conservées » (imposé "
                             "depuis l'agent du poste) : 20, attendu : 100.")


def test_an_audit_says_what_it_audited(derive: ApplianceReading) -> None:
    audit = rules.audit(derive, baseline.load(), rules.AuditOptions(docs_url="https://d.fr"))
    assert (audit.url, audit.identifier, audit.date, audit.server_version) == (
        derive.url, None, derive.taken_at, "2.5.33")
    assert (audit.server_identity, audit.docs_url, audit.request_count) == (
        derive.server_identity, "https://d.fr", derive.request_count)
    loaded = baseline.load()
    assert (audit.baseline_path, audit.baseline_digest) == (loaded.path, loaded.digest)
    assert [s.id for s in audit.sections] == [*loaded.sections, "securite", "sante"]
    assert audit.sections[0].doc == f"reglages#{loaded.sections['messagerie'].doc}"


@pytest.mark.parametrize(("value", "observed"), [("", "(vide)"), (None, "(absent)")])
def test_a_number_left_empty_is_not_called_unreadable(derive: ApplianceReading, value: Any,
                                                      observed: str) -> None:
    found = _with_mail(derive, mail_serverport=value)["reglage.mail_serverport"]
    assert found.message == (f"Port SMTP : {observed}, attendu : parmi 465, 587. Les ports 465 "
                             "et 587 sont ceux des envois authentifiés et chiffrés.")
