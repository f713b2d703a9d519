"""fleet, fix and diff at an 80-column terminal: every line fits, no name is cut, and the
fleet table tells its appliances apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.cli_run import run_cli

LONG_NAME = "SRV-COMPTABILITE-SIEGE-SOCIAL-LYON"
"""A client's name long enough that a line cut at any place could fall inside it."""


def _narrow(*args: str, code: int, cwd: Path | None = None, columns: int = 80) -> list[str]:
    run = run_cli(*args, env={"COLUMNS": str(columns)}, cwd=cwd)
    assert run.code == code, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [line for line in lines if len(line) > columns] == []
    return lines


def test_the_fleet_table_fits_and_tells_appliances_apart(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emulators = [start_emulator(s) for s in ("datis-derive", "datis-conforme", "datis-derive")]
    inventory = tmp_path / "flotte.toml"
    inventory.write_text("schema = 1\n" + "".join(
        f'\n[[appliance]]\nurl = "{e.url}"\nnom = "Cabinet d\'expertise comptable Martin"\n'
        for e in emulators), "utf-8")
    lines = _narrow("fleet", "--inventory", str(inventory), "--output-dir", "r", code=1,
                    cwd=tmp_path)
    for emulator in emulators:  # each row shows its whole host and port, whatever the width
        address = emulator.url.removeprefix("http://")
        assert len([line for line in lines if f" {address} " in line]) == 1, lines


def test_fix_fits_and_never_cuts_a_name(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator("datis-derive")
    compta = next(c for c in emulator.state.clients.values() if c.name == "SRV-COMPTA")
    compta.name = LONG_NAME
    for columns in range(60, 101):  # at some width the name reaches the end of a line
        lines = _narrow("fix", "--url", emulator.url, code=1, columns=columns)
        assert len([line for line in lines if LONG_NAME in line]) == 2, columns  # two settings


def test_diff_fits_and_never_cuts_a_name(start_emulator: Callable[..., Emulator],
                                         tmp_path: Path) -> None:
    assert run_cli("snapshot", "--url", start_emulator("datis-conforme").url,
                   "--output", "avant.json", cwd=tmp_path).code == 0
    emulator = start_emulator("datis-derive")
    compta = next(c for c in emulator.state.clients.values() if c.name == "SRV-COMPTA")
    compta.name = LONG_NAME
    lines = _narrow("diff", "avant.json", "--url", emulator.url, code=1, cwd=tmp_path)
    assert f"  - Ajouté\u00a0: {LONG_NAME}" in lines


def test_below_the_tables_width_the_fleet_is_one_block_per_appliance(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """At the narrowest terminal (60 columns), the table cannot give a name 16 columns beside
    a host:port: each appliance is its name and address, then its state and écarts."""
    derive = start_emulator("datis-derive")
    inventory = tmp_path / "flotte.toml"
    inventory.write_text(f'schema = 1\n\n[[appliance]]\nurl = "{derive.url}"\n'
                         'nom = "Cabinet Martin"\n\n[[appliance]]\nurl = "http://127.0.0.1:9"\n',
                         "utf-8")
    lines = _narrow("fleet", "--inventory", str(inventory), "--output-dir", "r", code=2,
                    cwd=tmp_path, columns=60)
    address = derive.url.removeprefix("http://")
    assert lines[:5] == [
        "Audit de la flotte",
        f"Cabinet Martin ({address})",
        "  non conforme, écarts (crit./maj./min.)\u00a0: 0 / 5 / 2",
        "127.0.0.1:9",
        "  audit impossible, écarts (crit./maj./min.)\u00a0: —",
    ]
