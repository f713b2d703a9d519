"""Injection in a real browser: hostile names stay inert text in every page a customer opens.

Debian's headless Chromium loads each page (the HTML compliance report, the docs' compliance
and settings pages built from the hostile appliance, the fleet summary and reports) and dumps
the DOM once scripts and load errors have run. The payloads try to mark the DOM
(`data-pwned`); the mark must be absent, no element the payloads carry may exist, and their
text must be on the page. A control page proves the browser does run such a script.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checks.emulator import Emulator
from tests.browser import Browser
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT
from tests.hardening.conftest import HOSTILE, Watch
from tests.hardening.test_hostile_values import hostile_emulator
from tests.sphinx_run import sphinx_build

FLEET_NAME = "<img src=x onerror=\"document.body.setAttribute('data-pwned','fleet')\">"


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._tag = tag

    def handle_data(self, data: str) -> None:
        if self._tag not in ("script", "style"):
            self.text.append(data)


def dump_dom(browser: Browser, page: Path) -> _Dom:
    html = browser.dump_dom(page.as_uri())
    assert "<body" in html
    dom = _Dom()
    dom.feed(html)
    return dom


@dataclass
class Pages:
    folder: Path
    watch: Watch


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pages]:
    out = tmp_path_factory.mktemp("navigateur")
    emulator = hostile_emulator()
    watch = Watch(emulator)
    with emulator as url:
        for fmt in ("html", "rst"):
            run = run_cli("--url", url, "--format", fmt,
                          "--output", str(out / f"rapport.{fmt}"))
            assert run.code == 1, run.stderr
        inventory = out / "inventaire.toml"
        inventory.write_text(f"schema = 1\n\n[[appliance]]\nurl = \"{url}\"\n"
                             f"nom = '''{FLEET_NAME}'''\n", encoding="utf-8")
        run = run_cli("fleet", "--inventory", str(inventory), "--output-dir",
                      str(out / "flotte"), "--format", "html")
        assert run.code == 1, run.stderr
        with Emulator("datis-conforme", admin_password=PASSWORD) as installed:
            run = run_cli("snapshot", "--url", installed, "--output",
                          str(out / "installation.json"))
            assert run.code == 0, run.stderr
        run = run_cli("diff", str(out / "installation.json"), "--url", url, "--format",
                      "html", "--output", str(out / "changements.html"))
        assert run.code == 1, run.stderr
        for _ in range(2):
            run = run_cli("--url", url, "--history", str(out / "historique"),
                          "--output", str(out / "audit.json"), "--format", "json")
            assert run.code == 1, run.stderr
        run = run_cli("history", str(out / "historique"), "--output",
                      str(out / "historique.html"))
        assert run.code == 0, run.stderr
        done = sphinx_build(HOSTILE / "docs", out / "docs", "-E", confdir=ROOT,
                            env={"DATIS_URL": url, "DATIS_PASSWORD": PASSWORD,
                                 "DATIS_COMPLIANCE_PAGE": str(out / "rapport.rst")})
        assert done.code == 0, done.stderr[-2000:]
    yield Pages(out, watch)


def test_control_page_shows_the_browser_runs_scripts(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "temoin.html"
    page.write_text("<!DOCTYPE html><html><body><img src=x onerror=\"document.body."
                    "setAttribute('data-pwned','temoin')\"></body></html>", encoding="utf-8")
    dom = dump_dom(browser, page)
    body = next(attrs for tag, attrs in dom.elements if tag == "body")
    assert body.get("data-pwned") == "temoin"


PAGES = {
    "rapport": ("rapport.html", ("client", "img", "smtp", "user")),
    "docs-conformite": ("docs/conformite.html", ("client", "img", "smtp", "rst")),
    "docs-reglages": ("docs/reglages.html", ("smtp", "raw", "letters")),
    "flotte-synthese": ("flotte/index.html", ("fleet",)),
    "changements": ("changements.html", ("client", "smtp")),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_payload_runs_in_the_browser(name: str, pages: Pages, browser: Browser) -> None:
    relative, marks = PAGES[name]
    dom = dump_dom(browser, pages.folder / relative)
    for tag, attrs in dom.elements:
        assert "data-pwned" not in attrs, (tag, attrs)
        assert "pwned-identity" not in (attrs.get("id") or ""), (tag, attrs)
        for attribute, value in attrs.items():
            assert not (attribute.startswith("on") and "pwned" in (value or "")), (tag, attrs)
            assert not (value or "").lower().startswith("javascript:"), (tag, attrs)
        assert tag not in ("iframe", "svg", "object", "embed"), (tag, attrs)
    text = " ".join(dom.text).replace("\u2019", "'").replace("\u201c", "'") \
        .replace("\u201d", "'").replace('"', "'")
    for mark in marks:
        assert f"'data-pwned', '{mark}'" in text or f"'data-pwned','{mark}'" in text, mark
    assert "document.body.setAttribute(" in text


def test_fleet_report_of_each_appliance_is_inert(pages: Pages, browser: Browser) -> None:
    reports = sorted((pages.folder / "flotte").glob("*.html"))
    reports = [r for r in reports if r.name != "index.html"]
    assert reports
    dom = dump_dom(browser, reports[0])
    assert all("data-pwned" not in attrs for _, attrs in dom.elements)
    assert "data-pwned','client'" in " ".join(dom.text)


def test_history_page_is_inert_and_its_only_svg_is_the_chart(pages: Pages,
                                                             browser: Browser) -> None:
    dom = dump_dom(browser, pages.folder / "historique.html")
    for tag, attrs in dom.elements:
        assert "data-pwned" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag not in ("script", "iframe", "object", "embed", "img", "foreignobject")
    assert [attrs.get("class") for tag, attrs in dom.elements if tag == "svg"] == [
        "datis-historique"]
    assert len([tag for tag, _ in dom.elements if tag == "circle"]) == 6


def test_building_the_pages_changed_nothing(pages: Pages) -> None:
    pages.watch.assert_untouched()
