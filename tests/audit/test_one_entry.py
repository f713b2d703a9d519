"""One baseline entry documents a setting the product never documented: no code change.

`silent_update` (« Appliquer les mises à jour automatiques en silence ») is in no baseline
and in no name of ours: the catalogue knows it from UrBackup's settings reference alone. A
writer adds `[reglages.silent_update]`; the audit, `fix`, `diff`, the docs table and the drift
warning follow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.audit import baseline
from checks.emulator import Emulator
from tests.cli_run import run_cli
from tests.conftest import PASSWORD, ROOT
from tests.sphinx_run import sphinx_build

LABEL = "Appliquer les mises à jour automatiques en silence"
ENTRY = """
[reglages.silent_update]
section = "serveur"
valeur = true
raison = "Les agents se mettent à jour sans interrompre les utilisateurs."
"""
PAGE = """Serveur
=======

.. datis-reglages:: serveur
"""


def _with_entry(tmp_path: Path, entry: str = ENTRY) -> Path:
    path = tmp_path / "referentiel.toml"
    path.write_text(baseline.default_path().read_text("utf-8") + entry, "utf-8")
    return path


def test_the_default_baseline_does_not_document_it() -> None:
    assert "silent_update" not in baseline.load().rules


def test_one_entry_documents_it_everywhere(tmp_path: Path,
                                          start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"silent_update": "false"})
    referentiel = _with_entry(tmp_path)

    audit = run_cli("--url", emulator.url, "--baseline", str(referentiel), "--format", "json")
    assert audit.code == 1, audit.stderr
    found = [c for c in json.loads(audit.stdout)["constats"] if c["cle"] == "silent_update"]
    assert [(c["resultat"], c["libelle"], c["attendu"], c["observe"]) for c in found] == [
        ("écart", LABEL, "oui", "non")]

    src = tmp_path / "docs"
    src.mkdir()
    (src / "index.rst").write_text(PAGE, "utf-8")
    docs = sphinx_build(src, tmp_path / "html", "-D", f"datis_baseline={referentiel}",
                        confdir=ROOT, env={"DATIS_URL": emulator.url, "DATIS_PASSWORD": PASSWORD})
    drift = [w for w in docs.warnings() if "silent_update" in w]
    assert len(drift) == 1 and drift[0].endswith("[urbackup.drift]"), docs.warnings()
    assert f"«\u00a0{LABEL}\u00a0» (silent_update)\u00a0: documenté oui, réel non" in drift[0]
    page = (tmp_path / "html" / "index.html").read_text("utf-8")
    assert LABEL in page

    before = tmp_path / "avant.json"
    assert run_cli("snapshot", "--url", emulator.url, "--output", str(before)).code == 0
    fixed = run_cli("fix", "--url", emulator.url, "--baseline", str(referentiel), "--yes",
                    "--backup", str(tmp_path / "sauvegarde.json"))
    assert fixed.code == 0, fixed.stdout + fixed.stderr
    assert emulator.state.global_value("silent_update") is True

    diff = run_cli("diff", str(before), "--url", emulator.url)
    assert diff.code == 1, diff.stderr
    assert f"Réglages modifiés (1)\n  - {LABEL}\u00a0: non → oui\n" in diff.stdout


@pytest.mark.parametrize(("entry", "offset", "message"), [
    ('\n[reglages.silent_updates]\nsection = "serveur"\nvaleur = true\nraison = "r"\n',
     2, "réglage UrBackup inconnu « silent_updates » (absent du catalogue des "
     "réglages d'UrBackup 2.5 ; réglages proches : silent_update, show_server_updates)."),
    ('\n[reglages.silent_update]\nsection = "serveur"\nvaleur = "oui"\nraison = "r"\n',
     4, "« silent_update » : type invalide \"oui\", attendu true ou false."),
    ('\n[reglages.silent_update]\nsection = "serveur"\nvaleur = true\nregle = "au_plus"\n'
     'raison = "r"\n',
     5, "« silent_update » : « au_plus » ne s'applique qu'à une durée ou un nombre, "
     "pas à un réglage de nature « booléen » (règles possibles : egal, parmi, non_vide, "
     "motif)."),
    ('\n[reglages.internet_incr_file_transfer_mode]\nsection = "serveur"\nvaleur = "rapide"\n'
     'raison = "r"\n',
     4, "« internet_incr_file_transfer_mode » : valeur \"rapide\" refusée par l'écran "
     "d'UrBackup (valeurs acceptées : raw, hashed, blockhash)."),
])
def test_a_wrong_entry_is_one_french_error(tmp_path: Path, entry: str, offset: int,
                                           message: str) -> None:
    """The file, the line of the entry's wrong field, and what is accepted."""
    path = _with_entry(tmp_path, entry)
    line = len(baseline.default_path().read_text("utf-8").splitlines()) + offset
    with pytest.raises(baseline.BaselineError) as caught:
        baseline.load(path)
    assert str(caught.value).startswith(f"{path}, ligne {line} : {message}")
