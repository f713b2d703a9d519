"""`datis-audit diff` over real HTTP: a snapshot at installation, a customer's changes, the diff.

The customer's changes go through the web interface's own save calls (general_save,
mail_save, clientsettings_save); what only the server or the agents do (a new machine, a
backup that stops) is set in the emulator's state, as the server would report it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.appliance.client import UrBackupClient
from checks.appliance.model import Use
from checks.emulator import Emulator
from checks.emulator.records import Backup, Client
from checks.reports.common import french_date
from tests.audit.conftest import flat
from tests.cli_run import run_cli
from tests.conftest import PASSWORD

MAIL_PASSWORD = "Relais-SMTP-demo-7731"
NEW_MAIL_PASSWORD = "Nouveau-Secret-4242"


def _snapshot(emulator: Emulator, target: Path) -> Path:
    run = run_cli("snapshot", "--url", emulator.url, "--output", str(target))
    assert run.code == 0, run.stderr
    return target


def _customer(emulator: Emulator) -> UrBackupClient:
    client = UrBackupClient(emulator.url, username="admin", password=PASSWORD)
    client.login()
    return client


def test_unchanged_appliance_exits_0(emulator: Emulator, tmp_path: Path) -> None:
    before = _snapshot(emulator, tmp_path / "installation.json")
    run = run_cli("diff", str(before), "--url", emulator.url)
    assert run.code == 0, run.stderr
    assert "Aucun changement entre les deux relevés." in run.stdout
    assert run.stderr == ""


def _shown(label: str) -> str:
    """A label of the JSON result as the text output prints it: « (écran : « … ») » typeset."""
    return label.replace(" : « ", "\u00a0: «\u00a0").replace(" »", "\u00a0»")


def test_diff_shows_exactly_the_customers_changes(emulator: Emulator, tmp_path: Path) -> None:
    before = _snapshot(emulator, tmp_path / "installation.json")
    with _customer(emulator) as customer:
        customer.save_general({"update_freq_incr": 86400, "max_sim_backups": 3})
        customer.save_mail({"mail_servername": "smtp.exemple.fr", "mail_password": ""})
        customer.save_client_settings(2, {"update_freq_incr": 7200},
                                      {"update_freq_incr": Use.OWN})
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)
    assert [(c["cle"], c["client"], c["avant"], c["apres"], c["secret"])
            for c in result["reglages"]] == [
        ("max_sim_backups", None, "100", "3", False),
        ("update_freq_incr", None, "5 heures", "1 jour", False),
        ("mail_password", None, "renseigné", "vide", True),
        ("mail_servername", None, "smtp.inspee.re", "smtp.exemple.fr", False),
    ]
    assert result["reglages"][2]["etat"] == "modifié"
    assert result["reglages"][1]["libelle"] == (
        "Intervalle des sauvegardes incrémentielles de fichiers (écran : « Intervalle pour la "
        "sauvegarde incrémentielle de fichiers »)")
    assert result["reglages_propres"] == [{
        "client": "PC-COMPTA", "cle": "update_freq_incr",
        "libelle": "Intervalle des sauvegardes incrémentielles de fichiers (écran : « Intervalle "
                   "pour la sauvegarde incrémentielle de fichiers »)",
        "changement": "ajouté", "valeur": "2 heures"}]
    assert result["clients"] == [] and result["sauvegardes"] == []
    assert result["avertissements"] == []
    assert [(side["source"], side["url"]) for side in (result["avant"], result["apres"])] == [
        (str(before), emulator.url), ("appliance en direct", emulator.url)]
    # The SMTP password was emptied: it is no longer « set on both sides ».
    assert result["secrets_non_comparables"] == [
        "Clé d'authentification Internet (écran : « Clé d'authentification »)",
        "Clé d'autorisation des restaurations (écran : « Restauration de la clé "
        "d'authentification pour la connexion Internet/active »)"]
    text = run_cli("diff", str(before), "--url", emulator.url)
    assert text.code == 1
    assert ("- Serveur SMTP (écran\u00a0: «\u00a0Adresse du serveur SMTP\u00a0»)\u00a0: "
            "smtp.inspee.re → "
            "smtp.exemple.fr") in flat(text.stdout)
    assert ("- Mot de passe SMTP (écran\u00a0: «\u00a0Mot de passe\u00a0»)\u00a0: modifié "
            "(renseigné → vide\u202f; "
            "valeur jamais affichée)") in flat(text.stdout)
    assert "5 changements entre les deux relevés." in text.stdout


def test_a_secret_replaced_is_said_to_be_uncomparable(start_emulator: Callable[..., Emulator],
                                                       tmp_path: Path) -> None:
    admin = "Adm1n-Pa55-9f3c1e"
    emulator = start_emulator("datis-conforme", admin_password=admin)
    run = run_cli("snapshot", "--url", emulator.url, "--output",
                  str(tmp_path / "installation.json"), password=admin)
    assert run.code == 0, run.stderr
    before = tmp_path / "installation.json"
    with UrBackupClient(emulator.url, username="admin", password=admin) as customer:
        customer.login()
        customer.save_mail({"mail_password": NEW_MAIL_PASSWORD})
    for fmt in ("text", "json", "html", "rst"):
        run = run_cli("diff", str(before), "--url", emulator.url, "--format", fmt, "-vv",
                      password=admin)
        assert run.code == 0, run.stderr
        assert "POST" in run.stderr  # the debug log did run
        for output in (run.stdout, run.stderr):
            assert NEW_MAIL_PASSWORD not in output and MAIL_PASSWORD not in output
            assert admin not in output
    result = json.loads(run_cli("diff", str(before), "--url", emulator.url,
                                "--format", "json", password=admin).stdout)
    assert "Mot de passe SMTP (écran : « Mot de passe »)" in result["secrets_non_comparables"]


def test_clients_overrides_and_backups_between_two_snapshots(emulator: Emulator,
                                                             tmp_path: Path) -> None:
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"max_file_incr": 40}, {"max_file_incr": Use.OWN})
    before = _snapshot(emulator, tmp_path / "avant.json")
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"max_file_incr": 40}, {"max_file_incr": Use.INHERIT})
    with emulator.state.lock:
        emulator.state.clients[3].file_ok = False
        del emulator.state.clients[2]
        emulator.state.add_client(Client(
            7, "PC-DIRECTION", online=True, lastseen=int(time.time()),
            backups=[Backup(70, 7, False, int(time.time()) - 600, True, 10**9)]))
    after = _snapshot(emulator, tmp_path / "apres.json")
    run = run_cli("diff", str(before), str(after), "--format", "json")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)
    assert result["reglages"] == []
    assert [(c["client"], c["cle"], c["changement"], c["valeur"])
            for c in result["reglages_propres"]] == [("PC-ACCUEIL", "max_file_incr", "retiré",
                                                      "40")]
    assert result["clients"] == [{"nom": "PC-DIRECTION", "changement": "ajouté"},
                                 {"nom": "PC-COMPTA", "changement": "retiré"}]
    assert [(b["client"], b["type"], b["changement"]) for b in result["sauvegardes"]] == [
        ("SRV-FICHIERS", "fichiers", "arrêtée")]
    html = run_cli("diff", str(before), str(after), "--format", "html",
                   "--output", str(tmp_path / "changements.html"))
    assert html.code == 1 and html.stdout == ""
    page = (tmp_path / "changements.html").read_text("utf-8")
    assert "<li>Retiré\u00a0: PC-COMPTA</li>" in page
    assert "<script" not in page
    rst = run_cli("diff", str(before), str(after), "--format", "rst")
    assert "- Ajouté\u00a0\\: PC\\-DIRECTION" in rst.stdout


def _last_backup(emulator: Emulator, client: int, *, image: bool) -> datetime:
    """The date of the client's last backup of a kind, as the server holds it."""
    with emulator.state.lock:
        last = max(b.backuptime for b in emulator.state.clients[client].backups
                   if b.image == image)
    return datetime.fromtimestamp(last, UTC)


def test_a_clients_own_value_and_backups_that_stop_or_resume(emulator: Emulator,
                                                            tmp_path: Path) -> None:
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"max_file_incr": 40}, {"max_file_incr": Use.OWN})
    with emulator.state.lock:
        emulator.state.clients[3].file_ok = False
    before = _snapshot(emulator, tmp_path / "avant.json")
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"max_file_incr": 60}, {"max_file_incr": Use.OWN})
        customer.save_general({"update_freq_incr": "18000"})  # the same 5 hours, as text
    with emulator.state.lock:
        emulator.state.clients[3].file_ok = None  # up to date again, as the server says
        emulator.state.clients[2].image_ok = False
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)
    label = ("Nombre maximal de sauvegardes incrémentielles de fichiers conservées (écran : "
             "« Nombre maximal de sauvegardes fichiers incrémentielles »)")
    assert result["change"] is True
    assert result["reglages"] == [{"cle": "max_file_incr", "libelle": label,
                                   "client": "PC-ACCUEIL", "secret": False, "avant": "40",
                                   "apres": "60"}]
    assert result["reglages_propres"] == [] and result["clients"] == []
    image, files = _last_backup(emulator, 2, image=True), _last_backup(emulator, 3, image=False)
    assert result["sauvegardes"] == [
        {"client": "PC-COMPTA", "type": "image", "changement": "arrêtée",
         "derniere": image.isoformat()},
        {"client": "SRV-FICHIERS", "type": "fichiers", "changement": "reprise",
         "derniere": files.isoformat()}]
    text = run_cli("diff", str(before), "--url", emulator.url)
    assert text.code == 1
    lines = text.stdout.splitlines()
    assert "\nRéglages modifiés (1)\n" in text.stdout
    assert "\n\nSauvegardes (2)\n" in text.stdout
    assert (" Réglages modifiés (1) "
            f"- PC-ACCUEIL — {_shown(label)}\u00a0: 40 → 60 "
            "Sauvegardes (2) "
            "- PC-COMPTA\u00a0: la sauvegarde image n'est plus à jour (dernière sauvegarde le "
            f"{french_date(image)}). "
            "- SRV-FICHIERS\u00a0: la sauvegarde de fichiers est de nouveau à jour (dernière "
            f"sauvegarde le {french_date(files)}). ") in flat(text.stdout)
    assert lines[-1] == "3 changements entre les deux relevés."


def _stop_a_backup(emulator: Emulator) -> None:
    with emulator.state.lock:
        emulator.state.clients[3].file_ok = False


def _add_a_client(emulator: Emulator) -> None:
    emulator.state.add_client(Client(7, "PC-DIRECTION", online=True, lastseen=int(time.time())))


def _add_an_override(emulator: Emulator) -> None:
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"max_file_incr": 40}, {"max_file_incr": Use.OWN})


def _change_a_setting(emulator: Emulator) -> None:
    with _customer(emulator) as customer:
        customer.save_general({"max_sim_backups": 3})


@pytest.mark.parametrize(("change", "section"), [
    (_stop_a_backup, "Sauvegardes (1)"), (_add_a_client, "Clients (1)"),
    (_add_an_override, "Réglages propres à un client (1)"),
    (_change_a_setting, "Réglages modifiés (1)")])
def test_one_change_of_any_kind_alone_exits_1(emulator: Emulator, tmp_path: Path,
                                              change: Callable[[Emulator], None],
                                              section: str) -> None:
    before = _snapshot(emulator, tmp_path / "avant.json")
    change(emulator)
    run = run_cli("diff", str(before), "--url", emulator.url)
    assert run.code == 1, run.stderr
    titles = [line for line in run.stdout.splitlines() if line.endswith(")")
              and not line.startswith((" ", "Avant", "Après"))]
    assert titles == [section]
    assert run.stdout.splitlines()[-1] == "Un changement entre les deux relevés."


def test_a_clients_own_secret_emptied_is_said_without_its_value(emulator: Emulator,
                                                               tmp_path: Path) -> None:
    before = _snapshot(emulator, tmp_path / "avant.json")
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"internet_authkey": ""},
                                      {"internet_authkey": Use.OWN})
    label = "Clé d'authentification Internet (écran : « Clé d'authentification »)"
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    assert json.loads(run.stdout)["reglages"] == [
        {"cle": "internet_authkey", "libelle": label, "client": "PC-ACCUEIL", "secret": True,
         "avant": "renseigné", "apres": "vide", "etat": "modifié"}]
    text = flat(run_cli("diff", str(before), "--url", emulator.url).stdout)
    assert (f" - PC-ACCUEIL — {_shown(label)}\u00a0: modifié (renseigné → vide\u202f; valeur "
            "jamais affichée) ") in text


def test_a_schedule_added_to_an_interval_is_a_change_shown_whole(emulator: Emulator,
                                                                 tmp_path: Path) -> None:
    """Weekly full backups at weekends on top of the monthly ones: the worst interval is
    still 30 days (what the audit judges), but the plan changed."""
    with _customer(emulator) as customer:
        customer.save_general({"update_freq_full": "2592000",
                               "update_freq_incr": "3600@mon-fri/8-18;18000",
                               "update_freq_image_incr": "86400@1-5/0-24;604800",
                               "update_freq_image_full": "5184000"})
    before = _snapshot(emulator, tmp_path / "avant.json")
    with _customer(emulator) as customer:
        customer.save_general({"update_freq_full": "604800@6-7/0-24;2592000",
                               "update_freq_incr": "3600@1-5/8-18;18000",  # the same plan
                               "update_freq_image_incr": "86400@1-7/0-24;604800",  # every day
                               "update_freq_image_full": ""})  # the field cleared
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    assert [(c["cle"], c["avant"], c["apres"]) for c in json.loads(run.stdout)["reglages"]] == [
        ("update_freq_full", "30 jours",
         "7 jours (samedi et dimanche, à toute heure) ; 30 jours"),
        ("update_freq_image_full", "60 jours", "(vide)"),
        ("update_freq_image_incr", "1 jour (du lundi au vendredi, à toute heure) ; 7 jours",
         "1 jour (tous les jours, à toute heure) ; 7 jours")]


def test_an_archive_rule_is_judged_on_its_value_not_on_whose_it_is(emulator: Emulator,
                                                                   tmp_path: Path) -> None:
    """UrBackup makes `archive` a client's own on every save of its settings (recordings D20,
    D31, K02): that alone is no change; a new archive rule is one."""
    with _customer(emulator) as customer:
        customer.save_client_settings(2, {"max_file_incr": 40}, {"max_file_incr": Use.OWN})
    before = _snapshot(emulator, tmp_path / "avant.json")
    rule = "every_1=604800&for_1=2419200&backup_types_1=3"
    with _customer(emulator) as customer:
        customer.save_client_settings(1, {"archive": rule}, {"archive": Use.OWN})
        customer.save_client_settings(3, {"max_file_incr": 40}, {"max_file_incr": Use.OWN})
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)
    assert [(c["client"], c["cle"], c["avant"], c["apres"]) for c in result["reglages"]] == [
        ("PC-ACCUEIL", "archive", "(vide)", rule)]
    assert [(c["client"], c["cle"], c["changement"]) for c in result["reglages_propres"]] == [
        ("SRV-FICHIERS", "max_file_incr", "ajouté")]


def test_keys_the_catalogue_does_not_hold_and_backups_all_deleted(emulator: Emulator,
                                                                 tmp_path: Path) -> None:
    before = _snapshot(emulator, tmp_path / "avant.json")
    with _customer(emulator) as customer:
        customer.save_general({"server_url": "https://sauvegarde.exemple.fr",
                               "tmpdir": "/var/tmp/urbackup", "autoshutdown": True})
        customer.save_mail({"mail_servername": "SMTP.INSPEE.RE"})  # the same host
    with emulator.state.lock:
        emulator.state.clients[3].backups.clear()  # every backup of SRV-FICHIERS deleted
    run = run_cli("diff", str(before), "--url", emulator.url, "--format", "json")
    assert run.code == 1, run.stderr
    result = json.loads(run.stdout)
    assert [(c["cle"], c["libelle"], c["avant"], c["apres"]) for c in result["reglages"]] == [
        ("autoshutdown", "Eteindre automatiquement le serveur", "non", "oui"),
        ("server_url", "URL du serveur pour l'accès aux différentes sauvegardes", "(vide)",
         "https://sauvegarde.exemple.fr"),
        ("tmpdir", "Clé UrBackup « tmpdir »", "(vide)", "/var/tmp/urbackup")]
    assert result["sauvegardes"] == [
        {"client": "SRV-FICHIERS", "type": kind, "changement": "arrêtée", "derniere": None}
        for kind in ("fichiers", "image")]
    text = flat(run_cli("diff", str(before), "--url", emulator.url).stdout)
    assert " - SRV-FICHIERS\u00a0: la sauvegarde de fichiers n'est plus à jour (aucune " \
        "sauvegarde). " in text


def test_a_secret_on_one_side_only_and_a_clients_own_secret(emulator: Emulator,
                                                            tmp_path: Path) -> None:
    """Snapshots of two server states a live appliance cannot show in one go: a server that
    did not have the SMTP password nor `tmpdir` yet, and a client given its own alert
    parameters."""
    taken = json.loads(_snapshot(emulator, tmp_path / "releve.json").read_text("utf-8"))
    older = {**taken, "messagerie": {k: v for k, v in taken["messagerie"].items()
                                     if k != "mail_password"},
             "reglages": {**{k: v for k, v in taken["reglages"].items() if k != "tmpdir"},
                          "server_url": None,  # null where the newer has ""
                          # yes/no as text where the newer has JSON booleans
                          "autoshutdown": "false", "download_client": "true"}}
    older["clients"] = json.loads(json.dumps(taken["clients"]))
    del older["clients"][0]["reglages"]["alert_params"]
    clients = json.loads(json.dumps(taken["clients"]))
    assert clients[0]["nom"] == "PC-ACCUEIL"
    clients[0]["reglages"]["alert_params"] = {
        "use": 2, "value": {"secret": True, "renseigne": True}, "value_client": None,
        "value_group": {"secret": True, "renseigne": False}}
    newer = {**taken, "clients": clients}
    paths = {}
    for name, data in (("ancien", older), ("nouveau", newer)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(data), encoding="utf-8")
    label = "Paramètres du script d'alerte"
    seen = []
    for first, second in (("ancien", "nouveau"), ("nouveau", "ancien")):
        run = run_cli("diff", str(paths[first]), str(paths[second]), "--format", "json")
        assert run.code == 1, run.stderr
        result = json.loads(run.stdout)
        seen.append(([(c["cle"], c["avant"], c["apres"], c["secret"])
                      for c in result["reglages"]], result["reglages_propres"]))
    assert taken["reglages"]["server_url"] == taken["reglages"]["tmpdir"] == ""
    assert (taken["reglages"]["autoshutdown"], taken["reglages"]["download_client"]) == (
        False, True)
    assert seen == [
        ([("tmpdir", "(absent)", "(vide)", False),
          ("mail_password", "(absent)", "renseigné", True)],
         [{"client": "PC-ACCUEIL", "cle": "alert_params", "libelle": label,
           "changement": "ajouté", "valeur": "secret renseigné"}]),
        ([("tmpdir", "(vide)", "(absent)", False),
          ("mail_password", "renseigné", "(absent)", True)],
         [{"client": "PC-ACCUEIL", "cle": "alert_params", "libelle": label,
           "changement": "retiré", "valeur": "secret renseigné"}]),
    ]


def test_values_of_keys_the_catalogue_does_not_hold_are_shown_as_they_are(
        emulator: Emulator, tmp_path: Path) -> None:
    """Keys UrBackup sends that the catalogue does not hold, between a server whose web
    interface keeps its Windows-only parts (a Windows host: empty markers) and where scripts
    cannot be edited, and the appliance: empty is « (vide) », JSON booleans oui/non, the rest
    as it is."""
    newer = _snapshot(emulator, tmp_path / "appliance.json")
    taken = json.loads(newer.read_text("utf-8"))
    assert (taken["reglages"]["ONLY_WIN32_BEGIN"], taken["reglages"]["ONLY_WIN32_END"],
            taken["reglages"]["can_edit_scripts"]) == ("<!--", "-->", True)
    older = tmp_path / "windows.json"
    older.write_text(json.dumps({**taken, "reglages": {
        **taken["reglages"], "ONLY_WIN32_BEGIN": "", "ONLY_WIN32_END": None,
        "can_edit_scripts": False}}), encoding="utf-8")
    seen = []
    for first, second in ((older, newer), (newer, older)):
        run = run_cli("diff", str(first), str(second), "--format", "json")
        assert run.code == 1, run.stderr
        seen.append([(c["cle"], c["libelle"], c["avant"], c["apres"])
                     for c in json.loads(run.stdout)["reglages"]])
    assert seen[0] == [
        ("ONLY_WIN32_BEGIN", "Clé UrBackup « ONLY_WIN32_BEGIN »", "(vide)", "<!--"),
        ("ONLY_WIN32_END", "Clé UrBackup « ONLY_WIN32_END »", "(vide)", "-->"),
        ("can_edit_scripts", "Clé UrBackup « can_edit_scripts »", "non", "oui")]
    assert seen[1] == [(key, name, new, old) for key, name, old, new in seen[0]]


def test_values_of_keys_the_catalogue_does_not_hold_written_otherwise_are_no_change(
        emulator: Emulator, tmp_path: Path) -> None:
    """The same values written otherwise, as another UrBackup version or a snapshot kept by
    hand may write them: booleans as text, null for empty."""
    newer = _snapshot(emulator, tmp_path / "appliance.json")
    taken = json.loads(newer.read_text("utf-8"))
    assert (taken["reglages"]["can_edit_scripts"],
            taken["reglages"]["client_set_settings"]) == (True, {"value": False})
    paths = {}
    for name, changed in (
            ("texte", {"can_edit_scripts": "true", "client_set_settings": {"value": "false"}}),
            ("vide", {"ONLY_WIN32_BEGIN": "", "ONLY_WIN32_END": None}),
            ("null", {"ONLY_WIN32_BEGIN": None, "ONLY_WIN32_END": ""})):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps({**taken, "reglages": {**taken["reglages"],
                                                                 **changed}}), encoding="utf-8")
    for first, second in ((newer, paths["texte"]), (paths["vide"], paths["null"])):
        run = run_cli("diff", str(first), str(second))
        assert (run.code, run.stdout.splitlines()[-1]) == (
            0, "Aucun changement entre les deux relevés."), run.stdout


def test_snapshots_of_two_datis_identifiers_are_warned(emulator: Emulator,
                                                       tmp_path: Path) -> None:
    taken = json.loads(_snapshot(emulator, tmp_path / "releve.json").read_text("utf-8"))
    named = {}
    for identifier in ("1A2B", "1a2b", "3C4D"):
        named[identifier] = tmp_path / f"{identifier}.json"
        named[identifier].write_text(json.dumps({**taken, "identifiant": identifier}),
                                     encoding="utf-8")
    same = run_cli("diff", str(named["1A2B"]), str(named["1a2b"]))
    assert (same.code, same.stderr) == (0, "")
    other = run_cli("diff", str(named["1A2B"]), str(named["3C4D"]))
    assert (other.code, other.stderr.splitlines()) == (0, [
        "datis-audit\u00a0: attention\u00a0: Les deux relevés ne viennent pas de la même appliance "
        "(DATIS 1A2B et DATIS 3C4D)\u00a0: les différences ci-dessous comparent deux appliances "
        "distinctes."])


def test_snapshot_of_another_appliance_is_warned(start_emulator: Callable[..., Emulator],
                                                 tmp_path: Path) -> None:
    first = _snapshot(start_emulator("datis-conforme"), tmp_path / "premiere.json")
    second = start_emulator("datis-derive")
    run = run_cli("diff", str(first), "--url", second.url)
    assert run.code == 1, run.stderr
    assert run.stderr.splitlines() == [
        "datis-audit\u00a0: attention\u00a0: Les deux relevés ne viennent pas du même serveur "
        "UrBackup "
        "(identités de serveur différentes)\u00a0: autre appliance, ou serveur réinstallé entre "
        "les "
        "deux\u202f; les différences ci-dessous sont à lire avec prudence."]
    assert "Attention\u00a0: Les deux relevés ne viennent pas du même serveur" in run.stdout


def _bad_input(tmp_path: Path, *args: str) -> tuple[int, list[str], list[Path]]:
    target = tmp_path / "sortie" / "changements.html"
    target.parent.mkdir(exist_ok=True)
    run = run_cli("diff", *args, "--format", "html", "--output", str(target))
    return run.code, run.stderr.splitlines(), list(target.parent.iterdir())


def test_bad_snapshots_are_one_french_line_and_exit_3(emulator: Emulator,
                                                      tmp_path: Path) -> None:
    good = _snapshot(emulator, tmp_path / "installation.json")
    text = good.read_text("utf-8")
    truncated = tmp_path / "tronque.json"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    future = tmp_path / "futur.json"
    future.write_text(json.dumps({**json.loads(text), "schema": "datis-snapshot/2"}),
                      encoding="utf-8")
    report = tmp_path / "rapport.json"
    report.write_text(json.dumps({"schema": "datis-audit/1"}), encoding="utf-8")
    cases = {
        truncated: f"Instantané {truncated}\u00a0: JSON invalide (fichier tronqué ou altéré).",
        future: f"Instantané {future} au schéma datis-snapshot/2\u00a0: cette version de "
                "datis-audit ne lit que le schéma datis-snapshot/1.",
        report: f"{report} n'est pas un instantané DATIS (datis-snapshot/1 attendu).",
    }
    for bad, message in cases.items():
        assert _bad_input(tmp_path, str(good), str(bad)) == (
            3, [f"datis-audit\u00a0: erreur\u00a0: {message}"], [])
    both = _bad_input(tmp_path, str(good), str(good), "--url", emulator.url)
    neither = _bad_input(tmp_path, str(good))
    expected = ("datis-audit\u00a0: erreur\u00a0: Donnez soit un second instantané, soit "
                "l'appliance à "
                "lire (--datis, --mac ou --url), pas les deux ni aucun.")
    assert both == neither == (3, [expected], [])
