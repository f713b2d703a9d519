"""`datis-audit undocumented`: a tab's settings the baseline leaves out, with their values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from checks.audit.baseline import default_path
from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.sphinxext.conftest import SECRET


def without(*keys: str) -> str:
    """The repository's baseline with the entries of `keys` left out."""
    text = default_path().read_text("utf-8")
    for key in keys:
        text, found = re.subn(rf"\n\[reglages\.{key}\]\n(?:[^\[\n][^\n]*\n|\n(?!\[))*", "\n",
                              text)
        assert found == 1, key
    return text


def test_the_alerts_tab_with_urbackup_defaults() -> None:
    run = run_cli("undocumented", "alertes")
    assert run.code == 0, run.stderr
    assert run.stdout == (
        "Onglet « Alertes » : 2 réglages non documentés\n"
        "- alert_params : « Paramètres du script d'alerte » (Réglages › Général › Alertes)\n"
        "  valeur : non renseigné\n"
        "- alert_script : « Script d'alerte » (Réglages › Général › Alertes)\n"
        "  valeur : 1\n"
        "Valeurs : valeurs par défaut d'UrBackup 2.5 (ni appliance ni instantané lu).\n")


def test_a_secret_shows_only_whether_it_is_set(
        tmp_path: Path, start_emulator: Callable[..., Emulator]) -> None:
    baseline = tmp_path / "referentiel.toml"
    baseline.write_text(without("mail_password", "mail_ssl_only"), "utf-8")
    emulator = start_emulator("datis-conforme")
    run = run_cli("undocumented", "Email", "--url", emulator.url, "--baseline", str(baseline))
    assert run.code == 0, run.stderr
    assert run.stdout == (
        "Onglet « Email » : 3 réglages non documentés\n"
        "- mail_password : « Mot de passe » (Réglages › Email)\n"
        "  valeur : renseigné\n"
        "- mail_ssl_only : « N'envoyer qu'avec SSL/TLS » (Réglages › Email)\n"
        "  valeur : oui\n"
        "- mail_use_smtps : « Utiliser le SMTPS (SMTP avec chiffrement SSL) au lieu du SMTP "
        "(avec STARTTLS) » (Réglages › Email)\n"
        "  valeur : non\n"
        f"Valeurs : appliance {emulator.url}, lue maintenant.\n")
    assert SECRET not in run.stdout + run.stderr
    # The list shows global values: no client's own settings are read for it.
    assert emulator.served("clientsettings") == 0


def test_values_from_a_snapshot(tmp_path: Path,
                                start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    taken = run_cli("snapshot", "--url", emulator.url, "--output", str(tmp_path / "s.json"))
    assert taken.code == 0, taken.stderr
    run = run_cli("undocumented", "Archive", "--snapshot", str(tmp_path / "s.json"))
    assert run.code == 0, run.stderr
    today = datetime.now().astimezone().strftime("%d/%m/%Y")
    assert run.stdout.splitlines()[0] == "Onglet « Archive » : 1 réglage non documenté"
    assert run.stdout.splitlines()[-1] == f"Valeurs : instantané du {today} ({emulator.url})."


def test_an_unknown_tab_names_the_tabs() -> None:
    run = run_cli("undocumented", "Sauvegardes")
    assert run.code == 3
    assert run.stderr == (
        "datis-audit : erreur : Onglet inconnu « Sauvegardes » (onglets : Serveur, Sauvegardes "
        "de fichiers, Sauvegarde de volume, Droits, Client, Archive, Alertes, Local/passive "
        "clients, Internet/active clients, Avancée, Email, Annuaire LDAP/AD, Hors écran).\n")
