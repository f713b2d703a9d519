"""Every read and every write of the client (those an audit, a snapshot or `fix` makes),
round-tripped through the emulator over HTTP; the `use` bits of a per-client setting decoded;
group inheritance."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from checks import errors
from checks.appliance.client import UrBackupClient
from checks.appliance.model import ClientSetting, ClientSettings, Use
from checks.emulator import Emulator
from tests.conftest import PASSWORD

StartEmulator = Callable[..., Emulator]


@pytest.fixture
def client(emulator: Emulator) -> Iterator[UrBackupClient]:
    with UrBackupClient(emulator.url, password=PASSWORD) as logged_in:
        logged_in.login()
        yield logged_in


def login(emulator: Emulator) -> UrBackupClient:
    client = UrBackupClient(emulator.url, password=PASSWORD)
    client.login()
    return client


# --- reads --------------------------------------------------------------------------------


def test_status(client: UrBackupClient, emulator: Emulator) -> None:
    status = client.status()
    assert status["server_identity"] == emulator.state.server_identity
    rows = {row["name"]: row for row in status["status"]}
    assert set(rows) == {"PC-ACCUEIL", "PC-COMPTA", "SRV-FICHIERS", "SRV-INTRANET"}
    assert rows["PC-ACCUEIL"]["file_ok"] is True
    assert rows["PC-ACCUEIL"]["ip"] == "192.168.10.21"


def test_status_of_late_backups(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("sauvegardes-en-retard")
    with login(emulator) as client:
        status = client.status()
    assert status["nospc_stalled"] is True
    rows = {row["name"]: row for row in status["status"]}
    assert rows["PC-ACCUEIL"]["file_ok"] is True
    assert rows["PC-DIRECTION"]["image_ok"] is False
    assert rows["PC-ATELIER"]["file_ok"] is False
    assert rows["PC-ATELIER"]["last_filebackup_issues"] == 3


def test_general_settings(client: UrBackupClient, emulator: Emulator) -> None:
    general = client.general_settings()
    assert general["backup_window_incr_file"] == {
        "value": emulator.state.global_value("backup_window_incr_file")}
    assert isinstance(general["max_active_clients"], int)
    assert general["alert_scripts"], "la liste des scripts d'alerte"


def test_mail_settings(client: UrBackupClient) -> None:
    mail = client.mail_settings()
    assert mail["mail_servername"] == "smtp.inspee.re"
    assert set(mail) >= {"mail_serverport", "mail_from", "mail_admin_addrs", "mail_password"}


def test_web_users(client: UrBackupClient) -> None:
    assert [u["name"] for u in client.web_users()] == ["admin"]
    assert client.web_users()[0]["rights"] == [{"domain": "all", "right": "all"}]


def test_server_version(client: UrBackupClient) -> None:
    version = client.server_version()
    assert version is not None
    assert (version.number, version.text) == (2005003300, "2.5.33")


def test_independent_reads_in_parallel(client: UrBackupClient) -> None:
    results = client.run_parallel({
        "status": client.status,
        "general": client.general_settings,
        "mail": client.mail_settings,
        "users": client.web_users,
        "c1": lambda: client.client_settings(1),
    })
    mail, settings = results["mail"], results["c1"]
    assert isinstance(mail, dict) and mail["mail_servername"] == "smtp.inspee.re"
    assert isinstance(settings, ClientSettings) and settings.clientname == "PC-ACCUEIL"
    assert client.run_parallel({}) == {}


def test_the_first_error_of_parallel_reads_wins(client: UrBackupClient,
                                                emulator: Emulator) -> None:
    emulator.state.expire_sessions()
    with pytest.raises(errors.SessionExpired):
        client.run_parallel({"status": client.status, "general": client.general_settings})


# --- use bits and inheritance -----------------------------------------------------------


def test_use_bits_are_decoded(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("datis-derive")
    with login(emulator) as client:
        compta = client.client_settings(2)
    assert compta.clientname == "SRV-COMPTA" and compta.group_id == 0
    inherited = compta.settings["max_file_full"]
    assert inherited.use is Use.INHERIT and not inherited.overridden
    assert inherited.effective == inherited.value_group
    own = compta.settings["update_freq_incr"]
    assert own.use is Use.OWN and own.overridden and not own.pushed_by_client
    assert own.effective == "86400" != own.value_group
    pushed = compta.settings["max_file_incr"]
    assert pushed.use is Use.CLIENT and pushed.pushed_by_client
    assert pushed.effective == pushed.value_client == 20
    assert {s.key for s in compta.overrides()} >= {"update_freq_incr", "max_file_incr"}


def test_a_mergeable_key_combines_group_and_own_values(client: UrBackupClient) -> None:
    client.save_general({"default_dirs": "C:\\Users"})
    client.save_client_settings(1, {"default_dirs": "D:\\Compta"},
                                {"default_dirs": Use.INHERIT | Use.OWN})
    dirs = client.client_settings(1).settings["default_dirs"]
    assert dirs.use == Use.INHERIT | Use.OWN
    assert dirs.effective == "C:\\Users;D:\\Compta"


def test_secret_values_are_masked_in_a_setting_repr(client: UrBackupClient) -> None:
    authkey = client.client_settings(1).settings["internet_authkey"]
    assert authkey.value and str(authkey.value) not in repr(authkey)
    assert "masquées" in repr(authkey)
    plain = ClientSetting("max_file_incr", Use.OWN, 5)
    assert "value=5" in repr(plain)


def test_group_inheritance(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    emulator.state.add_group(1, "serveurs")
    with login(emulator) as client:
        client.save_client_settings(-1, {"max_file_full": 9}, {"max_file_full": Use.OWN})
        group = client.client_settings(-1)
        assert group.settings["max_file_full"].use is Use.OWN
        assert group.settings["max_file_full"].value == 9
        before = client.client_settings(3).settings["max_file_full"]
        assert before.value_group != 9
        client.save_client_settings(3, {"memberof": 1}, {})
        member = client.client_settings(3)
        assert member.group_id == 1
        assert member.settings["max_file_full"].use is Use.INHERIT
        assert member.settings["max_file_full"].value_group == 9
        assert member.settings["max_file_full"].effective == 9
        rows = {row["name"]: row for row in client.status()["status"]}
        assert rows["SRV-FICHIERS"]["groupname"] == "serveurs"


# --- writes -------------------------------------------------------------------------------


def test_general_save_round_trip(client: UrBackupClient) -> None:
    answer = client.save_general({"max_active_clients": 42, "backup_window_incr_file":
                                  "1-5/8-18", "autoshutdown": True})
    assert answer["saved_ok"] is True
    general = client.general_settings()
    assert general["max_active_clients"] == 42
    assert general["autoshutdown"] is True
    assert general["backup_window_incr_file"] == {"value": "1-5/8-18"}


def test_mail_save_without_test_mail(client: UrBackupClient, emulator: Emulator) -> None:
    answer = client.save_mail({"mail_servername": "smtp.exemple.fr", "mail_serverport": 587})
    assert answer["saved_ok"] is True and "mail_test" not in answer
    assert client.mail_settings()["mail_servername"] == "smtp.exemple.fr"
    assert client.mail_settings()["mail_serverport"] == "587"
    assert emulator.state.mail_log == []


def test_a_test_mail_is_one_mail_and_changes_no_setting(client: UrBackupClient,
                                                         emulator: Emulator) -> None:
    before = client.mail_settings()
    answer = client.send_test_mail("technicien@exemple.fr")
    assert answer["mail_test"] == "ok"
    assert emulator.state.mail_log == ["technicien@exemple.fr"]
    assert client.mail_settings() == before


def test_mail_test_without_server_reports_the_failure(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("messagerie-absente")
    with login(emulator) as client:
        answer = client.send_test_mail("technicien@exemple.fr")
    assert answer["mail_test"].startswith("Error: Sending mail failed")
    assert emulator.state.mail_log == []


def test_client_settings_save_round_trip(client: UrBackupClient) -> None:
    answer = client.save_client_settings(2, {"update_freq_incr": 7200},
                                         {"update_freq_incr": Use.OWN})
    assert answer["saved_ok"] is True
    setting = client.client_settings(2).settings["update_freq_incr"]
    assert setting.use is Use.OWN and str(setting.value) == "7200"
    client.save_client_settings(2, {}, {"update_freq_incr": Use.INHERIT})
    back = client.client_settings(2).settings["update_freq_incr"]
    assert back.use is Use.INHERIT
    assert back.effective == back.value_group


def test_saving_for_an_unknown_client_is_refused(client: UrBackupClient) -> None:
    with pytest.raises(errors.AccessDenied):
        client.save_client_settings(99, {"max_file_full": 3}, {"max_file_full": Use.OWN})
    with pytest.raises(errors.AccessDenied):
        client.client_settings(99)


def test_a_full_read_costs_one_request_per_call(client: UrBackupClient) -> None:
    before = client.request_count
    client.status()
    client.general_settings()
    client.mail_settings()
    client.client_settings(1)
    client.server_version()
    assert client.request_count - before == 5
