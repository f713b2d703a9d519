"""Sphinx test roots, snapshots taken by the real CLI, and real sphinx-build runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD

ROOTS = Path(__file__).resolve().parent / "roots"
SECRET = "Relais-SMTP-demo-7731"
"""The SMTP password of every scenario: it must never appear in a build."""


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def take_snapshot(url: str, output: Path) -> Path:
    """`datis-audit snapshot` as a technician runs it."""
    run = run_cli("snapshot", "--url", url, "--output", str(output))
    assert run.code == 0, run.stderr
    return output


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Snapshots of the datis-conforme and datis-derive appliances, by the real CLI."""
    folder = tmp_path_factory.mktemp("snapshots")
    taken = {}
    for scenario in ("datis-conforme", "datis-derive"):
        with Emulator(scenario, admin_password=PASSWORD) as url:
            taken[scenario] = take_snapshot(url, folder / f"{scenario}.json")
    return taken


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A fresh copy of a test root: `project("datis")` -> its source folder.

    `project("datis", "other")` makes a second copy in another folder.
    """

    def copy(name: str, folder: str | None = None) -> Path:
        target = tmp_path / (folder or name)
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy


@pytest.fixture
def sphinx_app() -> Iterator[Callable[..., SphinxTestApp]]:
    """`sphinx_app(srcdir, datis_mode="snapshot", ...)`: a Sphinx app on a test project.

    Keyword arguments are config overrides; the app is not built yet. Two apps on the same
    folder share its build directory, as two runs of sphinx-build do (incremental builds).
    """
    apps: list[SphinxTestApp] = []

    def make(srcdir: Path, *, parallel: int = 0, **overrides: object) -> SphinxTestApp:
        while apps:  # restores docutils' registries, as between two sphinx-build runs
            apps.pop().cleanup()
        app = SphinxTestApp("html", srcdir=srcdir, confoverrides=overrides, status=StringIO(),
                            warning=StringIO(), parallel=parallel)
        apps.append(app)
        return app

    yield make
    while apps:
        apps.pop().cleanup()


def table_rows(app: SphinxTestApp, docname: str) -> list[list[str]]:
    """The rows of the first table of a page, header included, as text.

    A cell is its first paragraph: the screen's words under a setting's name are tested on
    their own (screen_lines).
    """
    doctree = app.env.get_doctree(docname)
    table = next(iter(doctree.findall(nodes.table)))
    return [[next(iter(entry.findall(nodes.paragraph))).astext()
             for entry in row.findall(nodes.entry)]
            for row in table.findall(nodes.row)]


def screen_lines(app: SphinxTestApp, docname: str) -> list[str]:
    """The « Écran UrBackup : … » lines of the first table of a page."""
    doctree = app.env.get_doctree(docname)
    table = next(iter(doctree.findall(nodes.table)))
    return [p.astext() for p in table.findall(nodes.paragraph)
            if "datis-ecran" in p["classes"]]


def warnings_of(app: SphinxTestApp) -> list[str]:
    text = strip_escape_sequences(app.warning.getvalue())
    return [line for line in text.splitlines() if line.strip()]
