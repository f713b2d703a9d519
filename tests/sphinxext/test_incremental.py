"""Incremental builds: exactly the pages whose shown values changed are read again."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.testing.util import SphinxTestApp

from checks.audit import baseline
from tests.sphinxext.conftest import table_rows

ALL = ["accueil", "conformite", "fichiers", "glossaire", "images", "index", "messagerie",
       "roles"]


def test_only_the_pages_using_a_changed_value_are_read(
        tmp_path: Path, project: Callable[..., Path],
        sphinx_app: Callable[..., SphinxTestApp], snapshots: dict[str, Path]) -> None:
    src = project("datis")
    snap = tmp_path / "instantane.json"
    shutil.copy(snapshots["datis-conforme"], snap)
    rules = tmp_path / "referentiel.toml"
    shutil.copy(baseline.default_path(), rules)
    page = tmp_path / "page.rst"
    page.write_text("Audit\n=====\n\nPremière version.\n", "utf-8")
    overrides = {"datis_mode": "snapshot", "datis_snapshot": str(snap),
                 "datis_baseline": str(rules), "datis_compliance_page": str(page)}
    last: list[SphinxTestApp] = []

    def build(**more: Any) -> list[str]:
        app = sphinx_app(src, **{**overrides, **more})
        read: list[str] = []

        def seen(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
            read.extend(docnames)

        app.connect("env-before-read-docs", seen)
        app.build()
        last[:] = [app]
        return sorted(read)

    def edit_snapshot(store: str, key: str, value: Any) -> None:
        data = json.loads(snap.read_text("utf-8"))
        data[store][key] = value
        snap.write_text(json.dumps(data), "utf-8")

    assert build() == ALL
    assert build() == []

    edit_snapshot("messagerie", "mail_serverport", "465")  # shown by a table and a role
    assert build() == ["messagerie", "roles"]
    assert ["Port SMTP", "587", "465", "conforme"] in table_rows(last[0], "messagerie")

    edit_snapshot("reglages", "max_sim_backups", 3)  # shown by no page
    assert build() == []

    rules.write_text(rules.read_text("utf-8").replace('valeur = "5 heures"',
                                                      'valeur = "4 heures"'), "utf-8")
    assert build() == ["fichiers", "roles"]  # documented on a table and by :datis-doc:
    assert ["Intervalle des sauvegardes incrémentielles de fichiers", "4 heures",
            "5 heures", "écart"] in table_rows(last[0], "fichiers")

    rules.write_text(rules.read_text("utf-8").replace(
        "La rétention maximale dimensionne", "La rétention dimensionne"), "utf-8")
    assert build() == []  # a reason no page shows

    page.write_text("Audit\n=====\n\nSeconde version.\n", "utf-8")
    assert build() == ["conformite"]
    assert "Seconde version." in (last[0].outdir / "conformite.html").read_text("utf-8")

    assert build(datis_mode="documented") == ["fichiers", "images", "messagerie", "roles"]
    assert build(datis_mode="documented", datis_domain="exemple.fr") == ["roles"]


def test_a_page_that_stops_showing_a_value_is_not_read_again_for_it(
        tmp_path: Path, sphinx_app: Callable[..., SphinxTestApp],
        snapshots: dict[str, Path]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxext"]\n', "utf-8")
    (src / "index.rst").write_text("Accueil\n=======\n\n.. toctree::\n\n   smtp\n", "utf-8")
    smtp = src / "smtp.rst"
    smtp.write_text("SMTP\n====\n\nPort : :datis-reel:`mail_serverport`.\n", "utf-8")
    snap = tmp_path / "instantane.json"
    shutil.copy(snapshots["datis-conforme"], snap)
    for written in ("conf.py", "index.rst", "smtp.rst"):  # Sphinx compares by mtime: a
        os.utime(src / written, (time.time() - 60,) * 2)   # source as old as its build is new

    def build() -> list[str]:
        app = sphinx_app(src, datis_mode="snapshot", datis_snapshot=str(snap))
        read: list[str] = []
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
        app.build()
        return sorted(read)

    assert build() == ["index", "smtp"]
    smtp.write_text("SMTP\n====\n\nPort : voir l'écran Messagerie.\n", "utf-8")
    assert build() == ["smtp"]
    data = json.loads(snap.read_text("utf-8"))
    data["messagerie"]["mail_serverport"] = "465"
    snap.write_text(json.dumps(data), "utf-8")
    assert build() == []  # the page no longer shows the port
