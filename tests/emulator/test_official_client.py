"""A second, independent client: the official `urbackup-server-web-api-wrapper` (module
`urbackup_api`) logs into the emulator and reads what our own client reads.

It logs in its own way (anonymous probe first, then salt and PBKDF2 proof), sends form bodies
under a JSON content type, and parses the answers itself: if the emulator drifted from the
real protocol, this client would notice where ours, written against the same reading of
API.md, might not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from urbackup_api import urbackup_server

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from tests.conftest import PASSWORD

StartEmulator = Callable[..., Emulator]


def official(emulator: Emulator, password: str = PASSWORD) -> urbackup_server:
    return urbackup_server(f"{emulator.url}/x", "admin", password)


def ours(emulator: Emulator) -> UrBackupClient:
    client = UrBackupClient(emulator.url, password=PASSWORD)
    client.login()
    return client


def without_random_keys(settings: dict[str, Any]) -> dict[str, Any]:
    """internet_authkey is drawn anew for every answer, as on the real server."""
    return {k: v for k, v in settings.items() if k != "internet_authkey"}


def test_logs_in_with_admin_and_the_password(emulator: Emulator) -> None:
    server = official(emulator)
    assert server.login() is True
    logged_in = [s for s in emulator.state.sessions.values() if s.logged_in]
    assert [s.user for s in logged_in] == ["admin"]
    assert emulator.requests_served == 3, "sonde anonyme, sel, connexion"


def test_a_wrong_password_fails_its_login(emulator: Emulator) -> None:
    assert official(emulator, "pas-le-bon").login() is False
    assert len(emulator.state.failures["127.0.0.1"]) == 1


def test_on_an_open_appliance_it_takes_the_anonymous_session(
    start_emulator: StartEmulator,
) -> None:
    # The official client uses an open appliance silently; ours reports it (test_login.py).
    emulator = start_emulator("sans-admin")
    server = official(emulator, "n'importe quoi")
    assert server.login() is True
    assert [c["name"] for c in server.get_status() or []] == ["PC-ACCUEIL"]


def test_reads_the_status_as_our_client_does(emulator: Emulator) -> None:
    server = official(emulator)
    status = server.get_status()
    assert status is not None
    with ours(emulator) as client:
        assert status == client.status()["status"]
    result = server.get_status_result()
    assert result is not None
    assert [c.name for c in result.status] == [
        "PC-ACCUEIL", "PC-COMPTA", "SRV-FICHIERS", "SRV-INTRANET"]
    assert server.get_server_identity() == emulator.state.server_identity


def test_reads_the_global_settings_as_our_client_does(emulator: Emulator) -> None:
    settings = official(emulator).get_global_settings()
    assert settings is not None
    with ours(emulator) as client:
        assert without_random_keys(settings) == without_random_keys(client.general_settings())
    assert settings["update_freq_incr"] == {"value": emulator.state.global_value(
        "update_freq_incr")}


def test_reads_mail_and_ldap_settings(emulator: Emulator) -> None:
    server = official(emulator)
    mail = server.get_mail_settings()
    ldap = server.get_ldap_settings()
    assert mail is not None and ldap is not None
    with ours(emulator) as client:
        assert mail["settings"] == client.mail_settings()
    assert ldap["settings"]["ldap_login_enabled"] is False


@pytest.mark.parametrize("clientname", ["PC-ACCUEIL", "SRV-COMPTA"])
def test_reads_client_settings_and_their_use_bits(start_emulator: StartEmulator,
                                                  clientname: str) -> None:
    emulator = start_emulator("datis-derive")
    settings = official(emulator).get_client_settings(clientname)
    assert settings is not None
    with ours(emulator) as client:
        (clientid,) = [c["id"] for c in client.status()["status"] if c["name"] == clientname]
        decoded = client.client_settings(clientid)
    assert settings["clientname"] == decoded.clientname
    for key, setting in decoded.settings.items():
        if key == "internet_authkey":
            continue
        assert settings[key]["use"] == int(setting.use), key
        assert settings[key].get("value") == setting.value, key
        assert settings[key]["value_group"] == setting.value_group, key
    overridden = {k for k, v in settings.items() if isinstance(v, dict) and v.get("use", 1) != 1}
    assert overridden == {s.key for s in decoded.overrides()}


def test_the_client_overriding_the_plan_is_seen_by_both(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("datis-derive")
    settings = official(emulator).get_client_settings("SRV-COMPTA")
    assert settings is not None
    assert settings["update_freq_incr"]["use"] == 2
    assert settings["max_file_incr"]["use"] == 4


def test_reads_clients_users_usage_and_backups(emulator: Emulator) -> None:
    server = official(emulator)
    clients = server.get_clients()
    users = server.get_users()
    usage = server.get_usage()
    assert clients is not None and users is not None and usage is not None
    with ours(emulator) as client:
        assert [(c.id, c.name) for c in clients] == [(c["id"], c["name"])
                                                      for c in client.status()["status"]]
        assert users == client.web_users()
    rows = {row["name"]: row for row in usage}
    assert rows["PC-ACCUEIL"]["used"] == rows["PC-ACCUEIL"]["files"] + rows[
        "PC-ACCUEIL"]["images"] > 0
    backups = server.get_backups(1)
    assert backups is not None
    times = [b.backuptime for b in backups.backups]
    assert len(times) == 3 and times == sorted(times, reverse=True)


def test_its_writes_are_read_back_by_our_client(emulator: Emulator) -> None:
    server = official(emulator)
    assert server.set_global_setting("max_active_clients", "321") is True
    assert server.change_client_setting("PC-COMPTA", "max_file_full", "7") is True
    with ours(emulator) as client:
        assert client.general_settings()["max_active_clients"] == 321
        (compta,) = [c["id"] for c in client.status()["status"] if c["name"] == "PC-COMPTA"]
        assert client.client_settings(compta).settings["max_file_full"].effective == 7
