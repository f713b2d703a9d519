"""What `datis-audit fix` tells the technician when things do not go as planned, exactly: a
change the server did not keep, a test mail that failed, an action too long for a line.
Real CLI, real HTTP against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.emulator import Emulator
from checks.emulator.records import Client
from tests.audit.conftest import UNWRAPPED, flat
from tests.cli_run import run_cli


def test_a_change_the_server_does_not_keep_is_reported(start_emulator: Callable[..., Emulator],
                                                       tmp_path: Path) -> None:
    """A server that drops `update_freq_incr` from its general save (the others are kept)."""
    emulator = start_emulator("datis-derive")
    state = emulator.state
    save = state.save_general

    def forgetful(form: dict[str, str]) -> None:
        save({key: value for key, value in form.items() if key != "update_freq_incr"})

    state.save_general = forgetful  # type: ignore[method-assign]
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 1
    assert "\n6 modifications appliquées et vérifiées.\n" in run.stdout
    assert flat(run.stdout).endswith(
        " 6 modifications appliquées et vérifiées. "
        "Vérification en échec\u00a0: Intervalle des sauvegardes incrémentielles de fichiers, "
        "«\u00a0Réglages › Général › Sauvegardes de fichiers › Intervalle pour la sauvegarde "
        "incrémentielle de fichiers\u00a0»\u00a0: 12 heures → 5 heures")


def test_at_60_columns_each_entry_runs_on_indented_under_its_first_line(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A change of the plan runs on 4 spaces in, under its 2; a change not kept, on 2."""
    emulator = start_emulator("datis-derive")
    state = emulator.state
    save = state.save_general

    def forgetful(form: dict[str, str]) -> None:
        save({key: value for key, value in form.items() if key != "update_freq_incr"})

    state.save_general = forgetful  # type: ignore[method-assign]
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"),
                  env={"COLUMNS": "60"})
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[3:6] == [
        "Messagerie sortante",
        "  Vérification du certificat du serveur SMTP, «\u00a0Réglages ›",
        "    Email › Vérifier le certificat SSL/TLS\u00a0»\u00a0: non → oui"]
    assert lines[-4:] == [
        "Vérification en échec\u00a0: Intervalle des sauvegardes",
        "  incrémentielles de fichiers, «\u00a0Réglages › Général ›",
        "  Sauvegardes de fichiers › Intervalle pour la sauvegarde",
        "  incrémentielle de fichiers\u00a0»\u00a0: 12 heures → 5 heures"]


def test_at_60_columns_a_secret_not_given_runs_on_indented(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("messagerie-absente")
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"),
                  env={"COLUMNS": "60"})
    assert run.code == 1
    assert run.stdout.splitlines()[-2:] == [
        "Non appliqué\u00a0: Mot de passe SMTP — secret à saisir, jamais", "  inventé."]


def test_one_change_applied_is_said_in_the_singular(start_emulator: Callable[..., Emulator],
                                                    tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"max_file_incr": "50"})
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 0
    assert run.stdout.endswith("\nUne modification appliquée et vérifiée.\n")
    assert flat(run.stdout).endswith(f" Réglages d'avant correction enregistrés\u00a0: "
                                     f"{tmp_path}/a.json Une modification appliquée et vérifiée.")


def test_a_failed_test_mail_says_what_the_server_answered(emulator: Emulator) -> None:
    emulator.state.network = False
    run = run_cli("fix", "--url", emulator.url, "--send-test-mail", "tech@exemple.fr")
    assert run.code == 1
    assert run.stdout.endswith(
        "Échec du mail de test\u00a0: le serveur a répondu «\u00a0Couldn't resolve host "
        "name(ec=6), "
        "Could not resolve host: smtp.inspee.re\u00a0».\n")
    assert emulator.state.mail_log == []


def test_a_test_mail_without_an_answer_is_a_failure(emulator: Emulator) -> None:
    """A save confirmed without the test's result (`mail_test`): never taken for a success."""
    handlers = emulator.server.api._actions
    settings = handlers["settings"]

    def without_result(form: dict[str, str], session: Any) -> Any:
        answer = settings(form, session)
        if form.get("sa") == "mail_save":
            answer.pop("mail_test", None)
        return answer

    handlers["settings"] = without_result
    run = run_cli("fix", "--url", emulator.url, "--send-test-mail", "tech@exemple.fr")
    assert run.code == 1
    assert run.stdout.endswith("Échec du mail de test\u00a0: le serveur a répondu "
                               "«\u00a0?\u00a0».\n")


def test_a_long_action_is_cut_in_the_list_of_what_fix_leaves(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    name = "P" * 700
    emulator.state.add_client(Client(id=9, name=name, online=True))
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 1
    start = "Dans «\u00a0Etats\u00a0», vérifier que «\u00a0"
    assert f" → {start}{name[:599 - len(start)]}… " in flat(run.stdout)
    assert f"\n      «\u00a0{name[:599 - len(start)]}…\n" in run.stdout


FILES = "Réglages › Général › Sauvegardes de fichiers"
SRV = "Réglages › Clients\u00a0: SRV-COMPTA › Sauvegardes de fichiers"
INCR = "Intervalle des sauvegardes incrémentielles de fichiers"


def _plan(who: str) -> str:
    """The dry run of datis-derive, whole: its changes under their sections."""
    return (
        f"Modifications pour revenir aux valeurs documentées ({who})\u00a0:\n\n"
        "Messagerie sortante\n"
        "  Vérification du certificat du serveur SMTP, «\u00a0Réglages › Email › Vérifier le "
        "certificat SSL/TLS\u00a0»\u00a0: non → oui\n\n"
        "Plan de sauvegarde en mode fichier\n"
        f"  {INCR}, «\u00a0{FILES} › Intervalle pour la sauvegarde incrémentielle de "
        "fichiers\u00a0»\u00a0: "
        "12 heures → 5 heures\n"
        "  Nombre maximal de sauvegardes complètes de fichiers conservées, «\u00a0"
        f"{FILES} › Nombre maximal de sauvegardes fichiers complètes\u00a0»\u00a0: 3 → 10\n"
        f"  {INCR}, «\u00a0{SRV} › Intervalle pour la sauvegarde incrémentielle de "
        "fichiers\u00a0»\u00a0: "
        "1 jour (propre au client) → valeur du groupe (5 heures)\n"
        "  Nombre maximal de sauvegardes incrémentielles de fichiers conservées, «\u00a0"
        f"{SRV} › Nombre maximal de sauvegardes fichiers incrémentielles\u00a0»\u00a0: 20 (propre "
        "au "
        "client) → valeur du groupe (100)\n\n"
        "Plan de sauvegarde en mode image\n"
        "  Nombre minimal de sauvegardes complètes d'images conservées, «\u00a0Réglages › Général "
        "› "
        "Sauvegarde de volume › Nombre minimal de sauvegardes image complètes\u00a0»\u00a0: 1 → 2\n"
        "  Volumes sauvegardés en image, «\u00a0Réglages › Général › Sauvegarde de volume › "
        "Lecteurs "
        "à sauvegarder\u00a0»\u00a0: C → tous les volumes sauf USB\n\n"
        "Simulation\u00a0: rien n'a été modifié. Relancez avec --yes pour appliquer.\n")


def test_the_dry_run_whole(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    run = run_cli("fix", "--url", emulator.url, env=UNWRAPPED)
    assert (run.code, run.stdout) == (1, _plan(emulator.url))


def _as_1a2b(emulator: Emulator) -> tuple[str, dict[str, str]]:
    """The DATIS address of 1A2B, the emulator standing as the proxy (plain HTTP)."""
    proxy = {"http_proxy": emulator.url, "HTTP_PROXY": emulator.url, "no_proxy": "",
             "NO_PROXY": ""}
    return f"http://backup.1a2b.datis.test:{emulator.url.rsplit(':', 1)[1]}", proxy


def test_an_identified_appliance_is_named_by_its_identifier(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    url, proxy = _as_1a2b(emulator)
    run = run_cli("fix", "--url", url, "--domain", "datis.test", env={**proxy, **UNWRAPPED})
    assert run.stdout == _plan("DATIS 1A2B").replace(
        "\nSimulation", "\nUn écart que «\u00a0datis-audit fix\u00a0» ne corrige pas, à traiter à "
                        "la "
        "main\u00a0:\n  [écart majeur] Accès chiffré (HTTPS)\u00a0: L'interface de "
        "backup.1a2b.datis.test "
        "a été atteinte sans chiffrement\u00a0: le mot de passe admin circule en clair.\n    → "
        "Utiliser l'adresse https://backup.XXXX.inspee.re de l'appliance.\n\nSimulation")
    applied = run_cli("fix", "--url", url, "--domain", "datis.test", "--yes", env=proxy,
                      cwd=tmp_path)
    assert applied.code == 1
    [backup] = [p.name for p in tmp_path.iterdir()]
    assert backup.startswith("datis-1A2B-avant-correction-") and backup.endswith(".json")
    assert f"Réglages d'avant correction enregistrés\u00a0: {backup}\n" in applied.stdout
    assert applied.stdout.endswith("7 modifications appliquées et vérifiées.\nReste un écart à "
                                   "traiter à la main (voir plus haut).\n")


def test_what_fix_leaves_is_indented_under_its_entry(
        start_emulator: Callable[..., Emulator]) -> None:
    """At 60 columns, an écart left to the technician runs on 4 spaces in, its action on 6."""
    emulator = start_emulator("datis-derive")
    url, proxy = _as_1a2b(emulator)
    run = run_cli("fix", "--url", url, "--domain", "datis.test", env={**proxy, "COLUMNS": "60"})
    assert run.code == 1
    assert run.stdout.split("\n\n")[-2] == (
        "Un écart que «\u00a0datis-audit fix\u00a0» ne corrige pas, à traiter à\n"
        "la main\u00a0:\n"
        "  [écart majeur] Accès chiffré (HTTPS)\u00a0: L'interface de\n"
        "    backup.1a2b.datis.test a été atteinte sans chiffrement\u00a0:\n"
        "    le mot de passe admin circule en clair.\n"
        "    → Utiliser l'adresse https://backup.XXXX.inspee.re de\n"
        "      l'appliance.")


def test_the_backup_of_an_appliance_without_identifier(start_emulator: Callable[..., Emulator],
                                                       tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    run = run_cli("fix", "--url", emulator.url, "--yes", cwd=tmp_path)
    assert run.code == 0
    [backup] = [p.name for p in tmp_path.iterdir()]
    assert backup.startswith("datis-appliance-avant-correction-")


def test_nothing_to_fix_is_said_with_the_appliance_s_name(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    url, proxy = _as_1a2b(emulator)
    run = run_cli("fix", "--url", url, "--domain", "datis.test", env={**proxy, **UNWRAPPED})
    assert run.code == 1
    assert run.stdout.startswith("DATIS 1A2B\u00a0: aucun réglage à ramener aux valeurs "
                                 "documentées."
                                 "\n\nUn écart que «\u00a0datis-audit fix\u00a0» ne corrige pas")
    plain = run_cli("fix", "--url", emulator.url, env=UNWRAPPED)
    assert (plain.code, plain.stdout) == (0, f"{emulator.url}\u00a0: rien à corriger, l'appliance "
                                             "est conforme à la documentation.\n")
