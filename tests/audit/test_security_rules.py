"""Security findings, exactly: open access, transport, each web user's rights in French.

A reading is taken over HTTP from the emulator, then its address or web users are changed
to the case under test and judged by the rules (checks.audit.rules.audit)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from checks.appliance.identity import Appliance
from checks.appliance.reading import ApplianceReading
from checks.audit import baseline, rules
from checks.audit.findings import Finding, Outcome, Severity
from checks.audit.run import Connection, read
from checks.emulator import Emulator
from tests.conftest import PASSWORD


@pytest.fixture
def conforming(start_emulator: Callable[..., Emulator]) -> ApplianceReading:
    return read(Appliance(start_emulator("datis-conforme").url), Connection(password=PASSWORD))


def _judged(reading: ApplianceReading, **changes: Any) -> dict[str, Finding]:
    audit = rules.audit(dataclasses.replace(reading, **changes), baseline.load())
    return {f.id: f for f in audit.findings}


def test_an_open_appliance_is_a_critical_ecart(start_emulator: Callable[..., Emulator]) -> None:
    reading = read(Appliance(start_emulator("sans-admin").url), Connection())
    assert reading.open_access is True
    found = _judged(reading)["securite.acces_ouvert"]
    assert (found.outcome, found.severity) == (Outcome.FAILED, Severity.CRITICAL)
    assert (found.expected, found.observed) == ("un compte admin protégé par mot de passe",
                                                "aucun compte : interface ouverte")
    assert found.message == (
        "Aucun compte de l'interface web n'existe : quiconque atteint l'appliance en est "
        "administrateur, peut lire le mot de passe SMTP et supprimer les sauvegardes.")
    assert found.action == ("Dans « Réglages › Utilisateurs », créer immédiatement le compte "
                            "« admin » avec le mot de passe généré à l'activation.")
    assert "securite.compte_admin" not in _judged(reading)


def test_a_protected_appliance_says_so(conforming: ApplianceReading) -> None:
    judged = _judged(conforming)
    assert "securite.acces_ouvert" not in judged
    found = judged["securite.compte_admin"]
    assert (found.outcome, found.severity, found.observed, found.message) == (
        Outcome.PASSED, Severity.INFO, "connexion authentifiée",
        "L'interface exige une authentification.")


@pytest.mark.parametrize(("url", "outcome", "severity", "observed"), [
    ("https://backup.1a2b.inspee.re", Outcome.PASSED, Severity.INFO,
     "HTTPS, certificat vérifié pour backup.1a2b.inspee.re"),
    ("http://127.0.0.1:8080", Outcome.INFO, Severity.INFO, "HTTP en local"),
    ("http://[::1]:8080", Outcome.INFO, Severity.INFO, "HTTP en local"),
    ("http://localhost:8080", Outcome.INFO, Severity.INFO, "HTTP en local"),
    ("http://backup.1a2b.inspee.re", Outcome.FAILED, Severity.MAJOR, "HTTP sans chiffrement"),
    ("http://192.168.1.10:55414", Outcome.FAILED, Severity.MAJOR, "HTTP sans chiffrement"),
])
def test_the_transport_is_judged_by_scheme_and_host(conforming: ApplianceReading, url: str,
                                                     outcome: Outcome, severity: Severity,
                                                     observed: str) -> None:
    found = _judged(conforming, url=url)["securite.https"]
    assert (found.outcome, found.severity, found.observed) == (outcome, severity, observed)
    assert found.expected == "HTTPS, certificat valide au nom de l'appliance"


def test_plain_http_to_an_appliance_says_what_to_do(conforming: ApplianceReading) -> None:
    found = _judged(conforming, url="http://backup.1a2b.inspee.re")["securite.https"]
    assert found.message == ("L'interface de backup.1a2b.inspee.re a été atteinte sans "
                             "chiffrement : le mot de passe admin circule en clair.")
    assert found.action == "Utiliser l'adresse https://backup.XXXX.inspee.re de l'appliance."
    verified = _judged(conforming, url="https://backup.1a2b.inspee.re")["securite.https"]
    assert verified.message == ("Le certificat de backup.1a2b.inspee.re est valide et "
                                "correspond au nom de l'appliance.")


@pytest.mark.parametrize(("rights", "observed"), [
    ([{"domain": "all", "right": "all"}], "administrateur"),
    ([], "aucun droit"),
    ([{"domain": "status", "right": "1"}], "états : client n° 1"),
    ([{"domain": "status", "right": "1,2"}, {"domain": "logs", "right": "none"}],
     "états : clients n° 1, 2, journaux : aucun"),
    ([{"domain": "browse_backups", "right": "all"}, {"domain": "usermod", "right": "x"}],
     "parcourir les sauvegardes : tout, gérer les utilisateurs : « x »"),
    ([{"domain": "secret_domain", "right": "all"}, "pas une table"],
     "« secret_domain » : tout"),
    ([{"domain": "all", "right": "1"}], "tout : client n° 1"),
    ([{"right": "all"}, {"domain": "logs"}], "«  » : tout, journaux : «  »"),
])
def test_each_web_user_s_rights_are_told_in_french(conforming: ApplianceReading,
                                                   rights: list[Any], observed: str) -> None:
    users = ({"name": "technicien", "rights": rights}, "pas un compte")
    found = _judged(conforming, web_users=users)["securite.utilisateur.technicien"]
    assert (found.outcome, found.severity, found.observed) == (Outcome.INFO, Severity.INFO,
                                                               observed)
    everything = observed == "administrateur"
    assert found.message == ("Compte de l'interface web « technicien » : "
                             f"{'tous les droits' if everything else 'droits ' + observed}.")
    assert found.label == "Utilisateur web « technicien »"


@pytest.mark.parametrize("user", [{"name": "x", "rights": "all"}, {"name": "x"},
                                  {"name": "x", "rights": None}])
def test_a_user_without_a_list_of_rights_has_none(conforming: ApplianceReading,
                                                  user: dict[str, Any]) -> None:
    found = _judged(conforming, web_users=(user,))
    assert found["securite.utilisateur.x"].observed == "aucun droit"


def test_an_open_appliance_whole(start_emulator: Callable[..., Emulator]) -> None:
    reading = read(Appliance(start_emulator("sans-admin").url), Connection())
    assert _judged(reading)["securite.acces_ouvert"] == Finding(
        "securite.acces_ouvert", "securite", Severity.CRITICAL, Outcome.FAILED,
        "Compte administrateur", "un compte admin protégé par mot de passe",
        "aucun compte : interface ouverte",
        "Aucun compte de l'interface web n'existe : quiconque atteint l'appliance en est "
        "administrateur, peut lire le mot de passe SMTP et supprimer les sauvegardes.",
        "Dans « Réglages › Utilisateurs », créer immédiatement le compte « admin » avec le mot "
        "de passe généré à l'activation.", "audit#securite")


def test_a_protected_appliance_whole(conforming: ApplianceReading) -> None:
    assert _judged(conforming)["securite.compte_admin"] == Finding(
        "securite.compte_admin", "securite", Severity.INFO, Outcome.PASSED,
        "Compte administrateur", "un compte admin protégé par mot de passe",
        "connexion authentifiée", "L'interface exige une authentification.",
        doc="audit#securite")


HTTPS_EXPECTED = "HTTPS, certificat valide au nom de l'appliance"


@pytest.mark.parametrize(("url", "whole"), [
    ("https://backup.1a2b.inspee.re", Finding(
        "securite.https", "securite", Severity.INFO, Outcome.PASSED, "Accès chiffré (HTTPS)",
        HTTPS_EXPECTED, "HTTPS, certificat vérifié pour backup.1a2b.inspee.re",
        "Le certificat de backup.1a2b.inspee.re est valide et correspond au nom de "
        "l'appliance.", doc="audit#securite")),
    ("http://127.0.0.1:8080", Finding(
        "securite.https", "securite", Severity.INFO, Outcome.INFO, "Accès chiffré (HTTPS)",
        HTTPS_EXPECTED, "HTTP en local",
        "Audit mené en HTTP sur la boucle locale (émulateur ou tunnel) : le chiffrement n'a "
        "pas été vérifié.", doc="audit#securite")),
    ("http://192.168.1.10:55414", Finding(
        "securite.https", "securite", Severity.MAJOR, Outcome.FAILED, "Accès chiffré (HTTPS)",
        HTTPS_EXPECTED, "HTTP sans chiffrement",
        "L'interface de 192.168.1.10 a été atteinte sans chiffrement : le mot de passe admin "
        "circule en clair.", "Utiliser l'adresse https://backup.XXXX.inspee.re de l'appliance.",
        "audit#securite")),
])
def test_the_transport_whole(conforming: ApplianceReading, url: str, whole: Finding) -> None:
    assert _judged(conforming, url=url)["securite.https"] == whole


def test_a_web_user_whole(conforming: ApplianceReading) -> None:
    """A non-account first in the list is passed over, not the end of the list."""
    users = ("pas un compte", {"name": "technicien", "rights": [{"domain": "logs",
                                                                 "right": "all"}]})
    assert _judged(conforming, web_users=users)["securite.utilisateur.technicien"] == Finding(
        "securite.utilisateur.technicien", "securite", Severity.INFO, Outcome.INFO,
        "Utilisateur web « technicien »", "", "journaux : tout",
        "Compte de l'interface web « technicien » : droits journaux : tout.",
        doc="audit#securite")


def test_a_web_user_without_a_name(conforming: ApplianceReading) -> None:
    found = _judged(conforming, web_users=({"rights": []},))["securite.utilisateur."]
    assert (found.label, found.observed) == ("Utilisateur web «  »", "aucun droit")
