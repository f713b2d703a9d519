"""An appliance whose names and values try to inject code into every report format.

The `hostile` scenario holds HTML, JavaScript, reST directives and roles, control characters
and ANSI sequences; this module adds a very long name and a name in invalid UTF-8, as a real
server sends a name stored in another encoding. Every format must stay valid and show the
payloads as inert text; the appliance must not be touched.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import docutils.core
import docutils.nodes
import docutils.utils
import pytest

from checks.appliance import snapshot
from checks.emulator import Emulator
from checks.emulator.records import Client
from tests.cli_run import run_cli
from tests.conftest import PASSWORD
from tests.hardening.conftest import Watch

FORMATS = ("text", "json", "junit", "rst", "html", "nagios", "prometheus")
LONG_NAME = "PC-" + "Ü<b>x</b>" * 2500
LATIN1_NAME = "PC-\udce9T\udce9"  # « PC-ÉTÉ » stored in Latin-1: bytes E9, invalid in UTF-8
CLIENT_SCRIPT = "<script>document.body.setAttribute('data-pwned','client')</script>"
CLIENT_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
REST_NAME = "`x`_ |sub| :role:`y` [#]_ **gras** _`cible` .. |sub| replace:: piège"
CDATA_NAME = "]]></failure><injected/><![CDATA[ & \" ' </testcase>"


@dataclass
class Reports:
    texts: dict[str, str]
    codes: dict[str, int]
    stderr: dict[str, str]
    snapshot_path: Path
    watch: Watch


def hostile_emulator() -> Emulator:
    emulator = Emulator("hostile", admin_password=PASSWORD)
    emulator.state.add_client(Client(id=20, name=LONG_NAME, online=True))
    emulator.state.add_client(Client(id=21, name=LATIN1_NAME, online=True))
    emulator.state.set_client_row(21, "update_freq_incr", "90000", 2)
    return emulator


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reports]:
    folder = tmp_path_factory.mktemp("rapports-hostiles")
    emulator = hostile_emulator()
    watch = Watch(emulator)
    texts, codes, stderr = {}, {}, {}
    with emulator as url:
        for fmt in FORMATS:
            target = folder / f"rapport.{fmt}"
            run = run_cli("--url", url, "--format", fmt, "--output", str(target))
            texts[fmt] = target.read_text(encoding="utf-8") if target.exists() else ""
            codes[fmt], stderr[fmt] = run.code, run.stderr
        snap = folder / "instantane.json"
        run = run_cli("snapshot", "--url", url, "--output", str(snap))
        codes["snapshot"], stderr["snapshot"] = run.code, run.stderr
        yield Reports(texts, codes, stderr, snap, watch)


@pytest.mark.parametrize("fmt", [*FORMATS, "snapshot"])
def test_hostile_appliance_is_audited_without_error(reports: Reports, fmt: str) -> None:
    expected = {"nagios": 2, "snapshot": 0}.get(fmt, 1)  # drifted: CRITICAL for Nagios
    assert reports.codes[fmt] == expected, reports.stderr[fmt]
    assert "Traceback" not in reports.stderr[fmt]
    assert reports.stderr[fmt].count("erreur") == 0, reports.stderr[fmt]


def test_appliance_untouched_by_every_format(reports: Reports) -> None:
    reports.watch.assert_untouched()
    assert ("settings", "clientsettings") in reports.watch.calls


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_reaches_any_report(reports: Reports, fmt: str) -> None:
    text = reports.texts[fmt]
    assert text
    # JSON is data: it keeps a name as it is, with the C0 controls escaped as JSON requires.
    shown = r"[\x00-\x08\x0b-\x1f\ud800-\udfff]" if fmt == "json" else \
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"
    bad = re.findall(shown, text)
    assert bad == [], f"{fmt} : {sorted(set(bad))!r}"
    if fmt == "json":  # data: the name kept whole, but the report stays bounded
        assert len(text) < 1_000_000
    else:
        assert max(len(line) for line in text.splitlines()) < 4000, "nom très long recopié"


def test_json_report_parses_and_keeps_the_names_as_text(reports: Reports) -> None:
    data = json.loads(reports.texts["json"])
    dumped = json.dumps(data, ensure_ascii=False)
    assert CLIENT_SCRIPT in dumped
    assert "PC-\N{REPLACEMENT CHARACTER}T\N{REPLACEMENT CHARACTER}" in dumped


def test_snapshot_parses_back(reports: Reports) -> None:
    reading = snapshot.load(reports.snapshot_path)
    names = {client.name for client in reading.clients}
    assert CLIENT_SCRIPT in names
    assert "PC-\N{REPLACEMENT CHARACTER}T\N{REPLACEMENT CHARACTER}" in names


def test_junit_report_is_well_formed_xml_without_injected_elements(reports: Reports) -> None:
    root = ET.fromstring(reports.texts["junit"])
    tags = {element.tag for element in root.iter()}
    assert tags <= {"testsuites", "testsuite", "testcase", "failure", "skipped", "properties",
                    "property", "system-out", "error"}, tags
    assert any(CDATA_NAME in (case.get("name") or "") for case in root.iter("testcase"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_has_no_unescaped_tag(reports: Reports) -> None:
    parser = _Tags()
    parser.feed(reports.texts["html"])
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "img", "svg", "iframe", "b", "i", "object", "embed", "a"} \
        - {"a"}, tags
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
            assert "pwned" not in (value or ""), (tag, name, value)
    text = "".join(parser.text)
    for payload in (CLIENT_SCRIPT, CLIENT_IMG, "<b id=\"pwned-identity\">D4T1S</b>"):
        assert payload in text
    assert "&lt;script&gt;document.body.setAttribute(" in reports.texts["html"]


_FORBIDDEN_NODES = (docutils.nodes.raw, docutils.nodes.substitution_reference,
                    docutils.nodes.substitution_definition, docutils.nodes.footnote_reference,
                    docutils.nodes.footnote, docutils.nodes.citation_reference,
                    docutils.nodes.target, docutils.nodes.problematic,
                    docutils.nodes.system_message, docutils.nodes.title_reference,
                    docutils.nodes.literal, docutils.nodes.pending, docutils.nodes.image,
                    docutils.nodes.comment)


def test_rst_report_parses_without_messages_and_runs_nothing(reports: Reports) -> None:
    doctree = docutils.core.publish_doctree(
        reports.texts["rst"],
        # Every message, even an info, would stay in the tree as a system_message node.
        settings_overrides={"report_level": 1, "halt_level": 5, "raw_enabled": False,
                            "file_insertion_enabled": False, "warning_stream": False},
    )
    found = [node for node in doctree.findall() if isinstance(node, _FORBIDDEN_NODES)]
    assert found == [], [n.astext()[:80] for n in found]
    for node in doctree.findall(docutils.nodes.reference):
        uri = str(node.get("refuri", ""))
        assert uri.startswith(("http://", "https://")) or not re.match(r"[\w+.-]*:", uri), uri
    text = doctree.astext()
    for payload in (CLIENT_SCRIPT, CLIENT_IMG, REST_NAME, ".. raw:: html",
                    "javascript:document.body.setAttribute("):
        assert payload in text, payload


def test_text_report_cannot_drive_a_terminal(reports: Reports) -> None:
    assert "\x1b" not in reports.texts["text"]
    assert "\r" not in reports.texts["text"]
    assert "ROUGE" in reports.texts["text"]


def test_nagios_line_cannot_be_split(reports: Reports) -> None:
    """A hostile value adds no line: the status line, then one line per écart listed."""
    lines = reports.texts["nagios"].splitlines()
    assert lines[0].startswith("DATIS CRITICAL - ") and lines[0].count("|") == 1
    listed = lines[1:]
    assert listed and all(line.split(" : ")[0] in ("critique", "majeur", "mineur")
                          for line in listed), listed
    assert "|" not in "".join(listed)


_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
_METRIC = re.compile(rf"^[a-zA-Z_:][a-zA-Z0-9_:]*\{{(?:{_LABEL},?)*\}} -?[0-9.e+]+$")


def test_prometheus_metrics_stay_well_formed(reports: Reports) -> None:
    for line in reports.texts["prometheus"].splitlines():
        assert line.startswith("# ") or _METRIC.match(line), line


def test_fix_simulation_shows_hostile_names_inertly() -> None:
    emulator = hostile_emulator()
    watch = Watch(emulator)
    with emulator as url:
        run = run_cli("fix", "--url", url)
    assert run.code == 1, run.stderr
    assert "Simulation\u00a0: rien n'a été modifié" in run.stdout
    assert CLIENT_SCRIPT in run.stdout
    assert re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", run.stdout) == []
    watch.assert_untouched()


def test_fleet_summary_shows_hostile_names_inertly(tmp_path: Path) -> None:
    inventory = tmp_path / "inventaire.toml"
    emulator = hostile_emulator()
    with emulator as url:
        inventory.write_text(
            f'schema = 1\n[[appliance]]\nurl = "{url}"\n'
            'nom = "[bold red]GRAS[/bold red] [link=javascript:x]lien[/link] '
            '\\u001b[31mROUGE\\u001b[0m\\r\\nLIGNE"\n', encoding="utf-8")
        run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                      str(tmp_path / "flotte"), "--format", "json,junit,rst")
    assert run.code == 1, run.stderr
    assert "[bold red]GRAS[/bold red]" in run.stdout  # rich markup shown, not applied
    assert re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", run.stdout) == []
    for report in (tmp_path / "flotte").iterdir():
        if report.suffix == ".json":
            json.loads(report.read_text(encoding="utf-8"))
        elif report.suffix == ".xml":
            ET.fromstring(report.read_text(encoding="utf-8"))
