"""Bad inputs a technician can type or hand over: identifiers, MACs, URLs, baselines, waivers.

Each one must end in one French line on stderr and exit code 3, with no traceback and
nothing written to --output (an earlier report there stays as it was).
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from tests.cli_run import run_cli, run_cli_process
from tests.hardening.conftest import HOSTILE, Guarded, assert_one_french_error

URL_PASSWORD = "Mot-De-Passe-Url-42"
REFERENTIEL_SECRET = "Secret-Du-Referentiel-99"

IDENTITIES = json.loads((HOSTILE / "identities.json").read_text(encoding="utf-8"))
IDENTITY_CASES = [(kind, value) for kind, values in IDENTITIES.items() for value in values]
BASELINES = json.loads((HOSTILE / "baselines" / "attendu.json").read_text(encoding="utf-8"))
WAIVERS = json.loads((HOSTILE / "waivers" / "attendu.json").read_text(encoding="utf-8"))


def _unused_url() -> str:
    """An address where nothing listens: a run that went as far as connecting would say so."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _case_id(case: tuple[str, str]) -> str:
    kind, value = case
    return f"{kind}-{value[:20].encode('unicode_escape').decode()}-{len(value)}"


@pytest.mark.parametrize("case", IDENTITY_CASES, ids=[_case_id(c) for c in IDENTITY_CASES])
def test_bad_identity_is_a_usage_error(case: tuple[str, str], guarded: Guarded) -> None:
    kind, value = case
    run = run_cli(f"--{kind}", value, "--format", "json", "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert run.stdout == ""
    assert URL_PASSWORD not in run.stderr
    message = run.stderr.splitlines()[-1]  # the lines above it are argparse's fixed usage
    assert len(message) < 300, "l'entrée est recopiée sans limite dans le message"
    assert "\x1b" not in run.stderr and "\x00" not in run.stderr
    guarded.assert_untouched()


@pytest.mark.parametrize(("option", "value"), [
    ("--datis", "1A2G"), ("--mac", "00:25:90:AB:1A"), ("--url", "javascript:alert(1)"),
    ("--url", f"https://admin:{URL_PASSWORD}@backup.1a2b.inspee.re"),
    ("--url", f"https://admin:{URL_PASSWORD}@backup.1a2b.inspee.re:99999"),
])
def test_bad_identity_through_the_installed_command(option: str, value: str,
                                                    guarded: Guarded) -> None:
    # the installed command end to end: a fresh interpreter, its exit code through sys.exit
    run = run_cli_process(option, value, "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert URL_PASSWORD not in run.stderr
    guarded.assert_untouched()


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_bad_baseline_names_line_and_reason(name: str, guarded: Guarded) -> None:
    path = HOSTILE / "baselines" / f"{name}.toml"
    run = run_cli("--url", _unused_url(), "--baseline", str(path),
                  "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert str(path) in run.stderr
    line = BASELINES[name]["ligne"]
    if line is not None:
        assert re.search(rf"ligne {line}\b", run.stderr), run
    assert BASELINES[name]["message"] in run.stderr
    assert REFERENTIEL_SECRET not in run.stderr
    assert "Connexion" not in run.stderr, "le référentiel est vérifié avant toute connexion"
    guarded.assert_untouched()


@pytest.mark.parametrize("name", sorted(WAIVERS))
def test_bad_waivers_name_line_and_reason(name: str, guarded: Guarded) -> None:
    path = HOSTILE / "waivers" / f"{name}.toml"
    run = run_cli("--url", _unused_url(), "--waivers", str(path),
                  "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert str(path) in run.stderr
    line = WAIVERS[name]["ligne"]
    if line is not None:
        assert re.search(rf"ligne {line}\b", run.stderr), run
    guarded.assert_untouched()


def test_bad_baseline_through_the_installed_command(guarded: Guarded) -> None:
    path = HOSTILE / "baselines" / "contradiction-min-max.toml"
    # the installed command end to end: a fresh interpreter, its exit code through sys.exit
    run = run_cli_process("--url", _unused_url(), "--baseline", str(path),
                          "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert f"{path}, ligne 17\u00a0: contradiction" in run.stderr
    guarded.assert_untouched()


@pytest.mark.parametrize("name", ["syntaxe-chaine-non-fermee", "secret-avec-valeur",
                                  "contradiction-parmi"])
def test_bad_baseline_refused_by_fix_before_anything_changes(name: str,
                                                             ) -> None:
    path = HOSTILE / "baselines" / f"{name}.toml"
    run = run_cli("fix", "--url", _unused_url(), "--yes", "--baseline", str(path))
    assert_one_french_error(run, 3)
    assert REFERENTIEL_SECRET not in run.stderr + run.stdout


@pytest.mark.parametrize(("args", "fragment"), [
    (["--timeout", "0"], "--timeout"),
    (["--timeout", "-5"], "--timeout"),
    (["--timeout", "nan"], "--timeout"),
    (["--timeout", "inf"], "--timeout"),
    (["--timeout", "abc"], "valeur invalide"),
    (["--tolerance", "0.5"], "--tolerance"),
    (["--tolerance", "nan"], "--tolerance"),
    (["--tolerance", "inf"], "--tolerance"),
    (["--domain", "<script>.re", "--datis", "1A2B"], "Domaine invalide"),
    (["--ca-bundle", "/nonexistent/ca.pem"], "introuvable"),
    (["--password-file", "/nonexistent/mdp"], "illisible"),
])
def test_bad_options_are_usage_errors(args: list[str], fragment: str, guarded: Guarded) -> None:
    where = [] if "--datis" in args else ["--url", _unused_url()]
    run = run_cli(*where, *args, "--output", str(guarded.path))
    assert run.code == 3, run
    assert fragment in run.stderr
    assert "Traceback" not in run.stderr
    guarded.assert_untouched()


INVENTORIES = json.loads((HOSTILE / "inventories" / "attendu.json").read_text(encoding="utf-8"))
INVENTORY_SECRET = "Inventaire-Secret-55"


@pytest.mark.parametrize("name", sorted(INVENTORIES))
def test_bad_inventory_is_refused_before_any_audit(name: str, tmp_path: Path) -> None:
    path = HOSTILE / "inventories" / f"{name}.toml"
    out = tmp_path / "flotte"
    run = run_cli("fleet", "--inventory", str(path), "--output-dir", str(out))
    assert_one_french_error(run, 3)
    assert str(path) in run.stderr
    line = INVENTORIES[name]["ligne"]
    if line is not None:
        assert re.search(rf"ligne {line}\b", run.stderr), run
    assert INVENTORY_SECRET not in run.stderr + run.stdout
    assert not out.exists()


@pytest.mark.parametrize("content", [b'"1A2B" = 42\n', b'"1A2B" = "x\n', b"\xff\xfe",
                                     b'"1A2B" = ["a"]\n'])
def test_bad_passwords_file_is_refused_without_echo(content: bytes, tmp_path: Path) -> None:
    passwords = tmp_path / "mots-de-passe.toml"
    passwords.write_bytes(content)
    run = run_cli("fleet", "--inventory",
                  str(HOSTILE / "inventories" / "valide.toml"), "--passwords",
                  str(passwords), "--output-dir", str(tmp_path / "flotte"))
    assert_one_french_error(run, 3)
    assert str(passwords) in run.stderr
    assert not (tmp_path / "flotte").exists()


@pytest.mark.parametrize("docs_url", ["javascript:alert(document.domain)//", "file:///etc",
                                      "data:text/html,x", "https://docs.example/\"><script>",
                                      "docs.example"])
def test_docs_url_must_be_a_web_address(docs_url: str, guarded: Guarded) -> None:
    run = run_cli("--url", _unused_url(), "--docs-url", docs_url,
                  "--output", str(guarded.path))
    assert_one_french_error(run, 3)
    assert "--docs-url" in run.stderr
    guarded.assert_untouched()


@pytest.mark.parametrize("name", ["aucun-moyen", "deux-moyens"])
def test_an_inventory_entry_is_told_in_the_inventory_words(
        name: str, tmp_path: Path) -> None:
    path = HOSTILE / "inventories" / f"{name}.toml"
    run = run_cli("fleet", "--inventory", str(path), "--output-dir",
                  str(tmp_path / "flotte"))
    assert_one_french_error(run, 3)
    assert "un seul de ces champs\u00a0: datis, mac ou url" in run.stderr
    assert "--datis" not in run.stderr
