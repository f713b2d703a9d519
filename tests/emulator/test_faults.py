"""Fault injection: every fault kind as seen on the wire, its action filter, its `@n` count,
and the added latency; the requests counted by settings page, action or path."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from checks.emulator import Emulator, Fault
from checks.emulator.faults import FAULT_KINDS
from tests.emulator.replay import Answer, Replayer
from tests.emulator.test_cli import start

StartEmulator = Callable[..., Emulator]


def fetch(emulator: Emulator, action: str, ses: str = "", timeout: float = 5.0) -> Answer:
    url = urlsplit(emulator.url)
    assert url.hostname is not None and url.port is not None
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        body = f"ses={ses}".encode() if ses else None
        connection.request("POST", f"/x?a={action}", body=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return Answer(response.status, response.reason, response.getheaders(), response.read())
    finally:
        connection.close()


def logged_in(emulator: Emulator) -> str:
    return Replayer(emulator).admin_session()


def test_every_fault_kind_is_tested() -> None:
    tested = {"slow", "stall", "drop", "reset", "html", "html200", "truncate", "empty",
              "redirect", "huge", "wrong_types", "error", "http500", "body", "reused"}
    assert tested == set(FAULT_KINDS)


def test_without_fault_the_answer_is_a_normal_status(emulator: Emulator) -> None:
    answer = fetch(emulator, "status", logged_in(emulator))
    assert answer.status == 200 and answer.header("Content-Type") == "application/json"
    assert answer.json()["status"][0]["name"] == "PC-ACCUEIL"


def test_slow_sends_the_whole_answer_byte_by_byte(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    ses = logged_in(emulator)
    normal = fetch(emulator, "usage", ses).json()
    emulator.faults.add(Fault("slow", frozenset({"usage"}), seconds=0.2))
    answer = fetch(emulator, "usage", ses)
    assert answer.status == 200
    assert answer.json() == normal
    assert answer.header("Content-Length") is None, "lu jusqu'à la fermeture"


def test_stall_holds_the_answer_back(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("stall", frozenset({"status"}), seconds=1.0)])
    ses = logged_in(emulator)
    with pytest.raises(TimeoutError):
        fetch(emulator, "status", ses, timeout=0.1)
    emulator.faults.clear()
    assert fetch(emulator, "status", ses).status == 200


def test_stall_then_answers(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("stall", frozenset({"status"}), seconds=0.1)])
    answer = fetch(emulator, "status", logged_in(emulator))
    assert answer.status == 200 and answer.json()["status"]


@pytest.mark.parametrize("kind", ["drop", "reset"])
def test_drop_and_reset_close_without_an_answer(start_emulator: StartEmulator,
                                                kind: str) -> None:
    emulator = start_emulator(faults=[Fault(kind, frozenset({"status"}))])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        fetch(emulator, "status")


def static_then(connection: http.client.HTTPConnection, action: str) -> bytes:
    """The version script, then `action` on the same connection (kept open after a static
    file, as the real server keeps it: recording M03)."""
    connection.request("GET", "/js/urbackup.js")
    assert connection.getresponse().read().startswith(b"if(!window.g)")
    connection.request("POST", f"/x?a={action}")
    return connection.getresponse().read()


def test_reused_closes_a_kept_connection_without_an_answer(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator(faults=[Fault("reused")])
    url = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=5)
    with pytest.raises(http.client.RemoteDisconnected):
        static_then(connection, "status")
    connection.close()
    assert fetch(emulator, "status").json() == {"error": 1}, "une connexion neuve est servie"
    assert (emulator.served("/js/urbackup.js"), emulator.served("status")) == (1, 2)


def test_reused_spares_the_actions_it_does_not_aim_at(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault.parse("reused:usage")])
    url = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=5)
    try:
        assert json.loads(static_then(connection, "status")) == {"error": 1}
    finally:
        connection.close()


def test_reused_through_the_command_line() -> None:
    emulator = start("--fault", "reused@1", "--admin-password", "secret")
    try:
        connection = emulator.connection()
        with pytest.raises(http.client.RemoteDisconnected):
            static_then(connection, "status")
        connection.close()
        connection = emulator.connection()
        assert json.loads(static_then(connection, "status")) == {"error": 1}, "panne épuisée"
        connection.close()
    finally:
        assert emulator.stop()[0] == 0


def test_a_fault_can_aim_at_one_settings_page(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault.parse("error:general_save")])
    replayer = Replayer(emulator)
    ses = replayer.admin_session()
    assert "settings" in replayer.call("settings", sa="general", ses=ses).json()
    assert replayer.call("settings", sa="general_save", ses=ses).json() == {"error": 1}


def test_requests_are_counted_by_page_action_and_path(emulator: Emulator) -> None:
    replayer = Replayer(emulator)
    ses = replayer.admin_session()
    replayer.call("settings", sa="clientsettings", t_clientid="1", ses=ses)
    replayer.call("settings", sa="clientsettings", t_clientid="2", ses=ses)
    replayer.call("status", ses=ses)
    replayer.send("GET", "/js/urbackup.js")
    counts = {name: emulator.served(name) for name in (
        "salt", "login", "clientsettings", "status", "settings", "/js/urbackup.js")}
    assert counts == {"salt": 1, "login": 1, "clientsettings": 2, "status": 1, "settings": 0,
                      "/js/urbackup.js": 1}
    assert emulator.requests_served == 6


def test_truncate_with_a_length_closes_before_the_announced_end(
    start_emulator: StartEmulator,
) -> None:
    """Where answers carry a length (keep-alive), a cut answer is seen as cut."""
    emulator = start_emulator(keep_alive=True, faults=[Fault("truncate", frozenset({"status"}))])
    with pytest.raises(http.client.IncompleteRead):
        fetch(emulator, "status")


def test_html_is_a_proxy_error_page(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("html")])
    answer = fetch(emulator, "status")
    assert (answer.status, answer.reason) == (502, "Bad Gateway")
    assert answer.header("Content-Type") == "text/html"
    assert b"<h1>502 Bad Gateway</h1>" in answer.body


def test_body_is_sent_as_given(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("body", frozenset({"status"}), body=b"[]\xff")])
    answer = fetch(emulator, "status")
    assert (answer.status, answer.body) == (200, b"[]\xff")
    assert answer.header("Content-Type") == "application/json"


def test_html200_is_a_portal_page_with_status_200(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("html200")])
    answer = fetch(emulator, "status")
    assert answer.status == 200
    assert answer.header("Content-Type") == "text/html; charset=UTF-8"
    assert answer.body.startswith(b"<!DOCTYPE html>")


def test_truncate_cuts_the_json(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    ses = logged_in(emulator)
    whole = fetch(emulator, "status", ses).body
    emulator.faults.add(Fault("truncate", frozenset({"status"})))
    cut = fetch(emulator, "status", ses).body
    assert 0 < len(cut) < len(whole)
    assert whole.startswith(cut)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut)


def test_empty_is_a_200_without_body(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("empty")])
    answer = fetch(emulator, "status")
    assert answer.status == 200 and answer.body == b""
    assert answer.header("Content-Type") is None


def test_redirect_points_to_another_host(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("redirect")])
    answer = fetch(emulator, "status")
    assert answer.status == 302
    assert answer.header("Location") == "https://autre-hote.invalid/x"


def test_huge_sends_the_announced_size(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("huge", size_mb=1)])
    answer = fetch(emulator, "status")
    assert answer.status == 200
    assert len(answer.body) >= 1024 * 1024
    assert isinstance(json.loads(answer.body), list)


def test_wrong_types_keeps_the_keys_and_changes_the_types(start_emulator: StartEmulator) -> None:
    emulator = start_emulator()
    ses = logged_in(emulator)
    normal = fetch(emulator, "status", ses).json()
    emulator.faults.add(Fault("wrong_types", frozenset({"status"})))
    odd = fetch(emulator, "status", ses).json()
    assert odd.keys() == normal.keys()
    assert isinstance(odd["status"], str)
    assert odd["server_identity"] == [normal["server_identity"]]


def test_error_answers_the_chosen_urbackup_error(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("error", frozenset({"status"}), code=2)])
    answer = fetch(emulator, "status", logged_in(emulator))
    assert answer.status == 200 and answer.json() == {"error": 2}


def test_http500(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("http500")])
    answer = fetch(emulator, "status")
    assert answer.status == 500 and answer.body == b""


def test_the_action_filter_spares_other_actions(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault.parse("empty:status,usage")])
    ses = logged_in(emulator)
    assert fetch(emulator, "status", ses).body == b""
    assert fetch(emulator, "usage", ses).body == b""
    assert fetch(emulator, "lastacts", ses).json()["lastacts"]


def test_a_fault_can_aim_at_the_version_script(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(faults=[Fault("http500", frozenset({"/js/urbackup.js"}))])
    url = urlsplit(emulator.url)
    assert url.hostname is not None
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("GET", "/js/urbackup.js")
    assert connection.getresponse().status == 500
    connection.close()
    assert fetch(emulator, "status").status == 200


def test_a_counted_fault_is_used_up_by_its_own_actions_only(
    start_emulator: StartEmulator,
) -> None:
    emulator = start_emulator(faults=[Fault.parse("error:status@2")])
    ses = logged_in(emulator)
    assert fetch(emulator, "usage", ses).json()["usage"], "une autre action ne compte pas"
    assert fetch(emulator, "status", ses).json() == {"error": 1}
    assert fetch(emulator, "status", ses).json() == {"error": 1}
    assert fetch(emulator, "status", ses).json()["status"], "la panne est épuisée"


def test_faults_apply_in_order_and_can_be_added_and_cleared(emulator: Emulator) -> None:
    ses = logged_in(emulator)
    emulator.faults.add(Fault("http500", times=1))
    emulator.faults.add(Fault("empty", times=1))
    assert fetch(emulator, "status", ses).status == 500
    assert fetch(emulator, "status", ses).body == b""
    assert fetch(emulator, "status", ses).json()["status"]
    emulator.faults.add(Fault("empty"))
    emulator.faults.clear()
    assert fetch(emulator, "status", ses).json()["status"]


def test_latency_delays_every_request(start_emulator: StartEmulator) -> None:
    emulator = start_emulator(latency_ms=1000)
    with pytest.raises((TimeoutError, socket.timeout)):
        fetch(emulator, "status", timeout=0.1)
    emulator.faults.clear()
    assert emulator.faults.latency_ms == 0
    assert fetch(emulator, "status").json() == {"error": 1}


@pytest.mark.parametrize(("spec", "kind", "actions", "times"), [
    ("html", "html", None, None),
    ("truncate:status@1", "truncate", frozenset({"status"}), 1),
    ("error:status,settings", "error", frozenset({"status", "settings"}), None),
    ("stall@3", "stall", None, 3),
])
def test_fault_specs_parse(spec: str, kind: str, actions: frozenset[str] | None,
                           times: int | None) -> None:
    fault = Fault.parse(spec)
    assert (fault.kind, fault.actions, fault.times) == (kind, actions, times)


def test_an_unknown_fault_kind_is_refused_in_french() -> None:
    with pytest.raises(ValueError, match="Panne inconnue : 'fondue'"):
        Fault.parse("fondue:status")


def test_a_fault_count_must_be_a_whole_number() -> None:
    with pytest.raises(ValueError, match="Nombre de requêtes invalide après « @ »"):
        Fault.parse("truncate:status@deux")
