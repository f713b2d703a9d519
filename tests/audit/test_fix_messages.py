"""What `datis-audit fix` tells the technician when things do not go as planned, exactly: a
change the server did not keep, a test mail that failed, an action too long for a line.
Real CLI, real HTTP against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.emulator import Emulator
from checks.emulator.records import Client
from tests.audit.conftest import flat
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
        "Vérification en échec : Intervalle des sauvegardes incrémentielles de fichiers, "
        "« Réglages › Général › Sauvegardes de fichiers › Intervalle pour la sauvegarde "
        "incrémentielle de fichiers » : 12 heures → 5 heures")


def test_one_change_applied_is_said_in_the_singular(start_emulator: Callable[..., Emulator],
                                                    tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"max_file_incr": "50"})
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 0
    assert run.stdout.endswith("\nUne modification appliquée et vérifiée.\n")
    assert flat(run.stdout).endswith(f" Réglages d'avant correction enregistrés : "
                                     f"{tmp_path}/a.json Une modification appliquée et vérifiée.")


def test_a_failed_test_mail_says_what_the_server_answered(emulator: Emulator) -> None:
    emulator.state.network = False
    run = run_cli("fix", "--url", emulator.url, "--send-test-mail", "tech@exemple.fr")
    assert run.code == 1
    assert run.stdout.endswith(
        "Échec du mail de test : le serveur a répondu « Couldn't resolve host name(ec=6), "
        "Could not resolve host: smtp.inspee.re ».\n")
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
    assert run.stdout.endswith("Échec du mail de test : le serveur a répondu « ? ».\n")


def test_a_long_action_is_cut_in_the_list_of_what_fix_leaves(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    name = "P" * 700
    emulator.state.add_client(Client(id=9, name=name, online=True))
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    assert run.code == 1
    start = "Dans « Etats », vérifier que « "
    assert f" → {start}{name[:599 - len(start)]}… " in flat(run.stdout)
    assert f"\n      « {name[:599 - len(start)]}…\n" in run.stdout
