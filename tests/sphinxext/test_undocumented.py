"""`.. datis-non-documentes:: ONGLET`: what a writer may document next, in a real build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from tests.cli.test_undocumented import without
from tests.conftest import PASSWORD
from tests.sphinxext.conftest import SECRET, warnings_of

ENV = "DATIS_TEST_PASSWORD"


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, PASSWORD)


def _project(folder: Path, baseline: str) -> Path:
    folder.mkdir()
    (folder / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (folder / "index.rst").write_text(
        "À documenter\n============\n\n.. datis-non-documentes:: Email\n", "utf-8")
    (folder / "referentiel.toml").write_text(baseline, "utf-8")
    return folder


def _rows(app: SphinxTestApp) -> list[tuple[str, str]]:
    """(key, value) of each row of the page's table."""
    table = next(iter(app.env.get_doctree("index").findall(nodes.table)))
    rows = []
    for row in table.findall(nodes.row):
        cells = [entry.astext() for entry in row.findall(nodes.entry)]
        rows.append((cells[0], cells[2]))
    return rows[1:]


def test_the_list_follows_the_baseline_and_never_shows_a_secret(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    folder = _project(tmp_path / "doc", without("mail_password", "mail_ssl_only"))
    live = {"datis_mode": "live", "datis_appliance": emulator.url, "datis_password_env": ENV,
            "datis_baseline": "referentiel.toml"}
    app = sphinx_app(folder, **live)
    app.build()
    assert warnings_of(app) == []
    assert _rows(app) == [("mail_password", "renseigné"), ("mail_ssl_only", "oui"),
                          ("mail_use_smtps", "non")]
    html = (app.outdir / "index.html").read_text("utf-8")
    assert f"Valeurs\u00a0: appliance {emulator.url}, lue pendant cette construction." in html
    assert SECRET not in html
    # A writer documents mail_ssl_only: it leaves the list at the next build (same folder).
    (folder / "referentiel.toml").write_text(without("mail_password"), "utf-8")
    app = sphinx_app(folder, **live)
    app.build()
    assert _rows(app) == [("mail_password", "renseigné"), ("mail_use_smtps", "non")]
    for path in app.outdir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_without_an_appliance_the_list_shows_urbackup_defaults(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]) -> None:
    folder = _project(tmp_path / "doc", without("mail_password"))
    app = sphinx_app(folder, datis_mode="documented", datis_baseline="referentiel.toml")
    app.build()
    assert _rows(app) == [("mail_password", "non renseigné"), ("mail_use_smtps", "non")]
    html = (app.outdir / "index.html").read_text("utf-8")
    assert ("Valeurs\u00a0: valeurs par défaut d’UrBackup 2.5 (ni appliance ni instantané lu)."
            in html)
