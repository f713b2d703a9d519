"""Proof against the original: the sphinx-panels corpus gives on our stack what it gave on its own.

tests/fixtures/panels-corpus/ holds pages that use every feature of sphinx-panels 0.6, and
structure.json what a reader sees of them when Sphinx 4.5 + sphinx-panels 0.6 build them
(made by scripts/panels_reference.py, see tests/fixtures/panels-corpus/README.md). Here the
same pages are built on our stack with -W and the same extractor reads the result.
"""

from __future__ import annotations

import difflib
import json
import shutil
from typing import Any

import pytest
from sphinx.util.console import strip_escape_sequences

from tests.conftest import ROOT
from tests.panels_structure import tree_structure
from tests.sphinx_run import Build, sphinx_build

CORPUS = ROOT / "tests" / "fixtures" / "panels-corpus"
PROJECTS = ("pages", "delimiteurs")


def original() -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((CORPUS / "structure.json").read_text("utf-8"))
    return fixture


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """Each corpus project built once on our stack, as CI builds docs: with -W."""
    folder = tmp_path_factory.mktemp("panels-corpus")
    builds = {}
    for project in PROJECTS:
        source = folder / "src" / project
        shutil.copytree(CORPUS / project, source)
        builds[project] = sphinx_build(source, folder / "html" / project, "-W")
    return builds


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    """Page by page, a unified diff of the structures that differ ('' when none do)."""
    report = []
    for page in sorted(expected.keys() | actual.keys()):
        if page not in actual:
            report.append(f"--- {page}: page absente de notre construction")
        elif page not in expected:
            report.append(f"+++ {page}: page absente de la référence")
        elif expected[page] != actual[page]:
            lines = difflib.unified_diff(
                json.dumps(expected[page], ensure_ascii=False, indent=1).splitlines(),
                json.dumps(actual[page], ensure_ascii=False, indent=1).splitlines(),
                f"{page} (sphinx-panels 0.6)", f"{page} (notre pile)", lineterm="")
            report.append("\n".join(lines))
    return "\n\n".join(report)


def test_fixture_covers_every_page_of_the_corpus() -> None:
    """A page added to the corpus without regenerating the fixture is caught here."""
    fixture = original()
    assert fixture["generated_by"]["script"] == "scripts/panels_reference.py"
    assert fixture["generated_by"]["stack"]["sphinx-panels"] == "0.6.0"
    assert set(fixture["projects"]) == set(PROJECTS)
    for project in PROJECTS:
        pages = {path.relative_to(CORPUS / project).with_suffix("").as_posix()
                 for path in (CORPUS / project).rglob("*.rst")}
        assert set(fixture["projects"][project]) == pages, project


@pytest.mark.parametrize("project", PROJECTS)
def test_corpus_builds_with_no_warning(built: dict[str, Build], project: str) -> None:
    build = built[project]
    messages = strip_escape_sequences(build.stderr).strip()
    assert messages == "", f"Messages de la construction (-W) :\n{messages}"
    assert build.code == 0


@pytest.mark.parametrize("project", PROJECTS)
def test_corpus_structure_matches_the_original(built: dict[str, Build], project: str) -> None:
    expected = original()["projects"][project]
    actual = tree_structure(built[project].out)
    report = differences(expected, actual)
    assert not report, f"La structure diffère de sphinx-panels 0.6 :\n{report}"
