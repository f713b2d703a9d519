"""The settings catalogue is data, and the data agrees with UrBackup's settings reference.

`tests/fixtures/urbackup/SETTINGS.md` is the project's copy of the reference (derived from
the UrBackup 2.5.33 source, checked against the running server). The keys are read from it
here by a plain pattern, independently of the script that writes `checks/data/settings.json`.
"""

from __future__ import annotations

import json
import re
import tomllib

from checks.emulator.records import ALERT_SCRIPTS, DEFAULTS, MAIL_DEFAULTS
from checks.settings import catalogue, screens
from checks.settings.catalogue import SETTINGS, Kind, Store
from scripts import settings_catalogue
from tests.conftest import ROOT

REFERENCE = (ROOT / "tests" / "fixtures" / "urbackup" / "SETTINGS.md").read_text("utf-8")
NAMES = tomllib.loads((ROOT / "scripts" / "settings_names.toml").read_text("utf-8"))
UI = json.loads((ROOT / "checks" / "data" / "ui-fr.json").read_text("utf-8"))["settings"]
SECRETS = {"mail_password", "internet_authkey", "restore_authkey",
           "client_settings_tray_access_pw", "alert_params"}


def _reference_keys() -> dict[str, Store]:
    """Each key of the reference's sections 2 (general), 3 (client), 4 (mail), 5 (LDAP)."""
    found: dict[str, Store] = {}
    parts = re.split(r"^## (\d)\. ", REFERENCE, flags=re.M)
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        store = {"2": Store.GENERAL, "3": Store.CLIENT, "4": Store.MAIL,
                 "5": Store.LDAP}.get(number)
        if store is None:
            continue
        pattern = r"`(ldap_\w+)`\s*\(" if store is Store.LDAP else r"^\| `(\w+)` \|"
        for key in re.findall(pattern, body, flags=re.M):
            found[key] = store
    return found


def test_the_data_file_is_what_the_script_writes_from_the_reference() -> None:
    committed = (ROOT / "checks" / "data" / "settings.json").read_text("utf-8")
    assert committed == settings_catalogue.generated(), \
        "relancez .venv/bin/python scripts/settings_catalogue.py"


def test_every_setting_of_the_reference_is_in_the_catalogue_with_its_store() -> None:
    reference = _reference_keys()
    assert len(reference) == 130
    assert {key: s.store for key, s in SETTINGS.items()} == reference


def test_the_store_agrees_with_the_screen_s_api_calls() -> None:
    for key, entry in UI.items():
        if key == "memberof":  # the client's group: a field of the page, not a setting
            continue
        api = entry["api"]
        expected = (Store.MAIL if "sa=mail" in api else
                    Store.CLIENT if "sa=clientsettings" in api else Store.GENERAL)
        assert SETTINGS[key].store is expected, key


def test_secrets_are_decided_safely_and_checked_one_by_one() -> None:
    assert catalogue.SECRET_KEYS == SECRETS
    for key, setting in SETTINGS.items():
        said = settings_catalogue.name_says_secret(key) or \
            UI.get(key, {}).get("control") == "password"
        if said and not setting.secret:
            assert NAMES[key]["secret"] is False, key  # only an explicit decision unmasks
        if setting.secret:
            assert setting.default is None, key
    assert catalogue.is_secret("a_new_api_token") and catalogue.is_secret("smtp_passwd")
    assert not catalogue.is_secret("ldap_group_key_name")


def test_kinds_follow_the_reference() -> None:
    assert SETTINGS["update_freq_incr"].kind is Kind.SECONDS
    assert SETTINGS["startup_backup_delay"].kind is Kind.SECONDS
    assert SETTINGS["silent_update"].kind is Kind.BOOL
    assert SETTINGS["max_sim_backups"].kind is Kind.COUNT
    assert SETTINGS["cleanup_window"].kind is Kind.WINDOW
    assert SETTINGS["internet_incr_file_transfer_mode"].choices == ("raw", "hashed",
                                                                    "blockhash")
    assert SETTINGS["ldap_server_port"].default == 3268
    assert SETTINGS["ldap_username_prefix"].default == "example\\"


def test_a_key_without_our_own_name_shows_the_screen_s_label() -> None:
    spot = screens.field("global_soft_fs_quota")
    assert spot is not None
    assert SETTINGS["global_soft_fs_quota"].label == spot.label
    assert spot.label == "Quota global pour les sauvegardes"
    assert SETTINGS["mail_servername"].label == "Serveur SMTP"


def test_the_emulator_s_defaults_are_the_catalogue_s() -> None:
    """A fresh emulator answers the built-in defaults of the data (secrets: unset)."""
    parts = {"global": Store.GENERAL, "per_client": Store.CLIENT, "ldap": Store.LDAP}
    for part, store in parts.items():
        wanted = {k: ("" if s.secret else s.default) for k, s in SETTINGS.items()
                  if s.store is store}
        internal = {"client_set_settings"}  # returned in answers, never a setting
        assert {k: v for k, v in DEFAULTS[part].items() if k not in internal} == wanted, part
    mail = {k: ("" if s.secret else s.default) for k, s in SETTINGS.items()
            if s.store is Store.MAIL}
    assert mail == MAIL_DEFAULTS
    assert ALERT_SCRIPTS  # the alert scripts are the server's list, not settings
