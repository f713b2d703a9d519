"""Incremental builds: exactly the pages whose shown values changed are read again."""

from __future__ import annotations

import json
import shutil
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
