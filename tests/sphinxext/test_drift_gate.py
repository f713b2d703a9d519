"""The drift gate holds on every build: a kept build folder never lets a drift through.

Real `sphinx-build -W -c <repository> SRC OUT` runs, as CI runs them, the docs' conf.py taking
the appliance from DATIS_URL and DATIS_PASSWORD (live, the emulator over HTTP) or DATIS_SNAPSHOT
(a snapshot written by the real CLI); the appliance is put back to its documented values
through its HTTP API, with the web interface's own save calls.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from checks.appliance.client import UrBackupClient
from checks.appliance.model import Use
from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import SECRET

DRIFTED = ("update_freq_incr", "max_file_full", "min_image_full", "image_letters",
           "mail_check_certificate", "update_freq_incr SRV-COMPTA", "max_file_incr SRV-COMPTA")
"""The settings datis-derive changed that the test project shows (a client's own last)."""
NAMED = re.compile(r"\((\w+)\)(?: sur le client «\u00a0([^»]+)\u00a0»)?.*\u00a0: documenté")


def _drifts(warnings: list[str]) -> list[str]:
    """The keys (and client) the drift warnings name, in their order; fails on any other
    warning."""
    assert all(w.endswith("[urbackup.drift]") for w in warnings), warnings
    named = [NAMED.search(w) for w in warnings]
    return [" ".join(filter(None, m.groups())) if m else "?" for m in named]


def test_a_kept_build_folder_fails_every_build_until_the_appliance_is_fixed(
        tmp_path: Path, project: Callable[..., Path],
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    src, out = project("datis"), tmp_path / "out"
    env = {"DATIS_URL": emulator.url, "DATIS_PASSWORD": PASSWORD, "DATIS_CLIENT_OVERRIDES": "1"}

    def build(*options: str, process: bool = False) -> tuple[int, list[str]]:
        done = sphinx_build(src, out, "-W", *options, confdir=ROOT, env=env, process=process)
        assert "Traceback" not in done.stderr and SECRET not in done.stderr
        return done.code, done.warnings()

    # The first two in separate processes, as two CI jobs on a kept build folder.
    code, first = build(process=True)
    assert code == 1
    assert sorted(_drifts(first)) == sorted(DRIFTED)
    assert "fichiers.rst:4: WARNING: Écart entre la documentation et l'appliance pour " \
        "«\u00a0Intervalle des sauvegardes incrémentielles de fichiers\u00a0» " \
        "(update_freq_incr)\u00a0: documenté 5 heures, réel 12 heures (attendu\u00a0: au plus " \
        "5 heures)." in first[0]
    page = out / "fichiers.html"
    written = page.stat().st_mtime_ns

    assert build(process=True) == (1, first)
    assert page.stat().st_mtime_ns == written  # nothing was read or written again
    assert build("-j", "2") == (1, first)
    assert SECRET.encode() not in (out / ".doctrees" / "environment.pickle").read_bytes()

    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        client.save_general({"update_freq_incr": "18000", "max_file_full": "10",
                             "min_image_full": "2", "image_letters": "ALL_NONUSB"})
        client.save_mail({"mail_check_certificate": True})
    code, clients = build()
    assert (code, _drifts(clients)) == (1, ["update_freq_incr SRV-COMPTA",
                                            "max_file_incr SRV-COMPTA"])
    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()  # SRV-COMPTA back to the global values, as `datis-audit fix` does
        own = {"update_freq_incr": "18000", "max_file_incr": "100"}
        client.save_client_settings(2, own, dict.fromkeys(own, Use.INHERIT))
    assert build() == (0, [])
    assert "datis-ecart" not in page.read_text("utf-8")
    assert build() == (0, [])

    with UrBackupClient(emulator.url, password=PASSWORD) as client:
        client.login()
        client.save_general({"max_file_full": "4"})
    code, again = build()
    assert (code, _drifts(again)) == (1, ["max_file_full"])
    assert build() == (1, again)


def test_full_incremental_and_parallel_builds_report_the_same_drifts(
        tmp_path: Path, project: Callable[..., Path], snapshots: dict[str, Path]) -> None:
    src = project("datis")
    snap = tmp_path / "instantane.json"
    shutil.copy(snapshots["datis-derive"], snap)

    def warnings(*more: str, folder: str = "out") -> list[str]:
        done = sphinx_build(src, tmp_path / folder, "-W", *more, confdir=ROOT,
                            env={"DATIS_SNAPSHOT": str(snap), "DATIS_CLIENT_OVERRIDES": "1"})
        assert done.code == 1, done.stderr
        return done.warnings()

    reference = warnings()
    assert sorted(_drifts(reference)) == sorted(DRIFTED)
    assert warnings() == reference  # kept build folder, nothing read again
    assert warnings("-E") == reference  # every page read again
    with (src / "fichiers.rst").open("a", encoding="utf-8") as page:
        page.write("\n")
    assert warnings() == reference  # a page with drifts read again: each drift once
    assert warnings("-j", "2", folder="parallel") == reference
    assert warnings("-j", "2", folder="parallel") == reference
    assert warnings("-j", "2", "-E", folder="parallel") == reference

    data = json.loads(snap.read_text("utf-8"))
    data["messagerie"]["mail_check_certificate"] = "true"
    snap.write_text(json.dumps(data), "utf-8")
    gone = [w for w in reference if "(mail_check_certificate)" not in w]
    assert len(gone) == len(reference) - 1
    assert warnings("-j", "2", folder="parallel") == gone
    assert warnings(folder="out") == gone
    assert warnings("-E", folder="out") == gone


def test_a_snippet_included_twice_reports_its_drift_once_on_every_build(
        tmp_path: Path, snapshots: dict[str, Path]) -> None:
    src = tmp_path / "src"
    (src / "inc").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["sphinxext"]\nexclude_patterns = ["inc"]\n',
                                 "utf-8")
    (src / "inc" / "verification.rst").write_text(
        "Vérification du certificat : :datis-reel:`mail_check_certificate`.\n", "utf-8")
    (src / "index.rst").write_text(
        "Page\n====\n\n.. include:: inc/verification.rst\n\nPlus bas, la même chose.\n\n"
        ".. include:: inc/verification.rst\n", "utf-8")
    options = ("-W", "-D", "datis_mode=snapshot",
               "-D", f"datis_snapshot={snapshots['datis-derive']}")
    expected = [
        f"{src / 'inc' / 'verification.rst'}:1: WARNING: Écart entre la documentation et "
        "l'appliance pour «\u00a0Vérification du certificat du serveur SMTP\u00a0» "
        "(mail_check_certificate)\u00a0: documenté oui, réel non (attendu\u00a0: oui). "
        "[urbackup.drift]"]
    for _ in range(2):  # the page read, then the kept build folder: nothing read again
        done = sphinx_build(src, tmp_path / "out", *options)
        assert (done.code, done.warnings()) == (1, expected)
