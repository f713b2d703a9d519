"""An LDAP/AD setting cannot be documented yet: the audit does not read `sa=ldap`; it says so."""

from __future__ import annotations

from pathlib import Path

from checks.audit import baseline
from tests.cli_run import run_cli


def test_an_ldap_entry_is_refused_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "referentiel.toml"
    text = baseline.default_path().read_text("utf-8")
    path.write_text(text + '\n[reglages.ldap_login_enabled]\nsection = "serveur"\n'
                    'valeur = false\nraison = "Pas d\'annuaire."\n', "utf-8")
    run = run_cli("--url", "http://127.0.0.1:9", "--baseline", str(path))
    assert run.code == 3
    assert run.stderr == (
        f"datis-audit\u00a0: erreur\u00a0: {path}, ligne {text.count(chr(10)) + 2}\u00a0: "
        "«\u00a0ldap_login_enabled\u00a0» est un réglage de l'annuaire LDAP/AD\u00a0: l'audit ne "
        "lit pas "
        "encore ces réglages, il ne peut pas les documenter.\n")
