"""What `datis-audit fix --yes` posts, over real HTTP: only the documented keys that are in
écart, each with its documented value as the server stores it, and client overrides put back
to inheriting. The emulator's state records every save form it was sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.audit import baseline
from checks.emulator import Emulator
from checks.emulator.records import Row
from tests.audit.conftest import UNWRAPPED, flat
from tests.cli_run import run_cli


def _recording(emulator: Emulator) -> list[tuple[str, dict[str, str]]]:
    """Every form the emulated server saves, in order, as (page, form) pairs."""
    saved: list[tuple[str, dict[str, str]]] = []
    state = emulator.state
    general, mail, client = state.save_general, state.save_mail, state.save_client_settings

    def save_general(form: dict[str, str]) -> None:
        saved.append(("general", dict(form)))
        general(form)

    def save_mail(form: dict[str, str]) -> Any:
        saved.append(("mail", dict(form)))
        return mail(form)

    def save_client_settings(target: int, form: dict[str, str]) -> None:
        saved.append((f"client {target}", dict(form)))
        client(target, form)

    state.save_general = save_general  # type: ignore[method-assign]
    state.save_mail = save_mail  # type: ignore[method-assign]
    state.save_client_settings = save_client_settings  # type: ignore[method-assign]
    return saved


def _fix(emulator: Emulator, tmp_path: Path) -> tuple[int, str]:
    run = run_cli("fix", "--url", emulator.url, "--yes", "--backup", str(tmp_path / "a.json"))
    return run.code, run.stdout


def test_fix_posts_the_documented_values_of_the_keys_in_ecart_only(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("datis-derive")
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert code == 0, stdout
    assert saved == [
        ("general", {"update_freq_incr": "18000", "max_file_full": "10",
                     "min_image_full": "2", "image_letters": "ALL_NONUSB"}),
        ("mail", {"mail_check_certificate": "true", "testmailaddr": ""}),
        ("client 2", {"update_freq_incr": "86400", "update_freq_incr.use": "1",
                      "max_file_incr": "20", "max_file_incr.use": "1"}),
    ]
    assert run_cli("--url", emulator.url).code == 0


def test_fix_posts_nothing_on_a_conforming_appliance(start_emulator: Callable[..., Emulator],
                                                     tmp_path: Path) -> None:
    emulator = start_emulator("datis-conforme")
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert (code, saved) == (0, [])
    assert flat(stdout) == (f"{emulator.url}\u00a0: rien à corriger, l'appliance est conforme à la "
                            "documentation.")
    assert not (tmp_path / "a.json").exists()


def test_fix_puts_back_an_override_whose_applied_value_breaks_the_rule(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """The agent's value (use 4) applies: 1 day, though the interface's own value is 5 h."""
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", 18000, 4, 86400)
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert code == 0, stdout
    assert saved == [("client 1", {"update_freq_incr": "18000",
                                   "update_freq_incr.use": "1"})]
    assert "\u00a0: 1 jour (propre au client) → valeur du groupe (5 heures) " in flat(stdout)
    assert run_cli("--url", emulator.url).code == 0


def test_fix_posts_an_empty_own_value_for_an_override_the_server_gave_without_one(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A row of its own (use 2) whose value the server sends as null: put back to inheriting,
    its own value posted empty, never as a made-up text."""
    emulator = start_emulator("datis-conforme")
    emulator.state.rows.setdefault(1, {})["image_letters"] = Row(None, 2)
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert code == 0, stdout
    assert saved == [("client 1", {"image_letters": "", "image_letters.use": "1"})]


def test_fix_leaves_an_override_whose_applied_value_follows_the_rule(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """The agent's value (use 4) applies: 5 h, though the interface's own value is 1 day."""
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", 86400, 4, 18000)
    saved = _recording(emulator)
    code, _ = _fix(emulator, tmp_path)
    assert (code, saved) == (0, [])


def test_fix_walks_every_override_past_one_that_follows_the_rule(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """PC-ACCUEIL's own 4 hours are within the rule and left alone; SRV-COMPTA's is put back."""
    emulator = start_emulator("datis-derive")
    emulator.state.save_general({"update_freq_incr": "14400"})
    emulator.state.set_client_row(1, "update_freq_incr", 14400, 2)
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert code == 0, stdout
    assert [page for page, _ in saved] == ["general", "mail", "client 2"]
    assert saved[2] == ("client 2", {"update_freq_incr": "86400", "update_freq_incr.use": "1",
                                     "max_file_incr": "20", "max_file_incr.use": "1"})


def test_the_plan_names_the_value_a_client_gets_back(start_emulator: Callable[..., Emulator],
                                                     tmp_path: Path) -> None:
    """Back to its group's value: the documented one when fix also corrects it, else the
    group's own (here 4 hours, within the rule)."""
    emulator = start_emulator("datis-derive")
    dry = run_cli("fix", "--url", emulator.url, env=UNWRAPPED).stdout
    where = ("«\u00a0Réglages › Clients\u00a0: SRV-COMPTA › Sauvegardes de fichiers › Intervalle "
             "pour la "
             "sauvegarde incrémentielle de fichiers\u00a0»")
    label = "Intervalle des sauvegardes incrémentielles de fichiers"
    assert (f"  {label}, {where}\u00a0: 1 jour (propre au client) → valeur du groupe (5 heures)\n"
            in dry)
    emulator.state.save_general({"update_freq_incr": "14400"})
    dry = run_cli("fix", "--url", emulator.url, env=UNWRAPPED).stdout
    assert (f"  {label}, {where}\u00a0: 1 jour (propre au client) → valeur du groupe (4 heures)\n"
            in dry)


def test_a_secret_left_to_type_does_not_stop_the_other_changes(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulator = start_emulator("messagerie-absente")
    saved = _recording(emulator)
    code, stdout = _fix(emulator, tmp_path)
    assert code == 1
    assert saved == [("mail", {
        "mail_servername": "smtp.inspee.re", "mail_serverport": "587",
        "mail_username": "datis", "mail_from": "sauvegarde@inspee.re",
        "mail_admin_addrs": "support@inspeere.com", "mail_ssl_only": "true",
        "mail_check_certificate": "true", "testmailaddr": ""})]
    assert stdout.endswith("Non appliqué\u00a0: Mot de passe SMTP — secret à saisir, jamais "
                           "inventé.\n")


def test_the_dry_run_lists_a_secret_to_type_and_changes_nothing(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("messagerie-absente")
    saved = _recording(emulator)
    dry = run_cli("fix", "--url", emulator.url)
    assert (dry.code, saved) == (1, [])
    assert ("  Mot de passe SMTP, «\u00a0Réglages › Email › Mot de passe\u00a0»\u00a0: (secret) "
            "non renseigné "
            "→ (à saisir)\n") in dry.stdout
    assert dry.stdout.endswith("\nSimulation\u00a0: rien n'a été modifié. Relancez avec --yes pour "
                               "appliquer.\n")


def test_the_mail_password_is_never_given_to_another_secret(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """A baseline that also asks for the tray password: DATIS_MAIL_PASSWORD is not it."""
    rules = tmp_path / "referentiel.toml"
    rules.write_text(baseline.default_path().read_text("utf-8") + (
        '\n[reglages.client_settings_tray_access_pw]\nsection = "plan_fichiers"\n'
        'regle = "non_vide"\nraison = "Le poste ne change pas ses réglages seul."\n'), "utf-8")
    emulator = start_emulator("messagerie-absente")
    saved = _recording(emulator)
    run = run_cli("fix", "--url", emulator.url, "--yes", "--baseline", str(rules),
                  "--backup", str(tmp_path / "a.json"),
                  env={"DATIS_MAIL_PASSWORD": "Saisi-par-le-technicien"})
    assert run.code == 1
    assert [form.get("mail_password") for _, form in saved] == ["Saisi-par-le-technicien"]
    assert "client_settings_tray_access_pw" not in str(saved)
    assert run.stdout.endswith("Non appliqué\u00a0: Mot de passe d'accès à l'agent — secret à "
                               "saisir, jamais inventé.\n")
