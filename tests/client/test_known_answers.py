"""Known answers, computed once elsewhere and stored as data (tests/fixtures/vectors/).

- The login proof: vectors computed with the openssl command line alone
  (`vectors/login_proof.sh`), never with our own code.
- The merge of a per-client key's sources: inputs recorded on a real server, and the merge rule
  its documentation states. The client's `ClientSetting.effective` and the emulator's own merge
  must both give each answer, the latter read over real HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checks.appliance.client import UrBackupClient
from checks.appliance.login_proof import login_proof, password_hash
from checks.appliance.model import ClientSetting, Use
from checks.emulator import Emulator
from checks.emulator.records import Client
from checks.emulator.state import ApplianceState
from tests.conftest import PASSWORD

VECTORS = Path(__file__).resolve().parent.parent / "fixtures" / "vectors"
PROOFS: list[dict[str, Any]] = json.loads((VECTORS / "login_proof.json").read_text("utf-8"))
MERGES: list[dict[str, Any]] = json.loads(
    (VECTORS / "merge.json").read_text("utf-8"))["vectors"]


def test_there_are_vectors_of_every_kind() -> None:
    assert {v["pbkdf2_rounds"] for v in PROOFS} >= {0, 1, 10000}
    assert any(not v["password"].isascii() for v in PROOFS)
    assert {v["use"] for v in MERGES} >= {1, 2, 3, 4, 5, 6, 7}
    assert any(v["source"][0] in "DK" for v in MERGES), "des entrées enregistrées"


@pytest.mark.parametrize("vector", PROOFS, ids=lambda v: f"{v['pbkdf2_rounds']}-{v['rnd']}")
def test_the_login_proof_matches_openssl(vector: dict[str, Any]) -> None:
    stored = password_hash(vector["salt"], vector["password"], vector["pbkdf2_rounds"])
    assert stored == vector["stored_hash"]
    assert login_proof(vector["rnd"], stored) == vector["proof"]


@pytest.mark.parametrize("vector", MERGES, ids=lambda v: f"{v['source']}-{v['key']}-{v['use']}")
def test_the_client_merges_as_the_server(vector: dict[str, Any]) -> None:
    setting = ClientSetting(vector["key"], Use(vector["use"]), vector["value"],
                            vector["value_client"], vector["value_group"])
    assert setting.effective == vector["effective"]


def test_the_emulator_merges_as_the_server() -> None:
    """One client per vector, in a group holding the vector's group value."""
    state = ApplianceState()
    for number, vector in enumerate(MERGES, start=1):
        key = vector["key"]
        state.add_group(number, f"groupe-{number}")
        state.save_client_settings(-number, {key: vector["value_group"], f"{key}.use": "2"})
        state.add_client(Client(id=number, name=f"PC-{number:02d}", group=number))
        state.set_client_row(number, key, vector["value"], vector["use"], vector["value_client"])
    state.add_web_user("admin", PASSWORD, [{"domain": "all", "right": "all"}])
    with Emulator(state=state) as url, UrBackupClient(url, password=PASSWORD) as client:
        client.login()
        for number, vector in enumerate(MERGES, start=1):
            key = vector["key"]
            assert state.client_value(number, key) == vector["effective"], vector
            read = client.client_settings(number).settings[key]
            assert (read.value_group, read.use) == (vector["value_group"], vector["use"])
            assert read.effective == vector["effective"], vector
