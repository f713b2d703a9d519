"""A connection the server closes without answering: which requests go out again, and which
never do.

A real UrBackup keeps a static file's connection open and may close it as an API call goes out
on it (recording M03); a reverse proxy may do the same with API connections. The client reads
static files on connections of their own, sends every request it never repeats (salt, login,
saves) on a connection of its own, and sends a read once more, on a new connection, when it
got no answer at all. The emulator counts what it received, by settings page or action.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from checks import errors
from checks.appliance.client import RETRIED_READS, UrBackupClient
from checks.appliance.model import Use
from checks.appliance.transport import NoAnswer
from checks.emulator import Emulator, Fault
from tests.conftest import PASSWORD

StartEmulator = Callable[..., Emulator]

READS: dict[str, Callable[[UrBackupClient], Any]] = {
    "status": UrBackupClient.status,
    "general": UrBackupClient.general_settings,
    "mail": UrBackupClient.mail_settings,
    "listusers": UrBackupClient.web_users,
    "clientsettings": lambda client: client.client_settings(1),
}
"""Each read an audit makes, by the name the emulator counts it under."""

SAVES: dict[str, Callable[[UrBackupClient], Any]] = {
    "general_save": lambda client: client.save_general({"max_active_clients": 42}),
    "mail_save": lambda client: client.save_mail({"mail_servername": "smtp.exemple.fr"}),
    "clientsettings_save": lambda client: client.save_client_settings(
        2, {"update_freq_incr": 7200}, {"update_freq_incr": Use.OWN}),
}


def logged_in(emulator: Emulator) -> UrBackupClient:
    client = UrBackupClient(emulator.url, password=PASSWORD)
    client.login()
    return client


def test_the_reads_retried_are_the_reads_of_an_audit() -> None:
    assert {read.removeprefix("settings/") for read in RETRIED_READS} == set(READS)


def test_the_version_read_leaves_no_connection_for_an_api_call(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator(faults=[Fault("reused")])
    with logged_in(emulator) as client:
        version = client.server_version()
        assert version is not None and version.text == "2.5.33"
        assert client.status()["status"]
        assert client.server_version() == version
        assert client.general_settings()["max_active_clients"]
    assert emulator.served("status") == 1, "jamais envoyé sur la connexion du script"
    assert emulator.served("general") == 1


@pytest.mark.parametrize("page", sorted(READS))
def test_a_read_that_got_no_answer_is_sent_once_more(
    start_emulator: StartEmulator, caplog: pytest.LogCaptureFixture, page: str,
) -> None:
    emulator = start_emulator(faults=[Fault("drop", frozenset({page}), times=1)])
    with logged_in(emulator) as client, caplog.at_level(logging.DEBUG):
        assert READS[page](client)
    assert emulator.served(page) == 2
    (retry,) = [r for r in caplog.records if "nouvel essai" in r.getMessage()]
    assert retry.levelno == logging.DEBUG
    assert retry.getMessage().startswith(f"{emulator.url} : « ")


def test_a_read_is_sent_twice_at_most(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("drop", frozenset({"status"}))])
    with logged_in(emulator) as client, pytest.raises(NoAnswer) as raised:
        client.status()
    assert str(raised.value) == (f"La connexion à {emulator.url} a été coupée avant toute "
                                 "réponse (fermée par le serveur).")
    assert emulator.served("status") == 2


def test_a_reset_before_any_answer_is_no_answer_too(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("reset", frozenset({"status"}), times=1)])
    with logged_in(emulator) as client:
        assert client.status()["status"]
    assert emulator.served("status") == 2


@pytest.mark.parametrize("page", sorted(SAVES))
def test_a_save_that_got_no_answer_is_never_sent_again(
    start_emulator: StartEmulator, page: str,
) -> None:
    emulator = start_emulator(faults=[Fault("drop", frozenset({page}), times=1)])
    with logged_in(emulator) as client:
        before = (client.general_settings(), client.mail_settings(),
                  client.client_settings(2).settings["update_freq_incr"])
        with pytest.raises(NoAnswer):
            SAVES[page](client)
        after = (client.general_settings(), client.mail_settings(),
                 client.client_settings(2).settings["update_freq_incr"])
    assert emulator.served(page) == 1
    assert after[1:] == before[1:]
    assert after[0]["max_active_clients"] == before[0]["max_active_clients"]


def test_a_test_mail_that_got_no_answer_is_never_sent_again(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator(faults=[Fault("drop", frozenset({"mail_save"}), times=1)])
    with logged_in(emulator) as client, pytest.raises(NoAnswer):
        client.send_test_mail("technicien@exemple.fr")
    assert emulator.served("mail_save") == 1
    assert emulator.state.mail_log == []


@pytest.mark.parametrize("step", ["salt", "login"])
def test_a_login_that_got_no_answer_is_never_sent_again(
    start_emulator: StartEmulator, step: str,
) -> None:
    emulator = start_emulator(faults=[Fault("drop", frozenset({step}), times=1)])
    client = UrBackupClient(emulator.url, password=PASSWORD)
    with client, pytest.raises(NoAnswer):
        client.login()
    assert (emulator.served("salt"), emulator.served("login")) == (
        1, 0 if step == "salt" else 1)
    assert emulator.requests_served == (1 if step == "salt" else 2)


def test_behind_a_keep_alive_proxy_only_reads_meet_a_kept_connection(
    start_emulator: StartEmulator,
) -> None:
    """Every kept connection dropped: the login still goes through (never on one), and each
    read that met one goes out again on a new connection."""
    emulator = start_emulator(keep_alive=True, faults=[Fault("reused")])
    with logged_in(emulator) as client:
        for read in READS.values():
            assert read(client)
        client.save_general({"max_active_clients": 42})
    assert (emulator.served("salt"), emulator.served("login")) == (1, 1)
    assert emulator.served("general_save") == 1
    assert sum(emulator.served(page) for page in READS) > len(READS), "des lectures relancées"


def test_an_answer_cut_short_is_not_sent_again(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(keep_alive=True, faults=[Fault("truncate", frozenset({"status"}))])
    with logged_in(emulator) as client, pytest.raises(errors.ConnectionDropped) as raised:
        client.status()
    assert type(raised.value) is errors.ConnectionDropped
    assert "coupée avant la fin de la réponse" in str(raised.value)
    assert emulator.served("status") == 1


def test_a_read_timeout_is_not_sent_again(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("stall", frozenset({"status"}), seconds=1.0)])
    client = UrBackupClient(emulator.url, password=PASSWORD, read_timeout=0.3)
    client.login()
    with client, pytest.raises(errors.RequestTimeout):
        client.status()
    assert emulator.served("status") == 1
