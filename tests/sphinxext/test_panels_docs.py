"""The French docs themselves: they build with -W and hold what reports and pages link to."""

from __future__ import annotations

import re
from html import unescape

import pytest

from checks.audit import baseline, health, security
from tests.conftest import ROOT
from tests.sphinx_run import Build, sphinx_build


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """docs/ built as CI builds it (-W, the project's conf.py), in documented mode."""
    folder = tmp_path_factory.mktemp("docs")
    build = sphinx_build(ROOT / "docs", folder / "html", "-W", "--keep-going", confdir=ROOT)
    assert (build.code, build.warnings()) == (0, []), build.stderr
    return build


def _anchors(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_report_links_land_on_a_section(docs: Build) -> None:
    """Every docs link datis-audit writes in its reports points at an existing anchor."""
    links = {f"reglages#{section.doc}" for section in baseline.load().sections.values()}
    links |= {security.SECURITY.doc, health.HEALTH.doc, "audit#derogations"}
    assert {"reglages#reglages-messagerie", "audit#securite", "audit#sante"} <= links
    for link in sorted(links):
        page, _, anchor = link.partition("#")
        assert anchor in _anchors(docs.html(page)), link


def test_interface_page(docs: Build) -> None:
    html = docs.html("interface")
    anchors = _anchors(html)
    assert {"intro-interface-gestion-urbackup", "intro-agents-collecte-urbackup"} <= anchors
    card = html[html.index('class="sd-card ') :]
    card = card[: card.index("Se connecter")]
    assert "À propos du choix de l’outil UrBackup" in card
    assert "open source" in card and "dix ans" in card
    assert "https://backup.XXXX.inspee.re" in html
    assert 'href="https://backup.1a2b.inspee.re"' in html
    assert "support@inspeere.com" in unescape(re.sub(r"<[^>]+>", "", html))
    assert html.count("figure 1</span>") == 2 and html.count("figure 2</span>") == 1
    for figure in ("statut_urbackup.png", "reglages_fichiers_urbackup.png"):
        assert f'src="_images/{figure}"' in html
        assert (docs.out / "_images" / figure).is_file()
    assert "menu « Etats »" in html
    for section in ("reglages-messagerie", "reglages-plan-fichiers", "reglages-plan-images"):
        assert f'href="reglages.html#{section}"' in html


def test_settings_page_shows_baseline_values(docs: Build) -> None:
    html = docs.html("reglages")
    assert html.count('class="datis-reglages') == 4
    assert "5 heures" in html and "smtp.inspee.re" in html
    for figure in ("reglages_messagerie_urbackup.png", "reglages_images_urbackup.png"):
        assert f'src="_images/{figure}"' in html


def test_every_figure_of_the_docs_is_shown_and_every_shown_figure_exists() -> None:
    """No stale screenshot left behind (the old ones contradicted the settings page)."""
    shown = set()
    for page in (ROOT / "docs").glob("*.rst"):
        shown |= set(re.findall(r"^\.\. figure:: images/(\S+)$", page.read_text("utf-8"), re.M))
    assert shown == {p.name for p in (ROOT / "docs" / "images").iterdir()}


def test_pages_never_type_a_documented_value() -> None:
    """Values of the baseline appear in the pages only through the roles and tables."""
    typed = re.compile(r"\b(5 heures|30 jours|7 jours|60 jours|smtp\.inspee\.re|587)\b")
    for page in (ROOT / "docs").glob("*.rst"):
        prose = re.sub(r":datis-[a-z]+:`[^`]*`", "", page.read_text("utf-8"))
        assert not typed.search(prose), page.name
