"""Every report format, produced by the real CLI, read back by a real parser."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from sphinx.testing.util import SphinxTestApp

from tests.cli_run import Run

MAIL_PASSWORD = "Relais-SMTP-demo-7731"


def test_json_matches_its_published_schema(audit_cli: Callable[..., Run]) -> None:
    schema = json.loads(resources.files("checks").joinpath("data/audit-report.schema.json")
                        .read_text("utf-8"))
    for scenario, code in (("datis-conforme", 0), ("datis-derive", 1),
                           ("sauvegardes-en-retard", 1)):
        run = audit_cli(scenario, "--format", "json")
        assert run.code == code, run
        report = json.loads(run.stdout)
        jsonschema.validate(report, schema, format_checker=jsonschema.FormatChecker())
        assert report["schema"] == "datis-audit/1"


def test_junit_counts_failures_per_section(audit_cli: Callable[..., Run]) -> None:
    run = audit_cli("datis-derive", "--format", "junit")
    assert run.code == 1, run
    root = ET.fromstring(run.stdout)
    assert root.tag == "testsuites"
    assert root.get("failures") == "7"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["Plan de sauvegarde en mode fichier"].get("failures") == "4"
    failures = [f.get("message") for f in root.iter("failure")]
    assert any("12 heures" in (m or "") for m in failures)
    assert sum(int(s.get("tests", 0)) for s in suites.values()) == int(root.get("tests", -1))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_is_a_french_standalone_page(audit_cli: Callable[..., Run],
                                                tmp_path: Path) -> None:
    output = tmp_path / "conformite.html"
    run = audit_cli("datis-derive", "--format", "html", "--output", str(output))
    assert run.code == 1 and run.stdout == ""
    page = output.read_text("utf-8")
    parser = _Collector()
    parser.feed(page)
    text = " ".join(parser.text)
    assert '<html lang="fr">' in page
    assert parser.scripts == 0
    assert parser.tags.count("table") == 7  # the overview, then one per section
    assert "Non conforme\u00a0: 7 écarts" in text
    assert "Plan de sauvegarde en mode image" in text
    assert "<a href" not in page.split("<main>")[1].replace('<a href="#', "")  # no docs link
    assert MAIL_PASSWORD not in page


def test_docs_links_are_absolute_and_only_with_a_docs_address(audit_cli: Callable[..., Run],
                                                               tmp_path: Path) -> None:
    docs = "https://docs.exemple.fr/datis/"
    output = tmp_path / "conformite.html"
    run = audit_cli("datis-derive", "--format", "html", "--output", str(output),
                    "--docs-url", docs)
    assert run.code == 1
    links = re.findall(r'<a href="([^"]+)"', output.read_text("utf-8"))
    outside = [link for link in links if not link.startswith("#")]
    assert outside and all(link.startswith(docs) for link in outside)
    assert f"{docs}reglages.html#reglages-plan-fichiers" in outside
    assert f"{docs}audit.html#securite" not in outside  # securite has no écart here
    report = json.loads(audit_cli("datis-derive", "--format", "json").stdout)
    assert {c["doc"] for c in report["constats"]} == {None}
    rst = re.sub(r"\\(.)", r"\1", audit_cli("datis-derive", "--format", "rst",
                                           "--docs-url", docs).stdout)
    assert f"`documentation <{docs}reglages.html#reglages-plan-fichiers>`__" in rst
    assert "documentation <" not in audit_cli("datis-derive", "--format", "rst").stdout


@pytest.mark.sphinx("html")
def test_rst_page_builds_in_sphinx_without_warnings(audit_cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    run = audit_cli("sauvegardes-en-retard", "--format", "rst",
                    "--output", str(source / "index.rst"))
    assert run.code == 1
    (source / "conf.py").write_text('language = "fr"\n', "utf-8")
    app = SphinxTestApp("html", srcdir=source)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    html = (source / "_build" / "html" / "index.html").read_text("utf-8")
    assert "PC-DIRECTION" in html
    assert "Santé des sauvegardes" in html


def test_text_summary_has_no_colour_when_piped_or_no_color(audit_cli: Callable[..., Run]) -> None:
    piped = audit_cli("datis-derive")
    assert piped.code == 1, piped
    assert "\x1b[" not in piped.stdout
    assert "Non conforme\u00a0: 7 écarts" in piped.stdout
    assert "Messagerie sortante" in piped.stdout
    forced = audit_cli("datis-derive", env={"NO_COLOR": "1"})
    assert forced.code == 1, forced
    assert "\x1b[" not in forced.stdout
