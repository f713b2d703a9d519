"""Rules mean what they say: compliant overrides inform, addresses and hosts are checked as such.

Each test audits an emulated appliance over HTTP with the real CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from checks.audit import baseline, values
from checks.emulator import Emulator
from tests.cli_run import run_cli


def _report(emulator: Emulator) -> tuple[int, dict[str, dict[str, str]]]:
    run = run_cli("--url", emulator.url, "--format", "json")
    report = json.loads(run.stdout)
    return run.code, {c["id"]: c for c in report["constats"]}


def test_override_equal_to_the_documented_value_is_information(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", 18000, 2)   # 5 heures, as documented
    code, by_id = _report(emulator)
    finding = by_id["client.1.update_freq_incr"]
    assert (finding["resultat"], finding["gravite"], finding["action"]) == ("information",
                                                                           "info", "")
    assert finding["message"].endswith("5 heures, la valeur documentée.")
    assert code == 0
    text = run_cli("--url", emulator.url)
    assert text.code == 0
    assert "Conforme\u00a0: l'appliance est configurée comme documenté." in text.stdout


def test_override_within_the_rule_is_information_and_says_so(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(2, "update_freq_incr", 3 * 3600, 2)   # more often than 5 h
    code, by_id = _report(emulator)
    finding = by_id["client.2.update_freq_incr"]
    assert finding["resultat"] == "information"
    assert finding["message"].endswith("3 heures ; la valeur reste conforme au référentiel.")
    assert code == 0


def test_override_breaking_the_rule_stays_an_ecart(
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", 86400, 2)
    code, by_id = _report(emulator)
    assert (by_id["client.1.update_freq_incr"]["resultat"],
            by_id["client.1.update_freq_incr"]["gravite"]) == ("écart", "majeure")
    assert code == 1


HOSTILE_MAIL = {
    "mail_servername": ("<script>alert(1)</script>", "ni un nom d'hôte ni une adresse IP"),
    "mail_from": ("javascript:document.body", "pas une adresse e-mail"),
    "mail_admin_addrs": ("\n\n.. raw:: html\n\n   <script>alert(1)</script>\n",
                         "pas une liste d'adresses e-mail"),
}


@pytest.mark.parametrize("key", sorted(HOSTILE_MAIL))
def test_hostile_mail_value_is_an_ecart(start_emulator: Callable[..., Emulator],
                                        key: str) -> None:
    emulator = start_emulator("datis-conforme")
    value, why = HOSTILE_MAIL[key]
    emulator.state.save_mail({key: value})
    code, by_id = _report(emulator)
    finding = by_id[f"reglage.{key}"]
    assert finding["resultat"] == "écart"
    assert f"({why})" in finding["message"]
    assert code == 1


GOOD_MAIL = [
    ("mail_servername", "10.20.30.40"),
    ("mail_from", "Sauvegardes DATIS <sauvegarde@inspee.re>"),
    ("mail_from", '"Inspeere, support" <support@inspeere.com>'),
    ("mail_admin_addrs", "support@inspeere.com; it@client.fr,direction@client.fr"),
]


@pytest.mark.parametrize(("key", "value"), GOOD_MAIL)
def test_mail_values_as_urbackup_accepts_them_are_compliant(
        start_emulator: Callable[..., Emulator], key: str, value: str) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_mail({key: value})
    code, by_id = _report(emulator)
    assert by_id[f"reglage.{key}"]["resultat"] == "conforme"
    assert code == 0


BAD_VALUES = [
    ("mail_servername", "smtp inspee re"),
    ("mail_servername", "-smtp.inspee.re"),
    ("mail_servername", "1.2.3"),
    ("mail_from", "sauvegarde@"),
    ("mail_from", "Nom <pas une adresse>"),
    ("mail_from", "a@b.fr; c@d.fr"),
    ("mail_admin_addrs", "support@inspeere.com;pas-une-adresse"),
    ("mail_admin_addrs", ";;"),
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
def test_the_baseline_rule_refuses_what_is_not_an_address(key: str, value: str) -> None:
    assert baseline.load().rules[key].check(value) is False


@pytest.mark.parametrize(("key", "value"), GOOD_MAIL)
def test_the_baseline_rule_accepts_what_urbackup_accepts(key: str, value: str) -> None:
    assert baseline.load().rules[key].check(value) is True


@pytest.mark.parametrize("stored", [-1, -18000, "-18000"])
def test_a_disabled_backup_plan_is_an_ecart(start_emulator: Callable[..., Emulator],
                                            stored: int | str) -> None:
    """A negative interval is how the server stores a plan switched off (« Disable »)."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"update_freq_incr": str(stored)})
    code, by_id = _report(emulator)
    finding = by_id["reglage.update_freq_incr"]
    assert (finding["resultat"], finding["gravite"]) == ("écart", "majeure")
    assert finding["attendu"] == "au plus 5 heures"
    assert code == 1
    assert baseline.load().rules["update_freq_incr"].check(stored) is False


def test_a_disabled_backup_plan_makes_no_backup_late(
        start_emulator: Callable[..., Emulator]) -> None:
    """Against a plan switched off, no backup is late: the plan itself is the écart."""
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"update_freq_incr": "-18000"})
    _, by_id = _report(emulator)
    health = [f for key, f in by_id.items() if key.startswith("sante.") and
              key.endswith(".fichiers")]
    assert len(health) == 4
    assert {(f["resultat"], f["attendu"]) for f in health} == {("conforme", "récente")}


@pytest.mark.parametrize(("stored", "result", "observed"), [
    ("18000@1-5/8-18;86400", "écart", "1 jour"),
    ("86400@6-7/0-24;18000", "écart", "1 jour"),
    ("3600@1-5/8-18;18000", "conforme", "5 heures"),
])
def test_a_scheduled_interval_is_judged_on_its_longest_value(
        start_emulator: Callable[..., Emulator], stored: str, result: str,
        observed: str) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"update_freq_incr": stored})
    code, by_id = _report(emulator)
    finding = by_id["reglage.update_freq_incr"]
    assert (finding["resultat"], finding["observe"]) == (result, observed)
    assert code == (1 if result == "écart" else 0)


def test_the_worst_interval_is_the_longest() -> None:
    assert values.worst_interval("18000@1-5/8-18;86400") == 86400
    assert values.worst_interval("86400@6-7/0-24;18000") == 86400
    assert values.worst_interval(" 7200 ") == 7200


@pytest.mark.parametrize(("use", "value", "value_client", "result", "observed"), [
    (4, 18000, 86400, "écart", "1 jour"),        # the agent's value applies
    (4, 86400, 18000, "information", "5 heures"),
    (2, 86400, 18000, "écart", "1 jour"),        # the interface's value applies
    (2, 18000, 86400, "information", "5 heures"),
])
def test_an_override_is_judged_on_the_value_the_server_applies(
        start_emulator: Callable[..., Emulator], use: int, value: int, value_client: int,
        result: str, observed: str) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.set_client_row(1, "update_freq_incr", value, use, value_client)
    code, by_id = _report(emulator)
    finding = by_id["client.1.update_freq_incr"]
    assert (finding["resultat"], finding["observe"]) == (result, observed)
    assert code == (1 if result == "écart" else 0)
