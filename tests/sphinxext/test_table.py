"""`.. datis-reglages::`: French table, documented beside live values, drift warnings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from tests.sphinxext.conftest import screen_lines, table_rows, warnings_of

HEADER = ["Réglage", "Valeur documentée", "Valeur réelle", "État"]


def test_snapshot_of_a_compliant_appliance(project: Callable[..., Path],
                                           sphinx_app: Callable[..., SphinxTestApp],
                                           snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-conforme"]))
    app.build()
    rows = table_rows(app, "messagerie")
    assert rows[0] == HEADER
    assert ["Port SMTP", "587", "587", "conforme"] in rows
    assert ["Mot de passe SMTP", "valeur masquée", "valeur masquée", "conforme"] in rows
    assert ["Vérification du certificat du serveur SMTP", "oui", "oui", "conforme"] in rows
    assert len(rows) == 1 + 8  # the eight mail settings of the baseline, in its order
    assert screen_lines(app, "messagerie")[:2] == [
        "Écran UrBackup\u00a0: Réglages › Email › Adresse du serveur SMTP",
        "Écran UrBackup\u00a0: Réglages › Email › Port du serveur SMTP"]
    assert "Écran UrBackup\u00a0: Réglages › Email › N'envoyer qu'avec SSL/TLS" in screen_lines(
        app, "messagerie")
    assert len(screen_lines(app, "messagerie")) == 8
    files = table_rows(app, "fichiers")
    assert ["Intervalle des sauvegardes incrémentielles de fichiers", "5 heures", "5 heures",
            "conforme"] in files
    assert ["Plage horaire des sauvegardes complètes de fichiers",
            "tous les jours, à toute heure", "tous les jours, à toute heure",
            "conforme"] in files
    html = (app.outdir / "messagerie.html").read_text("utf-8")
    assert "Valeurs réelles\u00a0: instantané du " in html
    assert 'class="datis-etat datis-conforme"' in html
    assert '<link rel="stylesheet" type="text/css" href="_static/datis.css' in html
    assert "white-space: normal" in (app.outdir / "_static" / "datis.css").read_text("utf-8")
    assert warnings_of(app) == []


def test_drift_rows_and_warnings_with_page_and_line(project: Callable[..., Path],
                                                     sphinx_app: Callable[..., SphinxTestApp],
                                                     snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-derive"]))
    app.build()
    assert ["Intervalle des sauvegardes incrémentielles de fichiers", "5 heures", "12 heures",
            "écart"] in table_rows(app, "fichiers")
    assert ["Vérification du certificat du serveur SMTP", "oui", "non",
            "écart"] in table_rows(app, "messagerie")
    warnings = warnings_of(app)
    drift = [w for w in warnings if w.endswith("[urbackup.drift]")]
    assert len(drift) == len(warnings) == 7
    assert any(
        "fichiers.rst:4: WARNING: Écart entre la documentation et l'appliance pour "
        "«\u00a0Intervalle des sauvegardes incrémentielles de fichiers\u00a0» "
        "(update_freq_incr)\u00a0: "
        "documenté 5 heures, réel 12 heures (attendu\u00a0: au plus 5 heures)." in w for w in drift)
    assert any("messagerie.rst:6: WARNING:" in w and "(mail_check_certificate)" in w
               for w in drift)
    assert any("images.rst:6: WARNING:" in w and "(image_letters)" in w for w in drift)
    assert 'class="datis-etat datis-ecart"' in (app.outdir / "fichiers.html").read_text("utf-8")


def test_documented_mode_shows_no_live_value(project: Callable[..., Path],
                                             sphinx_app: Callable[..., SphinxTestApp]) -> None:
    app = sphinx_app(project("datis"), datis_mode="documented")
    app.build()
    rows = table_rows(app, "messagerie")
    assert ["Port SMTP", "587", "(non lu)", "non vérifié"] in rows
    assert all(row[2:] == ["(non lu)", "non vérifié"] for row in rows[1:])
    assert "Valeurs réelles\u00a0: valeurs documentées seulement." in (
        app.outdir / "messagerie.html").read_text("utf-8")
    assert warnings_of(app) == []


def test_listed_settings_in_the_given_order(project: Callable[..., Path],
                                            sphinx_app: Callable[..., SphinxTestApp],
                                            snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-derive"]))
    app.build()
    assert table_rows(app, "images") == [
        HEADER,
        ["Nombre minimal de sauvegardes complètes d’images conservées", "2", "1", "écart"],
        ["Volumes sauvegardés en image", "tous les volumes sauf USB", "C", "écart"],
    ]


def test_mistakes_are_typed_warnings_with_their_line(project: Callable[..., Path],
                                                      sphinx_app: Callable[..., SphinxTestApp],
                                                      snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("mistakes"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-conforme"]))
    app.build()
    warnings = warnings_of(app)
    expected = [
        ("index.rst:4: WARNING: Réglage inconnu «\u00a0mail_serveur\u00a0»", "unknown_setting"),
        ("index.rst:6: WARNING: Identifiant DATIS invalide «\u00a012G4\u00a0»", "identifier"),
        ("index.rst:8: WARNING: «\u00a0mail_password\u00a0» est un secret", "secret"),
        ("index.rst:10: WARNING: «\u00a0mail_password\u00a0» est un secret", "secret"),
        ("index.rst:10: WARNING: Réglage inconnu «\u00a0pas_un_reglage\u00a0»", "unknown_setting"),
        ("index.rst:13: WARNING: Section du référentiel inconnue "
         "«\u00a0sauvegardes\u00a0»", "section"),
    ]
    for start, subtype in expected:
        assert any(start in w and w.endswith(f"[urbackup.{subtype}]") for w in warnings), start
    assert len(warnings) == len(expected)
    assert table_rows(app, "index") == [
        HEADER,
        ["Port SMTP", "587", "587", "conforme"],
        ["Mot de passe SMTP", "valeur masquée", "valeur masquée", "conforme"],
    ]
