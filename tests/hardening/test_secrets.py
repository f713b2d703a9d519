"""The secret scan: everything the tool produces, end to end, holds none of the appliance's secrets.

Two emulated appliances hold known secrets (admin password, SMTP password, Internet and
restore keys, the agent's tray password, alert script parameters). The audit in every format,
the snapshot, the fix simulation and a real fix, the fleet run, logs at -vv, and two Sphinx
builds (the project's docs and a docs tree showing every setting, the secrets' live values and
the compliance page) all write into one folder; then every file there (the doctree pickles
included) and every captured output is searched, raw bytes and escaped forms.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from checks.emulator.records import Row
from checks.settings import catalogue
from checks.settings.catalogue import Store
from tests.cli_run import Run, run_cli
from tests.conftest import ROOT
from tests.hardening.conftest import HOSTILE, Watch
from tests.sphinx_run import sphinx_build

CHOSEN = {
    "mot de passe admin": "Adm1n-Secret/Hardening+5831",
    "mail_password": 'Mail "Secret"/7142&é',
    "restore_authkey": "RestoreSecret9917",
    "internet_authkey": "InetSecret4471",
    "client_settings_tray_access_pw": "Tray-Secret:3390",
    "alert_params": "Alert-Secret=2268",
}
SECRETS = CHOSEN | {key: f"Marqueur-{key}-5170" for key in sorted(catalogue.SECRET_KEYS)
                    if key not in CHOSEN}
"""Every secret of the whole catalogue (its data decides which keys are), each a marker."""
FORMATS = ("text", "json", "junit", "rst", "html", "nagios", "prometheus")


def forms(secret: str) -> set[bytes]:
    """The secret as any writer could have put it: raw, JSON-, URL- or HTML-escaped."""
    texts = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
             quote(secret, safe=""), quote_plus(secret), html.escape(secret),
             html.escape(secret, quote=False)}
    return {text.encode("utf-8") for text in texts} | {secret.encode("latin-1", "replace")}


def leaks(blob: bytes) -> list[str]:
    return sorted(name for name, secret in SECRETS.items()
                  if any(form in blob for form in forms(secret)))


def appliance_with_secrets(scenario: str = "datis-derive") -> Emulator:
    emulator = Emulator(scenario, admin_password=SECRETS["mot de passe admin"])
    state = emulator.state
    for key in sorted(catalogue.SECRET_KEYS):
        store = catalogue.SETTINGS[key].store
        if store is Store.MAIL:
            state.mail[key] = SECRETS[key]
        elif store is Store.LDAP:
            state.ldap[key] = SECRETS[key]
        elif store is Store.GENERAL:
            state.rows[0][key] = Row(SECRETS[key])
        elif key == "internet_authkey":  # never inherited: each client's own (forced use=2)
            for clientid in state.clients:
                state.rows[clientid][key] = Row(SECRETS[key], 2)
        else:
            state.save_general({key: SECRETS[key]})
            for clientid in state.clients:
                state.set_client_row(clientid, key, SECRETS[key], 2)
    return emulator


@dataclass
class Produced:
    folder: Path
    runs: dict[str, Run] = field(default_factory=dict)
    watches: list[Watch] = field(default_factory=list)


def _sphinx(source: Path, out: Path, env: dict[str, str]) -> Run:
    done = sphinx_build(source, out, "-v", "-E", confdir=ROOT, env=env, quiet=False)
    return Run(done.code, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Produced]:
    out = tmp_path_factory.mktemp("produit")
    result = Produced(out)
    password = SECRETS["mot de passe admin"]
    first, second = appliance_with_secrets(), appliance_with_secrets("datis-conforme")
    fixed = appliance_with_secrets()
    result.watches = [Watch(first), Watch(second)]
    with first as url, second as other, fixed as fixed_url:
        for fmt in FORMATS:
            result.runs[f"audit-{fmt}"] = run_cli(
                "-vv", "--url", url, "--format", fmt, "--output", str(out / f"audit.{fmt}"),
                password=password)
        result.runs["audit-stdout"] = run_cli("-vv", "--url", url, "--format", "json",
                                              password=password)
        result.runs["snapshot"] = run_cli("snapshot", "-vv", "--url", url, "--output",
                                          str(out / "instantane.json"), password=password)
        result.runs["fix-simulation"] = run_cli("fix", "-vv", "--url", url,
                                                password=password)
        result.runs["fix"] = run_cli("fix", "-vv", "--url", fixed_url, "--yes",
                                     "--backup", str(out / "avant-correction.json"),
                                     password=password)
        inventory = out.parent / f"{out.name}-inventaire.toml"
        inventory.write_text(f'schema = 1\n\n[[appliance]]\nurl = "{url}"\nnom = "Première"\n\n'
                             f'[[appliance]]\nurl = "{other}"\n', encoding="utf-8")
        result.runs["fleet"] = run_cli(
            "fleet", "-vv", "--inventory", str(inventory), "--output-dir", str(out / "flotte"),
            "--format", ",".join(f for f in FORMATS if f != "text"), password=password)
        docs_env = {"DATIS_URL": url, "DATIS_PASSWORD": password,
                    "DATIS_COMPLIANCE_PAGE": str(out / "audit.rst")}
        result.runs["docs-projet"] = _sphinx(ROOT / "docs", out / "docs-projet", docs_env)
        result.runs["docs-complets"] = _sphinx(HOSTILE / "docs", out / "docs-complets", docs_env)
    yield result


def test_the_appliance_really_holds_the_secrets() -> None:
    """Without this, a scan that finds nothing would prove nothing."""
    with appliance_with_secrets() as url, UrBackupClient(
            url, password=SECRETS["mot de passe admin"]) as client:
        client.login()
        general = client.general_settings()
        mail = client.mail_settings()
        own = client.client_settings(1).settings
    assert general["restore_authkey"] == SECRETS["restore_authkey"]
    assert general["alert_params"] == {"value": SECRETS["alert_params"]}
    assert mail["mail_password"] == SECRETS["mail_password"]
    assert own["internet_authkey"].value == SECRETS["internet_authkey"]
    assert own["client_settings_tray_access_pw"].value == SECRETS["client_settings_tray_access_pw"]


def test_every_secret_of_the_catalogue_is_planted() -> None:
    assert set(SECRETS) == catalogue.SECRET_KEYS | {"mot de passe admin"}
    assert len(set(SECRETS.values())) == len(SECRETS)


def test_the_scan_finds_a_planted_secret() -> None:
    for secret in SECRETS.values():
        assert leaks(json.dumps({"x": secret}).encode()), secret
        assert leaks(f"a={quote_plus(secret)}".encode()), secret


EXPECTED_CODES = {
    **{f"audit-{fmt}": 1 for fmt in FORMATS},
    "audit-nagios": 2,  # CRITICAL: the drifted appliance has major gaps
    "audit-stdout": 1,
    "snapshot": 0,
    "fix-simulation": 1,  # corrections pending: a dry run
    "fix": 0,  # every correction applied and read back
    "fleet": 1,
    "docs-projet": 0,
    "docs-complets": 0,
}


def test_every_run_worked(produced: Produced) -> None:
    assert sorted(produced.runs) == sorted(EXPECTED_CODES)
    for name, run in produced.runs.items():
        assert "Traceback" not in run.stderr, (name, run.stderr[-2000:])
        assert run.code == EXPECTED_CODES[name], (name, run.code, run.stderr[-2000:])
    assert (produced.folder / "docs-complets" / "secrets.html").exists()
    assert (produced.folder / "docs-complets" / ".doctrees" / "environment.pickle").exists()
    assert (produced.folder / "avant-correction.json").exists()
    assert any("\u00a0: débogage\u00a0: " in run.stderr for run in produced.runs.values())


def test_no_secret_in_any_file_produced(produced: Produced) -> None:
    files = [p for p in produced.folder.rglob("*") if p.is_file()]
    assert len(files) > 30
    found = {str(p.relative_to(produced.folder)): leaks(p.read_bytes()) for p in files}
    assert {k: v for k, v in found.items() if v} == {}


def test_no_secret_in_any_output_or_log(produced: Produced) -> None:
    found = {name: leaks((run.stdout + run.stderr).encode("utf-8", "surrogateescape"))
             for name, run in produced.runs.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_audits_changed_nothing(produced: Produced) -> None:
    for watch in produced.watches:
        watch.assert_untouched()
