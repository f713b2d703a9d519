"""argparse speaks French through gettext: a catalogue shipped with the package, no patching."""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import json
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from checks.cli import french
from scripts.compile_catalogue import compiled
from tests.cli_run import run_cli_process

ROOT = Path(__file__).resolve().parents[2]
PO = french.LOCALE_DIR / "fr" / "LC_MESSAGES" / "argparse.po"
FIXTURE = ROOT / "tests" / "fixtures" / "argparse-messages.json"


def _catalogue() -> dict[str, object]:
    with PO.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string
                for m in read_po(source) if m.id}


def _running_python_messages() -> set[str]:
    tree = ast.parse(Path(argparse.__file__).read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("_", "ngettext") and node.args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)
    return found


def _says(mo: bytes) -> tuple[str, str, dict[tuple[str | None, object], object]]:
    """What a compiled catalogue tells gettext: its plural rule, its charset and each message
    (context, msgid or its plural forms) -> msgstr; not its bytes, whose header (Generated-By)
    and layout belong to the Babel release that wrote them."""
    catalog = read_mo(io.BytesIO(mo))
    messages = {(m.context, tuple(m.id) if isinstance(m.id, list | tuple) else m.id):
                tuple(m.string) if isinstance(m.string, list | tuple) else m.string
                for m in catalog if m.id}
    return catalog.plural_forms, catalog.charset, messages


def test_mo_file_is_the_compiled_po() -> None:
    assert _says(PO.with_suffix(".mo").read_bytes()) == _says(compiled(PO)), \
        "relancez scripts/compile_catalogue.py"


def test_every_message_of_every_supported_python_is_translated() -> None:
    catalogue = _catalogue()
    data = json.loads(FIXTURE.read_text("utf-8"))
    wanted = set(data["singular"]) | {p["singular"] for p in data["plural"]}
    versions = {v for vs in data["singular"].values() for v in vs}
    assert versions == {"3.11", "3.12", "3.13", "3.14"}
    missing = sorted(m for m in wanted if not catalogue.get(m))
    assert missing == []


def test_the_running_python_has_no_message_the_catalogue_lacks() -> None:
    catalogue = _catalogue()
    assert sorted(_running_python_messages() - set(catalogue)) == []


def test_argparse_is_not_patched_and_translates_through_gettext(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """speak_french changes this process: the test puts LANGUAGE and the domain back."""
    monkeypatch.setenv("LANGUAGE", "fr")
    domain = gettext.textdomain()
    try:
        french.speak_french()
        assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
        assert gettext.gettext("usage: ") == "usage : "
        assert gettext.ngettext("expected %s argument", "expected %s arguments", 2) == \
            "%s valeurs attendues"
    finally:
        gettext.textdomain(domain)


def test_cli_is_french_under_an_english_locale() -> None:
    # a subprocess: the interpreter sets its locale from LANG and LC_ALL when it starts
    done = run_cli_process("--format", "xml", "--datis", "1A2B", env={
        "LANG": "en_US.UTF-8", "LANGUAGE": "en", "LC_ALL": "en_US.UTF-8"})
    assert done.code == 3
    assert done.stderr.splitlines()[0].startswith("usage\u00a0: datis-audit audit")
    last = done.stderr.splitlines()[-1]
    # How choices are quoted varies between Pythons; the French words do not.
    assert last.startswith("datis-audit\u00a0: erreur\u00a0: option --format\u00a0: choix "
                           "invalide\u00a0: 'xml' "
                           "(choix possibles\u00a0: ")
    assert "nagios" in last
