"""A speed is documented with «\u00a0au_plus\u00a0» in one baseline entry, in the screen's units.

`internet_speed` is stored in bytes/s and shown by the UrBackup screen in KBit/s (its KBit is
1024 bits): a writer writes «\u00a0800 KBit/s\u00a0», the audit compares bytes/s, reports in KBit/s,
and no limit (-1, UrBackup's default) is never «\u00a0au plus\u00a0» anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.audit import baseline
from checks.emulator import Emulator
from tests.cli_run import run_cli

LABEL = "Débit maximum pour les sauvegardes par Internet/active"
ENTRY = """
[reglages.internet_speed]
section = "serveur"
valeur = "{value}"
regle = "au_plus"
raison = "Les sauvegardes par Internet laissent de la bande passante aux utilisateurs."
"""


def _with_entry(tmp_path: Path, value: str = "800 KBit/s") -> Path:
    path = tmp_path / "referentiel.toml"
    path.write_text(baseline.default_path().read_text("utf-8") + ENTRY.format(value=value),
                    "utf-8")
    return path


def _found(url: str, referentiel: Path) -> list[tuple[str, str, str]]:
    audit = run_cli("--url", url, "--baseline", str(referentiel), "--format", "json")
    return [(c["resultat"], c["attendu"], c["observe"])
            for c in json.loads(audit.stdout)["constats"] if c["cle"] == "internet_speed"]


@pytest.mark.parametrize(("stored", "verdict", "shown"), [
    ("-1", "écart", "illimité"),            # UrBackup's default: no limit
    ("102400", "conforme", "800 KBit/s"),   # exactly 800 KBit/s
    ("131072", "écart", "1 MBit/s"),        # faster
    ("65536", "conforme", "512 KBit/s"),
])
def test_at_most_a_speed(stored: str, verdict: str, shown: str, tmp_path: Path,
                         start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    emulator.state.save_general({"internet_speed": stored})
    assert _found(emulator.url, _with_entry(tmp_path)) == [
        (verdict, "au plus 800 KBit/s", shown)]


def test_fix_writes_bytes_per_second_and_says_what_to_type(
        tmp_path: Path, start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-conforme")
    referentiel = _with_entry(tmp_path)
    fixed = run_cli("fix", "--url", emulator.url, "--baseline", str(referentiel), "--yes",
                    "--backup", str(tmp_path / "sauvegarde.json"))
    assert fixed.code == 0, fixed.stdout + fixed.stderr
    assert emulator.state.global_value("internet_speed") == "102400"
    assert _found(emulator.url, referentiel) == [("conforme", "au plus 800 KBit/s",
                                                  "800 KBit/s")]


def test_unlimited_cannot_be_at_most(tmp_path: Path) -> None:
    run = run_cli("--url", "http://127.0.0.1:9", "--baseline",
                  str(_with_entry(tmp_path, "illimité")))
    assert run.code == 3
    line = baseline.default_path().read_text("utf-8").count("\n") + 4
    assert run.stderr == (
        f"datis-audit\u00a0: erreur\u00a0: {tmp_path / 'referentiel.toml'}, ligne {line}\u00a0: "
        "«\u00a0internet_speed\u00a0»\u00a0: «\u00a0au_plus\u00a0» demande un débit chiffré "
        "(«\u00a010 MBit/s\u00a0»), pas "
        "«\u00a0illimité\u00a0».\n")
