"""The `panels` options that set images, classes and column widths, on a real `sphinx-build`.

Images given on the directive are every panel's, unless a panel gives its own; an option
given empty replaces the defaults with nothing, as in sphinx-panels; a column width goes
from 1 to 12, or `auto`, at every breakpoint; anything else is one located warning and the
class is left out. A block of empty panels is said so, once.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.sphinx_run import Build, sphinx_build
from tests.sphinxext.conftest import ROOTS

CONF = 'extensions = ["sphinx_design", "sphinxext.panels"]\nlanguage = "fr"\n'
PAGES = {
    "images": """\
Images
======

.. panels::
    :img-top: _static/logo.png
    :img-bottom: _static/logo.png

    Avec les images de la directive.

    ---
    :img-top: _static/autre.png

    Avec sa propre image du haut.

    ---

    De nouveau avec celles de la directive.
""",
    "sans-image": """\
Sans image
==========

.. panels::
    :img-top:

    Une option sans chemin.
""",
    "colonnes": """\
Colonnes
========

.. panels::
    :column: col-1 col-md-12 col-lg-auto

    Largeurs extrêmes.

    ---
    :column: col-lg-0 col-md-13 col-sm-5

    Largeurs hors limites.
""",
    "conteneur": """\
Conteneur
=========

.. panels::
    :container:
    :card:

    Ni classes de conteneur ni ombre.
""",
    "option-inconnue": """\
Option inconnue
===============

.. panels::

    :colum: col-lg-4
    :card: + reconnue

    Corps.
""",
    "vides": """\
Vides
=====

.. panels::

    ---

    ---
""",
}


def _build(tmp_path: Path, name: str) -> tuple[Path, Build]:
    """Page `name` built alone, with the test project's images (one build per test)."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-panels" / "_static", source / "_static")
    shutil.copy(source / "_static" / "logo.png", source / "_static" / "autre.png")
    (source / "conf.py").write_text(CONF, "utf-8")
    (source / "index.rst").write_text(f"Page\n====\n\n.. toctree::\n\n   {name}\n", "utf-8")
    (source / f"{name}.rst").write_text(PAGES[name], "utf-8")
    build = sphinx_build(source, tmp_path / "html")
    assert build.code == 0, build.stderr
    return source, build


def _warnings(build: Build, page: str) -> list[str]:
    return [w for w in build.warnings() if f"{page}.rst" in w]


def test_the_directives_images_are_every_panels_unless_it_has_its_own(tmp_path: Path) -> None:
    _, build = _build(tmp_path, "images")
    html = build.html("images")
    cards = html.split('class="sd-card ')[1:]
    assert len(cards) == 3
    images = [re.findall(r'<img alt="" class="(sd-card-img-\w+)[^"]*" src="_images/(\w+)\.png"',
                         card) for card in cards]
    assert images == [[("sd-card-img-top", "logo"), ("sd-card-img-bottom", "logo")],
                      [("sd-card-img-top", "autre"), ("sd-card-img-bottom", "logo")],
                      [("sd-card-img-top", "logo"), ("sd-card-img-bottom", "logo")]]
    assert _warnings(build, "images") == []


def test_an_image_option_without_a_path_is_one_warning_at_the_directive(tmp_path: Path) -> None:
    source, build = _build(tmp_path, "sans-image")
    assert "<img" not in build.html("sans-image")
    assert _warnings(build, "sans-image") == [
        f"{source / 'sans-image.rst'}:4: WARNING: l'option « :img-top: » attend le chemin "
        "d'une image. [panels.panels]"]


def test_column_widths_go_from_1_to_12_or_auto(tmp_path: Path) -> None:
    source, build = _build(tmp_path, "colonnes")
    html = build.html("colonnes")
    items = re.findall(r'<div class="(sd-col sd-d-flex-row[^"]*)"', html)
    assert items == [
        "sd-col sd-d-flex-row sd-col-1 sd-col-xs-1 sd-col-sm-1 sd-col-md-12 sd-col-lg-auto "
        "docutils",
        "sd-col sd-d-flex-row sd-col-12 sd-col-xs-12 sd-col-sm-5 sd-col-md-5 sd-col-lg-5 "
        "docutils"]
    lines = (source / "colonnes.rst").read_text("utf-8").splitlines()
    line = lines.index("    :column: col-lg-0 col-md-13 col-sm-5") + 1
    assert _warnings(build, "colonnes") == [
        f"{source / 'colonnes.rst'}:{line}: WARNING: classe de colonne invalide « {name} » : "
        "la largeur va de 1 à 12 (ou auto) ; classe ignorée. [panels.panels]"
        for name in ("col-lg-0", "col-md-13")]


def test_an_option_given_empty_leaves_out_the_defaults(tmp_path: Path) -> None:
    _, build = _build(tmp_path, "conteneur")
    html = build.html("conteneur")
    assert re.findall(r'<div class="(sd-container-fluid[^"]*)"', html) == [
        "sd-container-fluid sd-sphinx-override sd-m-0 docutils"]
    assert re.findall(r'<div class="(sd-card [^"]*)"', html) == [
        "sd-card sd-sphinx-override sd-w-100 sd-shadow-md docutils"]
    assert _warnings(build, "conteneur") == []


def test_a_block_of_empty_panels_is_said_so(tmp_path: Path) -> None:
    source, build = _build(tmp_path, "vides")
    assert "sd-card" not in build.html("vides")
    where = source / "vides.rst"
    assert _warnings(build, "vides") == [
        *(f"{where}:{line}: WARNING: panneau vide après ce séparateur « --- » : il est "
          "ignoré. [panels.panels]" for line in (6, 8)),
        f"{where}:4: WARNING: la directive « panels » ne contient que des panneaux vides. "
        "[panels.panels]"]


def test_an_unknown_panel_option_is_one_warning_naming_the_known_ones(tmp_path: Path) -> None:
    source, build = _build(tmp_path, "option-inconnue")
    html = build.html("option-inconnue")
    assert re.findall(r'<div class="(sd-col [^"]*)"', html) == [
        "sd-col sd-d-flex-row sd-col-12 sd-col-xs-12 sd-col-sm-6 sd-col-md-6 sd-col-lg-6 "
        "sd-p-2 docutils"]
    assert "sd-shadow-md reconnue docutils" in html
    assert _warnings(build, "option-inconnue") == [
        f"{source / 'option-inconnue.rst'}:6: WARNING: option de panneau inconnue « :colum: » "
        "(options possibles : :column:, :card:, :body:, :header:, :footer:, :img-top:, "
        ":img-bottom:, :img-top-cls:, :img-bottom-cls:) : ligne ignorée. [panels.panels]"]
