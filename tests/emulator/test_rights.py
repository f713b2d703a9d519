"""Limited accounts, over real HTTP: the emulator refuses them exactly as a real server does.

The recordings H01-H22 and L01-L07 (replayed in test_conformance.py) show one account; these
tests drive the bundled `compte-limite` scenario through every refusal an audit or a `fix`
can meet, and check that a refused write changes nothing and sends no mail.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from checks.emulator import Emulator
from tests.conftest import PASSWORD
from tests.emulator.replay import Replayer

StartEmulator = Callable[..., Emulator]
EXPIRED_SETTINGS = {"ONLY_WIN32_BEGIN": "<!--", "ONLY_WIN32_END": "-->", "error": 1}


@pytest.fixture
def limited(start_emulator: StartEmulator) -> Emulator:
    return start_emulator("compte-limite")


def session_of(replayer: Replayer, username: str) -> tuple[str, dict[str, Any]]:
    salt = replayer.salt(username)
    answer: dict[str, Any] = replayer.call(
        "login", username=username, password=replayer.proof(salt, PASSWORD), ses=salt["ses"]
    ).json()
    assert answer["success"] is True, answer
    return salt["ses"], answer


def test_the_login_lists_the_account_rights(limited: Emulator) -> None:
    replayer = Replayer(limited)
    _, supervision = session_of(replayer, "supervision")
    assert supervision == {"api_version": 2, "browse_backups": "none", "graph": "all",
                           "logs": "all", "progress": "all", "settings": "none",
                           "status": "all", "success": True}
    _, admin = session_of(replayer, "admin")
    assert {admin[d] for d in ("browse_backups", "graph", "settings", "status")} == {"all"}


@pytest.mark.parametrize("sa", ["", "general", "mail", "clientsettings", "listusers", "ldap",
                                "general_save", "mail_save", "clientsettings_save"])
def test_settings_without_the_right_answer_like_an_expired_session(limited: Emulator,
                                                                   sa: str) -> None:
    replayer = Replayer(limited)
    ses, _ = session_of(replayer, "supervision")
    params = {"ses": ses, "t_clientid": "1", "update_freq_incr": "60",
              "mail_servername": "pirate.invalid", "testmailaddr": "x@exemple.fr"}
    if sa:
        params["sa"] = sa
    before = copy.deepcopy((limited.state.rows, limited.state.mail))
    assert replayer.call("settings", **params).json() == EXPIRED_SETTINGS
    assert (limited.state.rows, limited.state.mail) == before
    assert limited.state.mail_log == []


def test_mail_settings_without_the_mail_right_answer_the_menu_only(limited: Emulator) -> None:
    replayer = Replayer(limited)
    ses, _ = session_of(replayer, "reglages")
    answer = replayer.call("settings", ses=ses, sa="mail").json()
    assert set(answer) == {"ONLY_WIN32_BEGIN", "ONLY_WIN32_END", "navitems"}
    assert "mail" not in answer["navitems"] and answer["navitems"]["general"] is True
    assert answer["navitems"]["clients"] == []
    saved = replayer.call("settings", ses=ses, sa="mail_save", mail_password="volé",
                          testmailaddr="x@exemple.fr").json()
    assert "settings" not in saved and "saved_ok" not in saved
    assert limited.state.mail["mail_password"] == "Relais-SMTP-demo-7731"
    assert limited.state.mail_log == []


def test_general_settings_with_their_right_are_read_and_saved(limited: Emulator) -> None:
    replayer = Replayer(limited)
    ses, _ = session_of(replayer, "reglages")
    answer = replayer.call("settings", ses=ses).json()
    assert answer["sa"] == "general" and "can_edit_scripts" not in answer["settings"]
    saved = replayer.call("settings", ses=ses, sa="general_save", max_sim_backups="3").json()
    assert saved["saved_ok"] is True and saved["settings"]["max_sim_backups"] == 3
    assert replayer.call("settings", ses=ses, sa="clientsettings",
                         t_clientid="1").json() == {
        "ONLY_WIN32_BEGIN": "<!--", "ONLY_WIN32_END": "-->", "navitems": answer["navitems"]}


def test_status_without_its_right_is_an_empty_appliance(limited: Emulator) -> None:
    replayer = Replayer(limited)
    admin, _ = session_of(replayer, "admin")
    assert len(replayer.call("status", ses=admin).json()["status"]) == 2
    limited.state.update_rights(3, [{"domain": "settings", "right": "all"}])
    ses, login = session_of(replayer, "reglages")
    assert login["status"] == "none"
    answer = replayer.call("status", ses=ses).json()
    assert answer == {"extra_clients": [], "no_file_backups": False, "no_images": False,
                      "server_identity": "D4T1S1A2L1m1t3xyz0k", "status": []}


def test_status_with_its_right_lacks_only_the_admin_keys(limited: Emulator) -> None:
    replayer = Replayer(limited)
    admin = replayer.call("status", ses=session_of(replayer, "admin")[0]).json()
    viewer = replayer.call("status", ses=session_of(replayer, "supervision")[0]).json()
    assert set(admin) - set(viewer) == {"admin", "allow_add_client", "remove_client"}
    assert admin["status"] == viewer["status"]


@pytest.mark.parametrize(("action", "params", "body"), [
    ("users", {}, b'{\n"error": 1\n}\n'),
    ("backups", {"sa": "backups", "clientid": "1"}, b'{\n"error": 1\n}\n'),
    ("start_backup", {"start_client": "1", "start_type": "incr_file"}, b""),
    ("add_client", {"clientname": "PC-INTRUS"}, b'{\n"error": 1\n}\n'),
])
def test_other_actions_without_their_right(limited: Emulator, action: str,
                                           params: dict[str, str], body: bytes) -> None:
    replayer = Replayer(limited)
    ses, _ = session_of(replayer, "supervision")
    assert replayer.call(action, ses=ses, **params).body == body
    assert sorted(c.name for c in limited.state.clients.values()) == ["PC-ACCUEIL", "PC-COMPTA"]


def test_rights_changed_by_the_admin_apply_to_open_sessions(limited: Emulator) -> None:
    replayer = Replayer(limited)
    viewer, _ = session_of(replayer, "supervision")
    admin, _ = session_of(replayer, "admin")
    assert replayer.call("settings", ses=viewer, sa="general").json() == EXPIRED_SETTINGS
    rights = ("0_domain=settings&0_right=all&1_domain=general_settings&1_right=all"
              "&idx=0,1")
    answer = replayer.call("settings", ses=admin, sa="updaterights", userid="2",
                           rights=rights).json()
    assert answer["update_right"] is True and answer["sa"] == "listusers"
    assert [u["rights"] for u in answer["users"] if u["name"] == "supervision"] == [[
        {"domain": "general_settings", "right": "all"}, {"domain": "settings", "right": "all"}]]
    assert replayer.call("settings", ses=viewer, sa="general").json()["sa"] == "general"
    assert replayer.call("status", ses=viewer).json()["status"] == []


def test_a_limited_account_cannot_change_rights(limited: Emulator) -> None:
    replayer = Replayer(limited)
    ses, _ = session_of(replayer, "reglages")
    answer = replayer.call("settings", ses=ses, sa="updaterights", userid="3",
                           rights="0_domain=all&0_right=all&idx=0").json()
    assert "update_right" not in answer
    user = limited.state.user("reglages")
    assert user is not None
    assert {r["domain"] for r in user.rights} == {"status", "settings", "general_settings"}
