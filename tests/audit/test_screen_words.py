"""Every action, in every report format, names the UrBackup screen as it displays itself.

The words are checked against checks/data/ui-fr.json (what the French interface of UrBackup
2.5.33 displays, read from the real interface), read here directly, not through the module
that writes the actions: a path, a menu or a label that the screen does not show fails.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import ROOT

EVERYTHING_WRONG = str(ROOT / "tests" / "fixtures" / "scenarios" / "tout-en-ecart.toml")
SCENARIOS = [EVERYTHING_WRONG, "sans-admin", "sauvegardes-en-retard", "datis-derive"]
FORMATS = ["text", "json", "html", "rst", "junit"]
QUOTED = re.compile(r"«\s(.*?)\s»")


@cache
def _screen() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "checks" / "data" / "ui-fr.json")
                                      .read_text("utf-8"))
    return data


def _words_on_screen(clients: set[str]) -> set[str]:
    """Everything an action may quote: paths to fields, menus, columns, buttons, options."""
    data = _screen()
    nav = data["navigation"]
    words = {item["fr"] for item in nav["top"]}
    words |= {f"Réglages › {tab['fr']}" for tab in nav["settings_tabs"]}
    words |= set(nav["status_page"]["columns_fr"]) | set(nav["status_page"]["row_menu_fr"])
    words |= {nav["buttons"]["save_fr"], nav["buttons"]["show_details_fr"]}
    words.add(data["client_settings_path"]["override_button"]["titles_en_only"]["1"])
    for entry in data["settings"].values():
        if entry.get("label_fr") and entry.get("path_fr"):
            words.add(f"{entry['path_fr']} › {entry['label_fr']}")
        words |= {entry[k] for k in ("combined_field_fr", "disable_checkbox_fr") if k in entry}
        words |= {option["fr"] for option in entry.get("options", ())}
        own = entry.get("per_client") or {}
        if own.get("label_fr"):
            words |= {f"{own['path_fr'].replace('<poste>', name)} › {own['label_fr']}"
                      for name in clients}
    return words


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(fmt: str, output: str) -> str:
    """The report as a reader reads it: markup and escapes undone, whitespace folded."""
    if fmt == "html":
        return _flat(html.unescape(re.sub(r"<[^>]+>", " ", output)))
    if fmt == "rst":
        return _flat(re.sub(r"\\(.)", r"\1", output))
    if fmt == "junit":
        root = ET.fromstring(output)
        return _flat(" ".join(node.text or "" for node in root.iter("failure")))
    return _flat(output)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: Path(s).stem)
def test_every_action_in_every_format_names_the_screen(
        start_emulator: Callable[..., Emulator], scenario: str) -> None:
    emulator = start_emulator(scenario)
    password = None if scenario == "sans-admin" else "secret"
    outputs = {fmt: run_cli("--url", emulator.url, "--format", fmt, password=password)
               for fmt in FORMATS}
    assert {fmt: run.code for fmt, run in outputs.items()} == dict.fromkeys(FORMATS, 1)
    report = json.loads(outputs["json"].stdout)
    actions = [c for c in report["constats"] if c["action"]]
    assert actions
    clients = {c["client"] for c in report["constats"] if c["client"]}
    screen = _words_on_screen(clients)
    settings = _screen()["settings"]
    for finding in actions:
        action = finding["action"]
        key = finding["cle"]
        if key is not None and finding["client"] is None:
            entry = settings[key]
            assert f"« {entry['path_fr']} › {entry['label_fr']} »" in action
        elif key is not None:
            own = settings[key]["per_client"]
            where = own["path_fr"].replace("<poste>", finding["client"])
            assert f"« {where} › {own['label_fr']} »" in action
        for quoted in QUOTED.findall(action):
            assert quoted in screen | clients | {"datis-audit fix", "admin"}, (action, quoted)
    for fmt, run in outputs.items():
        shown = _shown(fmt, run.stdout)
        assert "Paramètres" not in shown
        for finding in actions:
            assert _flat(finding["action"]) in shown, (fmt, finding["id"])


def test_the_catalogue_shows_the_screen_label_beside_its_own() -> None:
    from checks.settings.catalogue import SETTINGS

    update = SETTINGS["update_freq_incr"]
    assert update.label == "Intervalle des sauvegardes incrémentielles de fichiers"
    assert update.label_with_screen == (
        "Intervalle des sauvegardes incrémentielles de fichiers (écran : « Intervalle pour la "
        "sauvegarde incrémentielle de fichiers »)")
    for setting in SETTINGS.values():
        entry = _screen()["settings"].get(setting.key, {})
        assert setting.screen_label == (entry["label_fr"] if entry.get("path_fr") else None)


def test_an_action_naming_a_long_machine_name_is_never_cut(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    long_name = "SRV-COMPTABILITE-" + "SITE-PRINCIPAL-" * 7 + "2"   # 124 characters
    emulator.state.clients[2].name = long_name
    outputs = {fmt: run_cli("--url", emulator.url, "--format", fmt) for fmt in FORMATS}
    report = json.loads(outputs["json"].stdout)
    actions = [c["action"] for c in report["constats"] if c["client"] == long_name
               and c["action"]]
    assert len(actions) == 2 and all(len(a) > 300 for a in actions)
    for fmt, run in outputs.items():
        # A terminal folds a word longer than its width: there, compare without any space.
        squeeze = (lambda text: "".join(text.split())) if fmt == "text" else _flat
        for action in actions:
            assert squeeze(action) in squeeze(_shown(fmt, run.stdout)), fmt


def test_every_catalogue_key_has_a_place_on_the_screen() -> None:
    """A baseline may document any catalogue key: each has a path, even without a label."""
    from checks.settings import screens
    from checks.settings.catalogue import SETTINGS

    for key in SETTINGS:
        entry = _screen()["settings"].get(key, {"path_fr": "Réglages › Annuaire LDAP/AD"})
        # tmpdir: the screen has no field for it (an environment setting of the server)
        assert screens.reach(key).startswith(f"« {entry.get('path_fr') or 'Réglages'}"), key
        assert screens.reach_for_client(key, "PC-1").startswith("« Réglages"), key
    assert screens.reach("alert_params") == "« Réglages › Général › Alertes »"
