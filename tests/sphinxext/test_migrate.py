"""`datis-docs migrate`, run as writers run it: the real command (its entry point, and once
in a subprocess, as the console script runs it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext.migrate.cli import main
from tests.cli_run import Run, run_main
from tests.conftest import ROOT
from tests.panels_structure import tree_structure
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import ROOTS
from tests.sphinxext.test_panels import article
from tests.sphinxext.test_panels_corpus import differences, original

PAGES = ("defaut", "parties", "images", "colonnes", "contenu")


def datis_docs(*arguments: str | Path, process: bool = False) -> Run:
    """`datis-docs ARGUMENTS` from the repository: its entry point in this process, or
    `python -m sphinxext.migrate` in a child process."""
    argv = [str(argument) for argument in arguments]
    if process:
        done = subprocess.run([sys.executable, "-m", "sphinxext.migrate", *argv],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        return Run(done.returncode, done.stdout, done.stderr)
    return run_main(main, argv, env=os.environ)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A copy of the test-panels project, written for sphinx-panels."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-panels", source)
    return source


def test_dry_run_prints_a_diff_and_writes_nothing(pages: Path) -> None:
    before = (pages / "panels-parties.rst").read_text("utf-8")
    done = datis_docs("migrate", pages)
    assert done.code == 1, done.stderr
    assert f"--- a/{pages / 'panels-parties.rst'}" in done.stdout
    assert "+.. grid::" in done.stdout and "-.. panels::" in done.stdout
    assert "+      .. card-header::" in done.stdout
    assert done.stderr.strip().endswith("5 pages à migrer, 0 élément à reprendre à la main.")
    assert (pages / "panels-parties.rst").read_text("utf-8") == before


def test_migrated_pages_build_alone_and_look_as_with_the_layer(
    pages: Path, tmp_path: Path
) -> None:
    layer = sphinx_build(pages, tmp_path / "layer", "-W")
    assert layer.code == 0, layer.stderr
    done = datis_docs("migrate", "--write", pages)
    assert done.code == 0, done.stderr
    assert "panels::" not in "".join(p.read_text("utf-8") for p in pages.glob("panels-*.rst"))
    native = sphinx_build(pages, tmp_path / "native", "-W", "-D", "extensions=sphinx_design")
    assert native.code == 0, native.stderr
    assert "panels-bootstrap.css" not in native.html("panels-defaut")
    for page in PAGES:
        assert article(native.html(f"panels-{page}")) == article(layer.html(f"panels-{page}"))
    again = datis_docs("migrate", pages)
    assert again.code == 0, again.stdout
    assert again.stdout == ""


def test_what_has_no_equivalent_is_listed_with_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "index.rst"
    page.write_text(
        "Titre\n=====\n\n.. panels::\n\n    ---\n    :card: + jumbotron\n\n    Corps.\n\n"
        ".. code-block:: rst\n\n    .. panels::\n\n       :badge:`x,badge-info`\n\n"
        "Un badge ``:badge:`a``` et :badge:`b,badge-info` et :link-button:`x`.\n"
    )
    done = datis_docs("migrate", "--write", page)
    assert done.code == 0, done.stderr
    assert f"{page}:7: classe Bootstrap «\u00a0jumbotron\u00a0» (:card:) sans équivalent dans " in (
        done.stderr
    )
    text = page.read_text("utf-8")
    assert ":class-card: jumbotron" in text
    assert "    .. panels::\n\n       :badge:`x,badge-info`\n" in text
    assert "Un badge ``:badge:`a``` et :bdg-info:`b` et :link-button:`x`." in text


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (("migrate", "--bogus", "x"), 3,
         "datis-docs\u00a0: erreur\u00a0: arguments non reconnus\u00a0: --bogus\n"),
        (("migrate", "/nulle/part"), 2,
         "datis-docs\u00a0: erreur\u00a0: /nulle/part\u00a0: ni page ni dossier.\n"),
        (("migrate", "--delimiters", "^-{3,}$", "[", "c", "x.rst"), 3,
         "datis-docs\u00a0: erreur\u00a0: séparateur EN-TÊTE invalide «\u00a0[\u00a0»\u00a0: ce "
         "n'est pas une "
         "expression régulière correcte, au caractère 1.\n"),
    ],
    ids=["option-inconnue", "chemin-absent", "separateur-invalide"],
)
def test_bad_input_is_one_french_line_and_its_code(
    arguments: tuple[str, ...], code: int, message: str
) -> None:
    done = datis_docs(*arguments)
    assert done.code == code
    assert done.stderr.endswith(message)
    assert "Traceback" not in done.stderr


def test_help_is_french_and_documents_the_exit_codes() -> None:
    done = datis_docs("migrate", "--help", process=True)
    assert done.code == 0
    assert "codes de sortie\u00a0:" in done.stdout
    assert "1  sans --write\u00a0: des pages sont à migrer (le diff est affiché)" in done.stdout
    assert "afficher cette aide et quitter" in done.stdout


CORPUS = ROOT / "tests" / "fixtures" / "panels-corpus"
CORPUS_DELIMITERS = {"pages": (), "delimiteurs": ("--delimiters", "^={3,}$", "^~{3,}$", "^_{3,}$")}


@pytest.mark.parametrize("project", sorted(CORPUS_DELIMITERS))
def test_migrated_corpus_builds_with_sphinx_design_alone_as_the_original(
    project: str, tmp_path: Path
) -> None:
    """The corpus of test_panels_corpus.py, migrated: sphinx-design alone, same structure."""
    source = tmp_path / project
    shutil.copytree(CORPUS / project, source)
    done = datis_docs("migrate", "--write", "--stylesheet", source / "_static",
                      *CORPUS_DELIMITERS[project], source)
    assert done.code == 0, done.stderr
    pages = re.sub(r"``.+?``", "", "".join(p.read_text("utf-8") for p in source.rglob("*.rst")))
    assert not re.search(r"^\s*\.\. (panels|link-button|tabbed)::|:(badge|link-badge|opticon):`",
                         pages, re.M)
    build = sphinx_build(source, tmp_path / "html", "-W", "-D", "extensions=sphinx_design",
                         "-D", "html_static_path=_static",
                         "-D", "html_css_files=panels-bootstrap.css")
    assert (build.code, build.stderr) == (0, "")
    assert "sphinxext.panels" not in (build.out / "index.html").read_text("utf-8")
    expected = original()["projects"][project]
    report = differences(expected, tree_structure(build.out))
    assert not report, f"La structure migrée diffère de sphinx-panels 0.6\u00a0:\n{report}"
