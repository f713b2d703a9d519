"""Where a technician finds each setting and what to do in its field, in the screen's own words
(checks.audit.screens, read from the French interface of UrBackup 2.5.33), exactly."""

from __future__ import annotations

from typing import Any

import pytest

from checks.audit import screens

GENERAL_FILES = "Réglages › Général › Sauvegardes de fichiers"
CLIENT_FILES = "Réglages › Clients : PC-1 › Sauvegardes de fichiers"


@pytest.mark.parametrize(("key", "value", "seconds", "action"), [
    ("update_freq_incr", 18000, True, "saisir 5 (Heures) sans cocher « Désactiver »"),
    ("update_freq_incr", 5400, True, "saisir 1,5 (Heures) sans cocher « Désactiver »"),
    ("update_freq_full", 2592000, True, "saisir 30 (Jours) sans cocher « Désactiver »"),
    ("update_freq_incr", 18000, False, "saisir 18000"),
    ("mail_ssl_only", True, False, "cocher la case"),
    ("mail_check_certificate", False, False, "décocher la case"),
    ("backup_database", True, False, "cocher la case"),
    ("image_file_format", "vhdz", False,
     "choisir « VHD compressé (disque dur virtuel compressé - format propriétaire) »"),
    ("image_file_format", "autre", False, "saisir autre"),
    ("image_letters", "ALL_NONUSB", False, "saisir ALL_NONUSB"),
    ("max_file_incr", 100, False, "saisir 100"),
    ("pas_une_cle", 3, True, "saisir 3"),
    ("mail_ssl_only", 1, False, "cocher la case"),
    ("backup_database", "", False, "décocher la case"),
    ("max_file_incr", True, False, "cocher la case"),
])
def test_what_to_do_in_a_field(key: str, value: Any, seconds: bool, action: str) -> None:
    assert screens.entry(key, value, seconds=seconds) == action


@pytest.mark.parametrize(("key", "general", "client"), [
    ("update_freq_incr",
     f"« {GENERAL_FILES} › Intervalle pour la sauvegarde incrémentielle de fichiers »",
     f"« {CLIENT_FILES} › Intervalle pour la sauvegarde incrémentielle de fichiers »"),
    ("mail_servername", "« Réglages › Email › Adresse du serveur SMTP »",
     "« Réglages › Email › Adresse du serveur SMTP »"),
    ("backup_window_incr_file",
     "« Réglages › Général › Client › Créneau de sauvegarde incrémentielle de fichiers » "
     "(affiché après « Plus de détails » dans le champ « Intervalle de sauvegarde »)",
     "« Réglages › Clients : PC-1 › Client › Créneau de sauvegarde incrémentielle de "
     "fichiers »"),
    ("alert_params", "« Réglages › Général › Alertes »",
     "« Réglages › Clients : PC-1 › Alertes »"),
    ("pas_une_cle", "« Réglages »", "« Réglages »"),
])
def test_where_a_setting_is(key: str, general: str, client: str) -> None:
    assert screens.reach(key) == general
    assert screens.reach_for_client(key, "PC-1") == client


def test_a_value_is_taken_as_seconds_only_when_said() -> None:
    assert screens.entry("update_freq_incr", 18000) == "saisir 18000"


def test_a_field_as_the_screen_shows_it() -> None:
    spot = screens.field("update_freq_incr")
    assert spot is not None
    assert (spot.label, spot.path, spot.control, spot.unit, spot.disable_box) == (
        "Intervalle pour la sauvegarde incrémentielle de fichiers",
        ("Réglages", "Général", "Sauvegardes de fichiers"), "text", "Heures",
        "Désactiver")
    assert spot.client_path == ("Réglages", "Clients : <poste>", "Sauvegardes de fichiers")
    assert spot.where_for_client("SRV") == (
        "Réglages › Clients : SRV › Sauvegardes de fichiers › Intervalle pour la sauvegarde "
        "incrémentielle de fichiers")
    assert screens.field("image_file_format").options[:2] == (  # type: ignore[union-attr]
        ("vhdz", "VHD compressé (disque dur virtuel compressé - format propriétaire)"),
        ("vhd", "VHD (Disque dur virtuel)"))
    mail = screens.field("mail_servername")
    assert mail is not None
    assert (mail.client_path, mail.client_label) == (None, None)
    assert mail.where_for_client("SRV") == "Réglages › Email › Adresse du serveur SMTP"
    assert screens.field("tmpdir") is None
    assert screens.field("pas_une_cle") is None


def test_names_are_those_the_screen_shows() -> None:
    assert screens.menu("Réglages") == "Réglages"
    assert screens.settings_tab("Utilisateurs") == "Réglages › Utilisateurs"
    assert screens.status_column("En ligne") == "En ligne"
    assert screens.status_row_action("Sauvegarde image complète") == "Sauvegarde image complète"


@pytest.mark.parametrize(("lookup", "name"), [
    (screens.menu, "Paramètres"), (screens.settings_tab, "Comptes"),
    (screens.status_column, "Connecté"), (screens.status_row_action, "Sauvegarder"),
])
def test_a_name_the_screen_does_not_show_is_refused(lookup: Any, name: str) -> None:
    with pytest.raises(KeyError) as refused:
        lookup(name)
    assert refused.value.args == (name,)
