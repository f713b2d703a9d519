"""What a scenario's `base` gives: another bundled scenario's literal settings, first."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.emulator.scenarios import ScenarioError, load, scenario_names
from tests.conftest import PASSWORD


def _loaded(folder: Path, text: str) -> dict[str, object]:
    path = folder / "essai.toml"
    path.write_text(text, "utf-8")
    state = load(str(path), admin_password=PASSWORD)
    return {"update_freq_incr": state.global_value("update_freq_incr"),
            "max_file_incr": state.global_value("max_file_incr"),
            "mail_servername": state.mail["mail_servername"],
            "mail_serverport": state.mail["mail_serverport"]}


def test_a_base_gives_its_settings_and_the_scenario_changes_some(tmp_path: Path) -> None:
    assert _loaded(tmp_path, 'base = "datis-conforme"\n[general]\nupdate_freq_incr = "43200"\n'
                   '[mail]\nmail_serverport = "465"\n') == {
        "update_freq_incr": "43200", "max_file_incr": 100,
        "mail_servername": "smtp.inspee.re", "mail_serverport": "465"}


def test_referentiel_is_the_conforming_scenarios_literal_settings(tmp_path: Path) -> None:
    assert _loaded(tmp_path, 'base = "referentiel"\n') == _loaded(
        tmp_path, 'base = "datis-conforme"\n')


def test_without_a_base_a_scenario_has_a_fresh_servers_settings(tmp_path: Path) -> None:
    assert _loaded(tmp_path, "") == {"update_freq_incr": "18000", "max_file_incr": 100,
                                     "mail_servername": "", "mail_serverport": "25"}


def test_an_unknown_base_is_refused_with_the_bundled_names(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as raised:
        _loaded(tmp_path, 'base = "referentiel-2019"\n')
    assert str(raised.value) == (f"« base » inconnue : 'referentiel-2019' (scénarios fournis : "
                                 f"{', '.join(scenario_names())}).")
