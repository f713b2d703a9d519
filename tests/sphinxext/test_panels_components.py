"""`panels` builds the very components sphinx-design's `grid` and `grid-item-card` build.

Beyond the same HTML (test_panels.py), the doctree holds the same sphinx-design components,
in the same order: sphinx-design's own transforms and directives find them by name.
"""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

from docutils import nodes

from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import ROOTS


def _nodes(doctrees: Path, page: str) -> list[tuple[str, list[str]]]:
    """The page's sphinx-design components in document order, with their classes."""
    with (doctrees / f"{page}.doctree").open("rb") as stream:
        document = pickle.load(stream)
    return [(node["design_component"], node["classes"])
            for node in document.findall(nodes.container) if "design_component" in node]


def _components(doctrees: Path, page: str) -> list[str]:
    return [name for name, _ in _nodes(doctrees, page)]


def test_panels_build_the_components_of_grid_item_cards(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(ROOTS / "test-panels" / "conf.py", source)
    for page in ("panels-parties", "grid-parties"):
        shutil.copy(ROOTS / "test-panels" / f"{page}.rst", source)
    (source / "index.rst").write_text(
        "Essai\n=====\n\n.. toctree::\n\n   panels-parties\n   grid-parties\n", "utf-8")
    build = sphinx_build(source, tmp_path / "html", "-W")
    assert build.code == 0, build.stderr
    doctrees = tmp_path / "html" / ".doctrees"
    card = ["grid-item", "card", "card-header", "card-body", "card-footer"]
    assert _components(doctrees, "panels-parties") == ["grid-container", "grid-row", *card,
                                                       *card]
    assert _components(doctrees, "grid-parties") == _components(doctrees, "panels-parties")


def test_classes_the_grid_builds_itself_are_not_written_twice(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["sphinx_design", "sphinxext.panels"]\nlanguage = "fr"\n', "utf-8")
    (source / "index.rst").write_text(
        "Classes\n=======\n\n.. panels::\n    :column: + d-flex\n    :card: + card w-100\n\n"
        "    Déjà là.\n\n    ---\n    :column: col-xl-4\n\n    Seulement très large.\n",
        "utf-8")
    build = sphinx_build(source, tmp_path / "html", "-W")
    assert build.code == 0, build.stderr
    # In the doctree: the HTML writer would hide a class written twice.
    found = _nodes(tmp_path / "html" / ".doctrees", "index")
    assert [classes for name, classes in found if name == "grid-item"] == [
        ["sd-col", "sd-d-flex-row", "sd-col-12", "sd-col-xs-12", "sd-col-sm-6", "sd-col-md-6",
         "sd-col-lg-6", "sd-p-2"],
        ["sd-col", "sd-d-flex-row", "sd-col-xl-4"]]
    assert [classes for name, classes in found if name == "card"] == [
        ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-md"]] * 2
    assert re.findall(r'<div class="(sd-col [^"]*)"', build.html("index")) == [
        "sd-col sd-d-flex-row sd-col-12 sd-col-xs-12 sd-col-sm-6 sd-col-md-6 sd-col-lg-6 "
        "sd-p-2 docutils",
        "sd-col sd-d-flex-row sd-col-xl-4 docutils"]
