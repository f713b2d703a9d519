"""What `datis-audit fix --yes` posts, over real HTTP: only the documented keys that are in
écart, each with its documented value as the server stores it, and client overrides put back
to inheriting. The emulator's state records every save form it was sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.emulator import Emulator
from tests.audit.conftest import flat
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
    assert flat(stdout) == (f"{emulator.url} : rien à corriger, l'appliance est conforme à la "
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
    assert " : 1 jour (propre au client) → valeur du groupe (5 heures) " in flat(stdout)
    assert run_cli("--url", emulator.url).code == 0


def test_fix_leaves_an_override_whose_applied_value_follows_the_rule(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """The agent's value (use 4) applies: 5 h, though the interface's own value is 1 day."""
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", 86400, 4, 18000)
    saved = _recording(emulator)
    code, _ = _fix(emulator, tmp_path)
    assert (code, saved) == (0, [])
