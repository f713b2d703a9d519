"""Waiver boundaries, through the real CLI against the emulator: a waiver is live through its
expiry day, counts only for the appliances it names, and the verdict is « conforme » only
when live waivers cover every écart."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from checks.emulator import Emulator
from tests.cli_run import Run, run_cli

TODAY = date.today()
DERIVE_ECARTS = {
    "reglage.mail_check_certificate", "reglage.update_freq_incr", "reglage.min_image_full",
    "reglage.max_file_full", "reglage.image_letters", "client.2.update_freq_incr",
    "client.2.max_file_incr",
}
"""Every écart of datis-derive (audited by its URL)."""
AS_1A2B_ECARTS = DERIVE_ECARTS | {"securite.https"}
"""Audited by its DATIS address in plain HTTP (the proxy does not speak TLS): one more."""


def _waivers(folder: Path, *entries: tuple[str, date, list[str] | None]) -> Path:
    """A waiver file: (pattern, expiry, appliances or None) for each [[derogation]]."""
    blocks = ["schema = 1"]
    for pattern, expiry, appliances in entries:
        block = (f'[[derogation]]\nconstat = "{pattern}"\n'
                 'justification = "Le client a demandé ce réglage par écrit."\n'
                 f'auteur = "Camille Technicienne"\nexpire = {expiry.isoformat()}\n')
        if appliances is not None:
            block += f"appliance = {json.dumps(appliances)}\n"
        blocks.append(block)
    path = folder / "derogations.toml"
    path.write_text("\n".join(blocks), "utf-8")
    return path


def _by_outcome(run: Run) -> dict[str, set[str]]:
    report: dict[str, Any] = json.loads(run.stdout)
    outcomes: dict[str, set[str]] = {}
    for finding in report["constats"]:
        outcomes.setdefault(finding["resultat"], set()).add(finding["id"])
    return outcomes


def _audit(url: str, waivers: Path, *more: str, env: dict[str, str] | None = None) -> Run:
    return run_cli("--url", url, "--format", "json", "--waivers", str(waivers), *more, env=env)


@pytest.fixture
def derive(start_emulator: Callable[..., Emulator]) -> str:
    return start_emulator("datis-derive").url


def test_without_waivers_these_are_the_ecarts(derive: str, tmp_path: Path) -> None:
    run = _audit(derive, _waivers(tmp_path))
    assert run.code == 1
    assert _by_outcome(run)["écart"] == DERIVE_ECARTS
    assert "dérogation" not in _by_outcome(run)


def test_a_waiver_is_live_through_its_expiry_day(derive: str, tmp_path: Path) -> None:
    run = _audit(derive, _waivers(tmp_path, ("*", TODAY, None)))
    assert run.code == 0, run.stdout
    outcomes = _by_outcome(run)
    assert "écart" not in outcomes
    assert outcomes["dérogation"] == DERIVE_ECARTS


def test_a_waiver_expired_yesterday_counts_again_and_is_reported(derive: str,
                                                                 tmp_path: Path) -> None:
    yesterday = TODAY - timedelta(days=1)
    run = _audit(derive, _waivers(tmp_path, ("client.2.*", yesterday, None)))
    assert run.code == 1
    assert _by_outcome(run)["écart"] == DERIVE_ECARTS | {"derogation.client.2.*"}
    expired = next(c for c in json.loads(run.stdout)["constats"]
                   if c["id"] == "derogation.client.2.*")
    assert (expired["gravite"], expired["observe"], expired["attendu"]) == (
        "mineure", f"expirée le {yesterday:%d/%m/%Y}", "date d'expiration à venir")
    assert expired["message"] == (
        f"La dérogation « client.2.* » de Camille Technicienne a expiré le "
        f"{yesterday:%d/%m/%Y} : le constat qu'elle couvrait compte de nouveau.")


def test_a_partial_waiver_still_exits_1(derive: str, tmp_path: Path) -> None:
    run = _audit(derive, _waivers(tmp_path, ("client.2.*", TODAY + timedelta(days=30), None)))
    assert run.code == 1
    outcomes = _by_outcome(run)
    assert outcomes["dérogation"] == {"client.2.update_freq_incr", "client.2.max_file_incr"}
    assert outcomes["écart"] == DERIVE_ECARTS - outcomes["dérogation"]
    assert json.loads(run.stdout)["derogations"] == 2


def test_a_waiver_of_findings_that_pass_changes_nothing(derive: str, tmp_path: Path) -> None:
    """Only an écart can be waived: a waiver over compliant findings leaves them compliant."""
    run = _audit(derive, _waivers(tmp_path, ("reglage.*", TODAY + timedelta(days=30), None)))
    assert run.code == 1
    outcomes = _by_outcome(run)
    assert outcomes["dérogation"] == {k for k in DERIVE_ECARTS if k.startswith("reglage.")}
    assert "reglage.mail_servername" in outcomes["conforme"]


def _as_1a2b(emulator_url: str) -> tuple[str, dict[str, str]]:
    """The appliance's DATIS address (identifier 1A2B), the emulator standing as the proxy."""
    port = emulator_url.rsplit(":", 1)[1]
    proxy = {"http_proxy": emulator_url, "HTTP_PROXY": emulator_url, "no_proxy": "",
             "NO_PROXY": ""}
    return f"http://backup.1a2b.datis.test:{port}", proxy


@pytest.mark.parametrize(("appliances", "applied"), [
    (["1A2B"], True), (["1a2b"], True), (["9F9F", "1A2B"], True), (["9F9F"], False),
])
def test_a_waiver_counts_only_for_the_appliances_it_names(
        derive: str, tmp_path: Path, appliances: list[str], applied: bool) -> None:
    url, proxy = _as_1a2b(derive)
    waivers = _waivers(tmp_path, ("*", TODAY + timedelta(days=30), appliances))
    run = _audit(url, waivers, "--domain", "datis.test", env=proxy)
    assert json.loads(run.stdout)["appliance"]["identifiant"] == "1A2B"
    assert run.code == (0 if applied else 1), run.stdout
    outcomes = _by_outcome(run)
    waived = outcomes.get("dérogation", set())
    assert waived == (AS_1A2B_ECARTS if applied else set())


def test_a_waiver_naming_appliances_does_not_apply_to_an_appliance_without_identifier(
        derive: str, tmp_path: Path) -> None:
    run = _audit(derive, _waivers(tmp_path, ("*", TODAY + timedelta(days=30), ["1A2B"])))
    assert run.code == 1
    assert "dérogation" not in _by_outcome(run)


@pytest.mark.parametrize(("appliances", "reported"), [
    (["1A2B"], True), (["1a2b"], True), (["9F9F"], False), (None, True),
])
def test_an_expired_waiver_is_reported_only_for_its_appliances(
        derive: str, tmp_path: Path, appliances: list[str] | None, reported: bool) -> None:
    url, proxy = _as_1a2b(derive)
    waivers = _waivers(tmp_path, ("client.*", TODAY - timedelta(days=1), appliances))
    run = _audit(url, waivers, "--domain", "datis.test", env=proxy)
    assert run.code == 1
    expired = {"derogation.client.*"} if reported else set()
    assert _by_outcome(run)["écart"] == AS_1A2B_ECARTS | expired


def test_an_expired_waiver_says_what_to_do_and_whose_it_was(derive: str, tmp_path: Path) -> None:
    yesterday = TODAY - timedelta(days=1)
    run = _audit(derive, _waivers(tmp_path, ("client.2.*", yesterday, None)),
                 "--docs-url", "https://docs.inspee.re")
    expired = next(c for c in json.loads(run.stdout)["constats"]
                   if c["id"] == "derogation.client.2.*")
    assert (expired["section"], expired["libelle"]) == ("derogations", "Dérogation « client.2.* »")
    assert expired["action"] == ("Renouveler la dérogation avec une nouvelle date, ou la retirer "
                                 "et corriger l'appliance.")
    assert expired["doc"] == "https://docs.inspee.re/audit.html#derogations"
    assert expired["message"] == (
        f"La dérogation « client.2.* » de Camille Technicienne a expiré le "
        f"{yesterday:%d/%m/%Y} : le constat qu'elle couvrait compte de nouveau.")
    assert expired["derogation"] is None  # no longer in force: never shown as a live waiver


def test_each_expired_waiver_of_this_appliance_is_reported(derive: str, tmp_path: Path) -> None:
    """The first one, for another appliance, is left out; the ones after it are not."""
    url, proxy = _as_1a2b(derive)
    yesterday = TODAY - timedelta(days=1)
    waivers = _waivers(tmp_path, ("client.*", yesterday, ["9F9F"]),
                       ("reglage.*", yesterday, ["1A2B"]), ("sante.*", yesterday, None))
    run = _audit(url, waivers, "--domain", "datis.test", env=proxy)
    assert _by_outcome(run)["écart"] == AS_1A2B_ECARTS | {"derogation.reglage.*",
                                                          "derogation.sante.*"}


def test_each_waiver_of_this_appliance_that_matches_nothing_is_said(derive: str,
                                                                    tmp_path: Path) -> None:
    """After one that matches, each of this appliance's waivers that names no finding is said,
    with the closest identifier when there is one; another appliance's is not."""
    url, proxy = _as_1a2b(derive)
    later = TODAY + timedelta(days=30)
    waivers = _waivers(tmp_path, ("reglage.update_freq_incr", later, ["1A2B"]),
                       ("client.2.update_freq_inc", later, ["1A2B"]),
                       ("client.2.update_freq_inc", later, ["9F9F"]),
                       ("onduleur.autonomie", later, None))
    run = _audit(url, waivers, "--domain", "datis.test", env=proxy)
    assert (run.code, run.stderr.splitlines()) == (1, [
        f"datis-audit\u00a0: attention\u00a0: {waivers}, ligne {line}\u00a0: la dérogation "
        f"«\u00a0{pattern}\u00a0» ne correspond à aucun constat de l'audit{hint}\u00a0: elle est "
        "sans effet."
        for line, pattern, hint in (
            (9, "client.2.update_freq_inc",
             " (le plus proche\u00a0: «\u00a0client.2.update_freq_incr\u00a0»)"),
            (23, "onduleur.autonomie", ""))])
