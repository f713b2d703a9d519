"""`.. datis-conformite::` brings in a real `datis-audit --format rst` page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.sphinxext.conftest import warnings_of


def _audit_page(url: str, output: Path) -> Path:
    run = run_cli("--url", url, "--format", "rst", "--output", str(output))
    assert run.code == 1, run.stderr  # datis-derive is not compliant
    return output


def test_compliance_page_of_the_audit(tmp_path: Path, project: Callable[..., Path],
                                      sphinx_app: Callable[..., SphinxTestApp],
                                      start_emulator: Callable[..., Emulator]) -> None:
    page = _audit_page(start_emulator("datis-derive").url, tmp_path / "conformite.rst")
    app = sphinx_app(project("datis"), datis_mode="documented",
                     datis_compliance_page=str(page))
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "conformite.html").read_text("utf-8")
    assert "Plan de sauvegarde en mode fichier" in html
    assert "Nombre maximal de sauvegardes complètes de fichiers conservées" in html
    assert re.search(r'<table class="[^"]*\bdatis-conformite\b', html)  # wraps (datis.css)
    doctree = app.env.get_doctree("conformite")
    titles = [t.astext() for t in doctree.findall(lambda n: n.tagname == "title")]
    assert titles[0] == "Conformité"
    assert "Messagerie sortante" in titles
    assert page in {Path(p) for p in app.env.dependencies["conformite"]}


def test_page_given_as_argument(tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
                                start_emulator: Callable[..., Emulator]) -> None:
    _audit_page(start_emulator("datis-derive").url, tmp_path / "audit.rst")
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (tmp_path / "index.rst").write_text("Démo\n====\n\n.. datis-conformite:: audit.rst\n",
                                        "utf-8")
    app = sphinx_app(tmp_path, datis_mode="documented")
    app.build()
    assert "Plan de sauvegarde en mode image" in (app.outdir / "index.html").read_text("utf-8")


def test_no_page_is_a_french_note_without_warning(project: Callable[..., Path],
                                                   sphinx_app: Callable[..., SphinxTestApp]
                                                   ) -> None:
    app = sphinx_app(project("datis"), datis_mode="documented")
    app.build()
    html = (app.outdir / "conformite.html").read_text("utf-8")
    assert "Aucune page de conformité n’a été fournie à cette construction" in html
    assert ('<code class="docutils literal notranslate"><span class="pre">datis-audit</span> '
            '<span class="pre">--url</span> <span class="pre">ADRESSE</span> '
            '<span class="pre">--format</span> <span class="pre">rst</span> '
            '<span class="pre">--output</span> <span class="pre">conformite.rst</span></code>'
            in html)
    assert '<span class="pre">DATIS_COMPLIANCE_PAGE=conformite.rst</span>' in html
    assert "\u2013" not in html  # no en dash: every command shown can be pasted
    assert warnings_of(app) == []


def test_missing_page_warns(tmp_path: Path, project: Callable[..., Path],
                            sphinx_app: Callable[..., SphinxTestApp]) -> None:
    app = sphinx_app(project("datis"), datis_mode="documented",
                     datis_compliance_page=str(tmp_path / "absente.rst"))
    app.build()
    [warning] = warnings_of(app)
    assert "conformite.rst:4: WARNING: Page de conformité illisible" in warning
    assert "absente.rst (fichier ou dossier introuvable)." in warning
    assert warning.endswith("[urbackup.compliance_page]")
