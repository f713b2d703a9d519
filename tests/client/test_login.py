"""Every way a login can end, over real HTTP against the emulator.

The contract (checks/client.py): one attempt, never retried; an open appliance (no admin
account) is reported as a fact, refused unless asked for, and recorded in `login_info`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checks import errors
from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator, Fault
from checks.emulator.records import BAN_THRESHOLD
from tests.conftest import PASSWORD

LOCAL = "127.0.0.1"
StartEmulator = Callable[..., Emulator]


def failures(emulator: Emulator) -> int:
    return len(emulator.state.failures.get(LOCAL, ()))


def assert_no_session(client: UrBackupClient) -> None:
    """A failed login leaves no session: the next read is refused before any request."""
    before = client.request_count
    with pytest.raises(errors.SessionExpired, match="connectez-vous d'abord"):
        client.status()
    assert client.request_count == before


def test_salt_and_pbkdf2_proof_open_an_admin_session(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        info = client.login()
        assert info is client.login_info
        assert not info.open_access
        assert info.rights["settings"] == "all"
        assert "success" not in info.rights and "api_version" not in info.rights
        assert client.request_count == 2, "salt puis login : deux allers-retours"
        assert emulator.requests_served == 2
        assert client.status()["status"]
    assert failures(emulator) == 0
    logged_in = [s for s in emulator.state.sessions.values() if s.logged_in]
    assert [s.user for s in logged_in] == ["admin"]


def test_a_limited_account_gets_its_own_rights(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    emulator.state.add_web_user("lecteur", "lecture-seule",
                                [{"domain": "status", "right": "1"},
                                 {"domain": "settings", "right": "1"}])
    with UrBackupClient(emulator.url, username="lecteur", password="lecture-seule") as client:
        info = client.login()
    assert info.rights["status"] == "1"
    assert info.rights["logs"] == "none"


def test_the_password_is_not_kept_after_the_login(emulator: Emulator) -> None:
    client = UrBackupClient(emulator.url, password=PASSWORD)
    client.login()
    assert PASSWORD not in repr(vars(client))
    client.close()


def test_an_open_appliance_is_reported_and_refused(start_emulator: StartEmulator) -> None:
    emulator = start_emulator("sans-admin")
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        with pytest.raises(errors.OpenAppliance) as raised:
            client.login()
        assert "aucun compte administrateur" in str(raised.value)
        assert raised.value.exit_code == errors.ExitCode.CANNOT_AUDIT
        assert client.login_info is None
        with pytest.raises(errors.SessionExpired):
            client.status()
        assert client.request_count == 2, "salt, puis la sonde de connexion anonyme"
    assert emulator.requests_served == 2


def test_an_open_appliance_is_used_only_when_asked_and_then_recorded(
    start_emulator: StartEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = start_emulator("sans-admin")
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        info = client.login(allow_open=True)
        assert info.open_access
        assert client.login_info is not None and client.login_info.open_access
        assert [c["name"] for c in client.status()["status"]] == ["PC-ACCUEIL"]
    assert "aucun compte administrateur" in caplog.text


def test_a_wrong_password_is_one_failure_never_retried(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    with UrBackupClient(emulator.url, password="mauvais") as client:
        with pytest.raises(errors.WrongPassword) as raised:
            client.login()
        assert_no_session(client)
        assert client.request_count == 2
    assert "Mot de passe refusé pour « admin »" in str(raised.value)
    assert "Aucune nouvelle tentative" in str(raised.value)
    assert emulator.requests_served == 2, "aucune nouvelle tentative"
    assert failures(emulator) == 1


def test_an_unknown_user_is_reported_after_the_anonymous_probe(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator()
    with UrBackupClient(emulator.url, username="fantome", password=PASSWORD) as client:
        with pytest.raises(errors.UnknownUser) as raised:
            client.login()
        assert client.request_count == 2
    assert "L'utilisateur « fantome » n'existe pas" in str(raised.value)
    assert emulator.requests_served == 2
    assert failures(emulator) == 1, "UrBackup compte le sel d'un inconnu comme un échec"


def test_a_banned_address_is_reported_without_trying_the_password(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator()
    for _ in range(BAN_THRESHOLD + 1):
        emulator.state.record_failure(LOCAL)
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        with pytest.raises(errors.AddressBanned) as raised:
            client.login()
        assert client.request_count == 1, "le sel suffit à savoir l'adresse bannie"
    assert "banni cette adresse pour 10 minutes" in str(raised.value)
    assert emulator.requests_served == 1


def login_error(url: str, password: str) -> errors.DatisError:
    client = UrBackupClient(url, password=password)
    with client, pytest.raises(errors.DatisError) as raised:
        client.login()
    return raised.value


def test_the_eleventh_failure_bans_the_address(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    for _ in range(BAN_THRESHOLD - 1):
        emulator.state.record_failure(LOCAL)
    assert type(login_error(emulator.url, "mauvais")) is errors.WrongPassword
    assert not emulator.state.banned(LOCAL), "dix échecs : pas encore banni"
    assert type(login_error(emulator.url, "mauvais")) is errors.WrongPassword
    assert emulator.state.banned(LOCAL)
    assert type(login_error(emulator.url, PASSWORD)) is errors.AddressBanned


def test_a_ban_met_at_the_login_step_is_reported(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("error", frozenset({"login"}), times=1, code=3)])
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        with pytest.raises(errors.AddressBanned):
            client.login()
        assert_no_session(client)


def test_a_session_lost_during_the_login_is_reported(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("error", frozenset({"login"}), times=1, code=1)])
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        with pytest.raises(errors.SessionExpired) as raised:
            client.login()
        assert_no_session(client)
    assert "n'a pas reconnu la session de connexion" in str(raised.value)
    assert emulator.requests_served == 2


def test_an_expired_session_is_reported_on_the_next_read(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        client.status()
        emulator.state.expire_sessions()
        with pytest.raises(errors.SessionExpired) as raised:
            client.general_settings()
        served = emulator.requests_served
    assert "a expiré ou n'est pas reconnue" in str(raised.value)
    assert "settings" in str(raised.value)
    assert served == 4, "pas de reconnexion silencieuse"


def test_an_idle_session_expires(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        emulator.state.session_idle_seconds = -1
        with pytest.raises(errors.SessionExpired):
            client.status()


def test_reading_before_any_login_sends_nothing(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        with pytest.raises(errors.SessionExpired, match="connectez-vous d'abord"):
            client.status()
        assert client.request_count == 0
    assert emulator.requests_served == 0


def test_a_missing_password_is_a_usage_error(emulator: Emulator) -> None:
    with UrBackupClient(emulator.url) as client, pytest.raises(errors.UsageError) as raised:
        client.login()
    assert raised.value.exit_code == errors.ExitCode.USAGE
    assert "Mot de passe manquant" in str(raised.value)
    assert failures(emulator) == 0


@pytest.mark.parametrize("keep_alive", [False, True])
def test_login_over_both_transports(start_emulator: StartEmulator, keep_alive: bool) -> None:
    emulator = start_emulator(keep_alive=keep_alive)
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        assert client.mail_settings()["mail_servername"]
