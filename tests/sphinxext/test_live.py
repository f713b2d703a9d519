"""Live mode: one read per build over real HTTP, the fallback to the snapshot, stale ones."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from tests.conftest import PASSWORD
from tests.sphinxext.conftest import table_rows, take_snapshot, warnings_of

ENV = "DATIS_TEST_PASSWORD"


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, PASSWORD)


def _live(url: str, **more: object) -> dict[str, object]:
    return {"datis_mode": "live", "datis_appliance": url, "datis_password_env": ENV, **more}


def test_live_values_of_a_drifted_appliance(project: Callable[..., Path],
                                            sphinx_app: Callable[..., SphinxTestApp],
                                            start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    app = sphinx_app(project("datis"), **_live(emulator.url))
    app.build()
    assert ["Intervalle des sauvegardes incrémentielles de fichiers", "5 heures", "12 heures",
            "écart"] in table_rows(app, "fichiers")
    warnings = warnings_of(app)
    assert len(warnings) == 7  # as the audit's écarts: 5 global settings, 2 of one client
    assert all(w.endswith("[urbackup.drift]") for w in warnings)
    html = (app.outdir / "fichiers.html").read_text("utf-8")
    assert (f"Valeurs réelles\u00a0: appliance {emulator.url}, lue pendant cette construction."
            in html)


def test_one_read_whatever_the_number_of_directives(
        tmp_path: Path, project: Callable[..., Path],
        sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator]) -> None:
    single = tmp_path / "single"
    single.mkdir()
    (single / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (single / "index.rst").write_text("Page\n====\n\n:datis-reel:`mail_serverport`\n")
    one = start_emulator("datis-conforme")
    sphinx_app(single, **_live(one.url)).build()
    many = start_emulator("datis-conforme")
    sphinx_app(project("datis"), **_live(many.url)).build()
    parallel = start_emulator("datis-conforme")
    sphinx_app(project("datis", "parallel"), parallel=2,
               **_live(parallel.url)).build()
    assert one.requests_served > 0
    # The project's tables show the backup plan: each client's own settings are read too
    # (test_client_reads.py), once per client whatever the number of directives.
    clients = len(many.state.clients)
    assert clients > 0
    assert one.served("clientsettings") == 0
    assert many.requests_served == one.requests_served + clients
    assert many.served("clientsettings") == clients
    assert parallel.requests_served == many.requests_served


def test_no_read_when_no_page_needs_one(tmp_path: Path,
                                        sphinx_app: Callable[..., SphinxTestApp],
                                        start_emulator: Callable[..., Emulator]) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxext"]\n')
    (tmp_path / "index.rst").write_text("Page\n====\n\nSans réglage.\n")
    for written in ("conf.py", "index.rst"):  # clearly older than the first build's reading:
        os.utime(tmp_path / written, (time.time() - 60,) * 2)  # Sphinx compares by mtime
    emulator = start_emulator("datis-conforme")
    sphinx_app(tmp_path, **_live(emulator.url)).build()
    first = emulator.requests_served
    assert first > 0  # a new page might have needed the values
    sphinx_app(tmp_path, **_live(emulator.url)).build()
    assert emulator.requests_served == first
    (tmp_path / "index.rst").write_text("Page\n====\n\nPort : "
                                        ":datis-reel:`mail_serverport`.\n")
    sphinx_app(tmp_path, **_live(emulator.url)).build()
    after_change = emulator.requests_served
    assert after_change == 2 * first
    sphinx_app(tmp_path, **_live(emulator.url)).build()  # a page shows live values: read
    assert emulator.requests_served == 3 * first


def test_tls_appliance_with_and_without_its_ca(tmp_path: Path, project: Callable[..., Path],
                                               sphinx_app: Callable[..., SphinxTestApp],
                                               start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme", tls=True)
    assert emulator.url.startswith("https://") and emulator.ca_path is not None
    app = sphinx_app(project("datis"), **_live(emulator.url,
                                               datis_ca_bundle=str(emulator.ca_path)))
    app.build()
    assert warnings_of(app) == []
    assert ["Port SMTP", "587", "587", "conforme"] in table_rows(app, "messagerie")
    app = sphinx_app(project("datis", "sans-ca"), **_live(emulator.url))
    app.build()
    kinds = [w.rsplit(" ", 1)[1] for w in warnings_of(app)]
    assert kinds == ["[urbackup.unreachable]", "[urbackup.no_snapshot]"]
    app = sphinx_app(project("datis", "ca-absente"),
                     **_live(emulator.url, datis_ca_bundle=str(tmp_path / "absente.pem")))
    app.build()
    assert "autorité de certification introuvable" in warnings_of(app)[0]


def test_unreachable_appliance_falls_back_to_the_snapshot(
        tmp_path: Path, project: Callable[..., Path],
        sphinx_app: Callable[..., SphinxTestApp]) -> None:
    emulator = Emulator("datis-derive", admin_password=PASSWORD)
    url = emulator.start()
    snapshot = take_snapshot(url, tmp_path / "derive.json")
    emulator.stop()
    app = sphinx_app(project("datis"), **_live(url, datis_snapshot=str(snapshot)))
    app.build()
    warnings = warnings_of(app)
    unreachable = [w for w in warnings if w.endswith("[urbackup.unreachable]")]
    assert len(unreachable) == 1
    assert f"WARNING: Appliance {url} injoignable ou illisible\u00a0: " in unreachable[0]
    assert "Les valeurs réelles viennent de l'instantané" in unreachable[0]
    assert ["Intervalle des sauvegardes incrémentielles de fichiers", "5 heures", "12 heures",
            "écart"] in table_rows(app, "fichiers")
    page = (app.outdir / "fichiers.html").read_text("utf-8")
    assert "Valeurs réelles\u00a0: instantané du " in page
    assert sum(w.endswith("[urbackup.drift]") for w in warnings) == 7
    assert len(warnings) == 8


def test_wrong_password_without_snapshot(project: Callable[..., Path],
                                         sphinx_app: Callable[..., SphinxTestApp],
                                         start_emulator: Callable[..., Emulator],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "pas-le-bon-mot-de-passe")
    emulator = start_emulator("datis-conforme")
    app = sphinx_app(project("datis"), **_live(emulator.url))
    app.build()
    warnings = warnings_of(app)
    assert [w.rsplit("[", 1)[1] for w in warnings] == ["urbackup.unreachable]",
                                                         "urbackup.no_snapshot]"]
    assert "pas-le-bon-mot-de-passe" not in app.warning.getvalue()
    assert "Aucun instantané\u00a0: l'appliance n'a pas pu être lue" in warnings[1]
    assert ["Port SMTP", "587", "(non lu)", "non vérifié"] in table_rows(app, "messagerie")


def test_missing_password_names_the_variable_a_build_reads(
        project: Callable[..., Path], sphinx_app: Callable[..., SphinxTestApp],
        start_emulator: Callable[..., Emulator], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV)
    emulator = start_emulator("datis-conforme")
    app = sphinx_app(project("datis"), **_live(emulator.url))
    app.build()
    unreachable = warnings_of(app)[0]
    assert unreachable.endswith(
        f"Appliance {emulator.url} injoignable ou illisible\u00a0: Mot de passe manquant\u00a0: "
        f"donnez-le par la variable d'environnement {ENV} (réglage datis_password_env). "
        "Les valeurs réelles viennent de l'instantané, s'il y en a un. [urbackup.unreachable]")


def test_stale_snapshot(tmp_path: Path, project: Callable[..., Path],
                        sphinx_app: Callable[..., SphinxTestApp],
                        snapshots: dict[str, Path]) -> None:
    data = json.loads(snapshots["datis-conforme"].read_text("utf-8"))
    data["date"] = (datetime.now(UTC) - timedelta(days=45)).isoformat()
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), "utf-8")
    app = sphinx_app(project("datis"), datis_mode="snapshot", datis_snapshot=str(old))
    app.build()
    [warning] = warnings_of(app)
    assert "Instantané old.json ancien" in warning and "il y a 45 jours" in warning
    assert warning.endswith("[urbackup.stale_snapshot]")
    assert ["Port SMTP", "587", "587", "conforme"] in table_rows(app, "messagerie")


def test_snapshot_of_another_appliance(project: Callable[..., Path],
                                       sphinx_app: Callable[..., SphinxTestApp],
                                       snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot", datis_appliance="1A2B",
                     datis_snapshot=str(snapshots["datis-conforme"]))
    app.build()
    [warning] = warnings_of(app)
    assert "pris sur une autre appliance" in warning
    assert "(https://backup.1a2b.inspee.re)" in warning
    assert warning.endswith("[urbackup.stale_snapshot]")


def test_missing_and_broken_snapshots(tmp_path: Path, project: Callable[..., Path],
                                      sphinx_app: Callable[..., SphinxTestApp]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot")
    app.build()
    [warning] = warnings_of(app)
    assert "Aucun instantané\u00a0: datis_snapshot (variable DATIS_SNAPSHOT)" in warning
    assert warning.endswith("[urbackup.no_snapshot]")
    broken = tmp_path / "broken.json"
    broken.write_text("{pas du json", "utf-8")
    app = sphinx_app(project("mistakes"), datis_mode="snapshot", datis_snapshot=str(broken))
    app.build()
    broken_warning = [w for w in warnings_of(app) if w.endswith("[urbackup.no_snapshot]")]
    assert len(broken_warning) == 1 and "JSON invalide" in broken_warning[0]


def test_malformed_baseline_is_one_clean_warning(tmp_path: Path,
                                                 project: Callable[..., Path],
                                                 sphinx_app: Callable[..., SphinxTestApp]) -> None:
    bad = tmp_path / "referentiel.toml"
    bad.write_text('schema = 1\n\n[sections.messagerie]\ntitre = "Messagerie"\n'
                   'doc = "messagerie"\n\n[reglages.mail_serverport]\nsection = "messagerie"\n'
                   'valeur = "vingt-cinq"\nraison = "x"\n', "utf-8")
    app = sphinx_app(project("datis"), datis_mode="documented", datis_baseline=str(bad))
    app.build()
    warnings = warnings_of(app)
    baseline = [w for w in warnings if w.endswith("[urbackup.baseline]")]
    assert len(baseline) == 1
    assert "Référentiel inutilisable" in baseline[0] and "ligne 9" in baseline[0]
    assert "Traceback" not in app.warning.getvalue()
    assert "Référentiel invalide\u00a0: tableau des réglages non affiché" in (
        app.outdir / "messagerie.html").read_text("utf-8")
