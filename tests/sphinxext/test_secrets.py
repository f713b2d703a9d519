"""No secret is ever rendered, pickled or logged, even when a page names one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from checks.settings import catalogue
from tests.conftest import PASSWORD
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import SECRET, warnings_of

PAGE = """Secrets
=======

Mot de passe SMTP : :datis-doc:`mail_password` / :datis-reel:`mail_password`.

Clé des restaurations : :datis-reel:`restore_authkey`.

.. datis-reglages:: messagerie
"""


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_secrets_are_masked_and_warned_about(tmp_path: Path,
                                             sphinx_app: Callable[..., SphinxTestApp],
                                             start_emulator: Callable[..., Emulator],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    emulator = start_emulator("datis-derive")
    secrets = [SECRET, emulator.state.global_value("restore_authkey")]
    assert all(len(s) >= 8 for s in secrets)
    monkeypatch.setenv("DATIS_PASSWORD", PASSWORD)
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (tmp_path / "index.rst").write_text(PAGE, "utf-8")
    app = sphinx_app(tmp_path, datis_mode="live", datis_appliance=emulator.url)
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    assert ('Mot de passe SMTP : <span class="datis-doc">valeur masquée</span> / '
            '<span class="datis-reel">valeur masquée</span>') in html
    assert 'Clé des restaurations : <span class="datis-reel">valeur masquée</span>' in html
    secret_warnings = [w for w in warnings_of(app) if w.endswith("[urbackup.secret]")]
    assert len(secret_warnings) == 3
    assert "index.rst:4: WARNING: «\u00a0mail_password\u00a0» est un secret\u00a0: sa valeur " \
        "n'est jamais affichée" in secret_warnings[0]
    assert "index.rst:6: WARNING: «\u00a0restore_authkey\u00a0» est un secret" in secret_warnings[2]

    pickle = app.doctreedir / "environment.pickle"
    assert pickle.is_file()
    files = _files(app.outdir, app.doctreedir)
    for secret in secrets:
        assert secret not in app.warning.getvalue() + app.status.getvalue()
        for path in files:
            assert secret.encode() not in path.read_bytes(), path


def test_secrets_never_reach_a_parallel_build(tmp_path: Path,
                                              start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (src / "index.rst").write_text(PAGE, "utf-8")
    for name in ("a", "b", "c"):
        (src / f"{name}.rst").write_text(PAGE.replace("Secrets", f"Page {name}").replace(
            "=======", "======"), "utf-8")
    build = sphinx_build(src, tmp_path / "out", "-j", "2", "-D", "datis_mode=live",
                         "-D", f"datis_appliance={emulator.url}",
                         env={"DATIS_PASSWORD": PASSWORD})
    assert build.code == 0, build.stderr
    keys = [k for k in catalogue.SECRET_KEYS if emulator.state.global_value(k)]
    assert "restore_authkey" in keys
    for path in _files(tmp_path / "out"):
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        for key in keys:
            assert str(emulator.state.global_value(key)).encode() not in data, (key, path)
    assert SECRET not in build.stderr
