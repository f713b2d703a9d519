"""The emulator's clients carry what a real backed-up client carries in `status` (M01).

M01 is the status after a real UrBackup client (Linux, internet mode) made a real file backup:
online, address, system, agent version, uid, and `image_not_supported: true`, a key only a
client that cannot make image backups has.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checks.emulator import Emulator
from tests.conftest import RECORDINGS
from tests.emulator.replay import Replayer
from tests.emulator.test_conformance import differences


def _status(emulator: Emulator) -> dict[str, dict[str, Any]]:
    replayer = Replayer(emulator)
    answer = replayer.call("status", ses=replayer.admin_session()).json()
    return {row["name"]: row for row in answer["status"]}


def _recorded_backed_up_client() -> dict[str, Any]:
    recorded = json.loads((RECORDINGS / "M01_status_after_real_backup.json").read_bytes())
    (row,) = [row for row in recorded["status"] if row["name"] == "poste-001"]
    return dict(row)


def test_a_linux_client_without_images_looks_like_the_recorded_one(emulator: Emulator) -> None:
    rows = _status(emulator)
    linux = rows["SRV-INTRANET"]
    recorded = _recorded_backed_up_client()
    assert not list(differences(recorded, linux, values=False)), "mêmes clés, mêmes types"
    assert (linux["online"], linux["os_simple"], linux["client_version_string"],
            linux["image_not_supported"], linux["image_ok"], linux["lastbackup_image"],
            linux["file_ok"]) == (True, "linux", "2.5.26", True, False, 0, True)
    assert linux["os_version_string"] == recorded["os_version_string"]


def test_only_such_a_client_has_the_image_not_supported_key(emulator: Emulator) -> None:
    rows = _status(emulator)
    assert [name for name, row in rows.items() if "image_not_supported" in row] == [
        "SRV-INTRANET"]
    assert rows["PC-ACCUEIL"]["lastbackup_image"] > 0


def test_a_connected_client_has_a_uid_and_one_never_connected_has_none(
        emulator: Emulator) -> None:
    """Every client of datis-conforme has an agent that connected: a uid of 16 letters and
    digits, as M01's; a client entered in the interface and never connected has "" (M01)."""
    rows = _status(emulator)
    assert all(re.fullmatch(r"[A-Za-z0-9]{16}", row["uid"]) for row in rows.values()), rows
    replayer = Replayer(emulator)
    ses = replayer.admin_session()
    assert replayer.call("add_client", ses=ses, clientname="poste-neuf").json()["ok"] is True
    new = _status(emulator)["poste-neuf"]
    assert (new["uid"], new["client_version_string"], new["os_simple"]) == ("", "", "")
    assert "image_not_supported" not in new
