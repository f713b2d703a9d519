"""`:datis-doc:`, `:datis-reel:` and `:datis-url:`, rendered in French."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from tests.sphinxext.conftest import warnings_of


def _page(app: SphinxTestApp, name: str) -> str:
    return (app.outdir / f"{name}.html").read_text("utf-8")


def test_roles_in_snapshot_mode(project: Callable[..., Path],
                                sphinx_app: Callable[..., SphinxTestApp],
                                snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-conforme"]))
    app.build()
    html = _page(app, "roles")
    assert 'Port documenté : <span class="datis-doc">587</span>' in html
    assert 'Port réel : <span class="datis-reel">587</span>' in html
    assert 'Intervalle documenté : <span class="datis-doc">5 heures</span>' in html
    assert ('<a class="reference external" href="https://backup.1a2b.inspee.re">'
            "https://backup.1a2b.inspee.re</a>") in html
    assert ('<code class="docutils literal notranslate"><span class="pre">'
            "https://backup.XXXX.inspee.re</span></code>") in html
    assert 'href="https://backup.XXXX' not in html
    assert warnings_of(app) == []


def test_live_role_in_documented_mode(project: Callable[..., Path],
                                      sphinx_app: Callable[..., SphinxTestApp]) -> None:
    app = sphinx_app(project("datis"), datis_mode="documented", datis_domain="exemple.fr")
    app.build()
    html = _page(app, "roles")
    assert 'Port réel : <span class="datis-reel">(non lu)</span>' in html
    assert 'Port documenté : <span class="datis-doc">587</span>' in html
    assert 'href="https://backup.1a2b.exemple.fr"' in html
    assert "https://backup.XXXX.exemple.fr" in html
    assert warnings_of(app) == []


def test_live_role_warns_on_drift(tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
                                  snapshots: dict[str, Path]) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\nlanguage = "fr"\n')
    (tmp_path / "index.rst").write_text(
        "Page\n====\n\nLa vérification vaut :datis-reel:`mail_check_certificate` "
        "(documenté : :datis-doc:`mail_check_certificate`).\n", "utf-8")
    app = sphinx_app(tmp_path, datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-derive"]))
    app.build()
    html = _page(app, "index")
    assert '<span class="datis-reel">non</span>' in html
    assert '<span class="datis-doc">oui</span>' in html
    [warning] = warnings_of(app)
    assert "index.rst:4: WARNING: Écart" in warning
    assert "(mail_check_certificate)\u00a0: documenté oui, réel non" in warning
    assert warning.endswith("[urbackup.drift]")


def test_live_role_of_a_setting_the_baseline_does_not_document(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        snapshots: dict[str, Path]) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (tmp_path / "index.rst").write_text(
        "Page\n====\n\nAu plus :datis-reel:`max_sim_backups` sauvegardes simultanées.\n\n"
        "Documenté : :datis-doc:`max_sim_backups`.\n", "utf-8")
    app = sphinx_app(tmp_path, datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-conforme"]))
    app.build()
    assert '<span class="datis-reel">100</span>' in _page(app, "index")
    [warning] = warnings_of(app)
    assert "index.rst:6: WARNING: Réglage inconnu «\u00a0max_sim_backups\u00a0»\u00a0: il n'est " \
        "pas dans la liste du référentiel." in warning
    assert warning.endswith("[urbackup.unknown_setting]")


def test_warning_inside_an_included_file_names_that_file_and_its_line(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        snapshots: dict[str, Path]) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\nexclude_patterns = ["inc"]\n')
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "morceau.rst").write_text(
        "Une ligne.\n\nVérification : :datis-reel:`mail_check_certificate`.\n\n"
        ".. datis-reglages:: messagerie\n   :reglages: mail_check_certificate\n", "utf-8")
    (tmp_path / "index.rst").write_text(
        "Page\n====\n\nAvant.\n\nEncore.\n\n.. include:: inc/morceau.rst\n", "utf-8")
    app = sphinx_app(tmp_path, datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-derive"]))
    app.build()
    warnings = warnings_of(app)
    assert len(warnings) == 2, warnings
    assert all("morceau.rst:" in w and "[urbackup.drift]" in w for w in warnings), warnings
    assert "morceau.rst:3: WARNING" in warnings[0]
    assert "morceau.rst:5: WARNING" in warnings[1]
    again = sphinx_app(tmp_path, datis_mode="snapshot",
                       datis_snapshot=str(snapshots["datis-derive"]))
    again.build()  # nothing is read: the drifts come from the domain, at the same places
    assert warnings_of(again) == warnings
