"""`.. datis-historique::` shows a real history, written by `datis-audit --history`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from checks.appliance.client import UrBackupClient
from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD
from tests.sphinxext.conftest import warnings_of


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Three audits of a compliant appliance (a customer's change before the second), one of
    a drifted one: the folder and both addresses."""
    folder = tmp_path_factory.mktemp("historique") / "historique"
    with Emulator("datis-conforme", admin_password=PASSWORD) as reference, \
            Emulator("datis-derive", admin_password=PASSWORD) as other:
        for round_ in range(3):
            if round_ == 1:
                with UrBackupClient(reference, username="admin", password=PASSWORD) as client:
                    client.login()
                    client.save_general({"update_freq_incr": 86400})
            assert run_cli("--url", reference, "--history", str(folder)).code == min(round_, 1)
        assert run_cli("--url", other, "--history", str(folder)).code == 1
    return folder, reference, other


def _project(tmp_path: Path, options: str = "") -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinxext"]\n', "utf-8")
    (source / "index.rst").write_text(f"Historique\n==========\n\n.. datis-historique::\n"
                                      f"{options}\n", "utf-8")
    return source


def test_the_reference_appliance_history_in_the_docs(
        history: tuple[Path, str, str], tmp_path: Path,
        sphinx_app: Callable[..., SphinxTestApp]) -> None:
    folder, reference, _ = history
    app = sphinx_app(_project(tmp_path), datis_mode="documented", datis_history=str(folder),
                     datis_appliance=reference)
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "index.html").read_text("utf-8")
    assert html.count("<svg ") == 1 and html.count('<circle class="point"') == 9
    assert "<script" not in html.split('<figure class="datis-historique">')[1].split("</svg>")[0]
    doctree = app.env.get_doctree("index")
    rows = [[e.astext() for e in r.children] for r in doctree.findall(
        lambda n: n.tagname == "row")]
    assert [r[1:] for r in rows] == [["Verdict", "critique", "majeure", "mineure"],
                                     ["conforme", "0", "0", "0"],
                                     ["non conforme", "0", "1", "0"],
                                     ["non conforme", "0", "1", "0"]]
    assert ("Nouvel écart — Intervalle des sauvegardes incrémentielles de fichiers\u00a0: gravité "
            "majeure, observé\u00a0: 1 jour") in doctree.astext()
    dependencies = {Path(p) for p in app.env.dependencies["index"]}
    assert folder in dependencies


def test_the_option_names_another_appliance(history: tuple[Path, str, str], tmp_path: Path,
                                            sphinx_app: Callable[..., SphinxTestApp]) -> None:
    folder, _, other = history
    app = sphinx_app(_project(tmp_path, f"   :appliance: {other}\n"), datis_mode="documented",
                     datis_history=str(folder))
    app.build()
    assert warnings_of(app) == []
    assert (app.outdir / "index.html").read_text("utf-8").count('<circle class="point"') == 3


def test_no_history_is_a_french_note_without_warning(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp]) -> None:
    app = sphinx_app(_project(tmp_path), datis_mode="documented")
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "index.html").read_text("utf-8")
    assert "Aucun historique d’audits n’a été fourni à cette construction" in html
    assert '<span class="pre">--history</span>' in html  # a literal: no smart dash


def test_bad_histories_warn_once_with_their_subtype(
        history: tuple[Path, str, str], tmp_path: Path,
        sphinx_app: Callable[..., SphinxTestApp]) -> None:
    folder = tmp_path / "historique"
    shutil.copytree(history[0], folder)
    source = _project(tmp_path)
    app = sphinx_app(source, datis_mode="documented", datis_history=str(folder))
    app.build()
    [several] = warnings_of(app)
    assert several.endswith("2 appliances\u202f; précisez laquelle avec l'option :appliance: "
                            "(identifiant ou adresse). [urbackup.history]")
    (folder / "notes.txt").write_text("à relire", "utf-8")
    app = sphinx_app(source, datis_mode="documented", datis_history=str(folder),
                     datis_appliance=history[1])
    app.build()
    [foreign] = warnings_of(app)
    assert "index.rst:4: WARNING: Historique" in foreign
    assert foreign.endswith("fichier étranger «\u00a0notes.txt\u00a0» (seuls des dossiers "
                            "d'appliance y "
                            "sont attendus). [urbackup.history]")
