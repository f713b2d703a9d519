"""A client's own value of a documented setting is handled in the docs as the audit handles it.

The audit makes each client override that breaks the baseline rule an écart of its own; the
docs make it an `urbackup.drift` warning of its own, naming the client, where a page shows
the setting, and show it under the live value. An override that keeps to the rule is shown,
without a warning (the audit's «\u00a0information\u00a0»).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import ROOT
from tests.sphinx_run import sphinx_build
from tests.sphinxext.conftest import table_rows, take_snapshot, warnings_of

FREQUENCY = ("Écart entre la documentation et l'appliance pour «\u00a0Intervalle des sauvegardes "
             "incrémentielles de fichiers\u00a0» (update_freq_incr) sur le client "
             "«\u00a0SRV-COMPTA\u00a0» "
             "(défini pour ce client dans l'interface)\u00a0: documenté 5 heures, réel 1 jour "
             "(attendu\u00a0: au plus 5 heures).")
RETENTION = ("Écart entre la documentation et l'appliance pour «\u00a0Nombre maximal de "
             "sauvegardes "
             "incrémentielles de fichiers conservées\u00a0» (max_file_incr) sur le client "
             "«\u00a0SRV-COMPTA\u00a0» (imposé depuis l'agent du poste)\u00a0: documenté 100, "
             "réel 20 "
             "(attendu\u00a0: 100).")
NAMED = re.compile(r"\((\w+)\)(?: sur le client «\u00a0([^»]+)\u00a0»)?.*\u00a0: documenté")


def test_a_client_override_that_breaks_the_rule_is_a_drift_naming_the_client(
        project: Callable[..., Path], sphinx_app: Callable[..., SphinxTestApp],
        snapshots: dict[str, Path]) -> None:
    app = sphinx_app(project("datis"), datis_mode="snapshot",
                     datis_snapshot=str(snapshots["datis-derive"]))
    app.build()
    clients = [w for w in warnings_of(app) if "sur le client" in w]
    assert [w.split(" WARNING: ", 1)[1] for w in clients] == [
        f"{FREQUENCY} [urbackup.drift]", f"{RETENTION} [urbackup.drift]"]
    assert all(w.startswith(f"{app.srcdir / 'fichiers.rst'}:4: ") for w in clients)
    # The global value keeps to the rule; the row is an écart because of the client.
    assert ["Nombre maximal de sauvegardes incrémentielles de fichiers conservées", "100", "100",
            "écart"] in table_rows(app, "fichiers")
    html = (app.outdir / "fichiers.html").read_text("utf-8")
    assert ('<p class="datis-client datis-ecart">Client «\u00a0SRV-COMPTA\u00a0»\u00a0: 20 '
            '(imposé depuis '
            "l’agent du poste, écart)</p>") in html


def test_a_client_override_that_keeps_to_the_rule_is_shown_without_warning(
        tmp_path: Path, project: Callable[..., Path],
        sphinx_app: Callable[..., SphinxTestApp], snapshots: dict[str, Path]) -> None:
    data = json.loads(snapshots["datis-derive"].read_text("utf-8"))
    compta = next(c for c in data["clients"] if c["nom"] == "SRV-COMPTA")
    compta["reglages"]["update_freq_incr"]["value"] = "3600"
    snapshot = tmp_path / "derive-1h.json"
    snapshot.write_text(json.dumps(data), "utf-8")
    app = sphinx_app(project("datis"), datis_mode="snapshot", datis_snapshot=str(snapshot))
    app.build()
    assert [w for w in warnings_of(app) if "(update_freq_incr)" in w] == [
        f"{app.srcdir / 'fichiers.rst'}:4: WARNING: Écart entre la documentation et l'appliance "
        "pour «\u00a0Intervalle des sauvegardes incrémentielles de fichiers\u00a0» "
        "(update_freq_incr)\u00a0: "
        "documenté 5 heures, réel 12 heures (attendu\u00a0: au plus 5 heures). [urbackup.drift]"]
    html = (app.outdir / "fichiers.html").read_text("utf-8")
    assert ('<p class="datis-client datis-conforme">Client «\u00a0SRV-COMPTA\u00a0»\u00a0: 1 '
            'heure (défini '
            "pour ce client dans l’interface, conforme)</p>") in html


def test_the_docs_report_the_settings_ecarts_the_audit_reports(
        tmp_path: Path, start_emulator: Callable[..., Emulator]) -> None:
    """datis-derive: the repository's docs warn of each setting écart of the audit, no more."""
    url = start_emulator("datis-derive").url
    audit = run_cli("--url", url, "--format", "json")
    assert audit.code == 1, audit.stderr
    ecarts = sorted(f"{f['cle']} {f['client'] or ''}".strip()
                    for f in json.loads(audit.stdout)["constats"]
                    if f["resultat"] == "écart" and f["id"].startswith(("reglage.", "client.")))
    assert len(ecarts) == 7
    snapshot = take_snapshot(url, tmp_path / "derive.json")
    done = sphinx_build(ROOT / "docs", tmp_path / "html", confdir=ROOT,
                        env={"DATIS_SNAPSHOT": str(snapshot), "DATIS_CLIENT_OVERRIDES": "1"})
    assert done.code == 0, done.stderr
    named = [NAMED.search(w) for w in done.warnings() if w.endswith("[urbackup.drift]")]
    assert sorted(" ".join(filter(None, m.groups())) for m in named if m) == ecarts
