"""`datis-audit undocumented`: a tab's settings the baseline leaves out, with their values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

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
        "Onglet «\u00a0Alertes\u00a0»\u00a0: 2 réglages non documentés\n"
        "- alert_params\u00a0: «\u00a0Paramètres du script d'alerte\u00a0» (Réglages › Général › "
        "Alertes)\n"
        "  valeur\u00a0: non renseigné\n"
        "- alert_script\u00a0: «\u00a0Script d'alerte\u00a0» (Réglages › Général › Alertes)\n"
        "  valeur\u00a0: 1\n"
        "Valeurs\u00a0: valeurs par défaut d'UrBackup 2.5 (ni appliance ni instantané lu).\n")


def test_a_secret_shows_only_whether_it_is_set(
        tmp_path: Path, start_emulator: Callable[..., Emulator]) -> None:
    baseline = tmp_path / "referentiel.toml"
    baseline.write_text(without("mail_password", "mail_ssl_only"), "utf-8")
    emulator = start_emulator("datis-conforme")
    run = run_cli("undocumented", "Email", "--url", emulator.url, "--baseline", str(baseline))
    assert run.code == 0, run.stderr
    assert run.stdout == (
        "Onglet «\u00a0Email\u00a0»\u00a0: 3 réglages non documentés\n"
        "- mail_password\u00a0: «\u00a0Mot de passe\u00a0» (Réglages › Email)\n"
        "  valeur\u00a0: renseigné\n"
        "- mail_ssl_only\u00a0: «\u00a0N'envoyer qu'avec SSL/TLS\u00a0» (Réglages › Email)\n"
        "  valeur\u00a0: oui\n"
        "- mail_use_smtps\u00a0: «\u00a0Utiliser le SMTPS (SMTP avec chiffrement SSL) au lieu du "
        "SMTP "
        "(avec STARTTLS)\u00a0» (Réglages › Email)\n"
        "  valeur\u00a0: non\n"
        f"Valeurs\u00a0: appliance {emulator.url}, lue maintenant.\n")
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
    today = datetime.now(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y")
    assert run.stdout.splitlines()[0] == (
        "Onglet «\u00a0Archive\u00a0»\u00a0: 1 réglage non documenté")
    assert run.stdout.splitlines()[-1] == f"Valeurs\u00a0: instantané du {today} ({emulator.url})."


def test_an_unknown_tab_names_the_tabs() -> None:
    run = run_cli("undocumented", "Sauvegardes")
    assert run.code == 3
    assert run.stderr == (
        "datis-audit\u00a0: erreur\u00a0: Onglet inconnu «\u00a0Sauvegardes\u00a0» "
        "(onglets\u00a0: Serveur, Sauvegardes "
        "de fichiers, Sauvegarde de volume, Droits, Client, Archive, Alertes, Local/passive "
        "clients, Internet/active clients, Avancée, Email, Annuaire LDAP/AD, Hors écran).\n")
