"""The date of each kind's oldest last backup (datis_audit_oldest_backup_timestamp_seconds),
written by the real CLI against emulated appliances: only dated backups count.

A scenario's backup ages are relative to the moment the emulator loaded it: that moment is
read back from a backup whose age the scenario gives (`loaded_at`), and every expected date
follows from the scenario's ages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from checks.emulator.records import Backup
from tests.cli_run import run_cli
from tests.exporter.running import DAY, HOUR, loaded_at, promtool

METRIC = "datis_audit_oldest_backup_timestamp_seconds"


def oldest(emulator: Emulator, folder: Path, code: int) -> dict[str, float]:
    """The textfile exposition's dates of the oldest backups, by type; promtool accepts it."""
    target = folder / "datis.prom"
    run = run_cli("--url", emulator.url, "--format", "prometheus", "--output", str(target))
    assert run.code == code, run.stderr
    text = target.read_text("utf-8")
    checked = promtool("check", "metrics", stdin=text)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    dates = {}
    for line in text.splitlines():
        if line.startswith(METRIC + "{"):
            kind = line.split('type="', 1)[1].split('"', 1)[0]
            dates[kind] = float(line.rsplit(" ", 1)[1])
    return dates


def test_late_and_never_backed_up_clients(start_emulator: Callable[..., Emulator],
                                          tmp_path: Path) -> None:
    """sauvegardes-en-retard: PORTABLE-COMMERCIAL's files (20 days) and PC-DIRECTION's image
    (40 days) are the oldest; PC-NOUVEAU, never backed up, is no date (not 1970)."""
    late = start_emulator("sauvegardes-en-retard")
    now = loaded_at(late, 1, 2 * HOUR)
    assert oldest(late, tmp_path, 1) == {"fichiers": now - 20 * DAY, "image": now - 40 * DAY}


def test_a_client_that_cannot_make_an_image_is_no_image_date(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """datis-conforme, where SRV-INTRANET cannot make an image (« Non supporté »): even with
    an image from 90 days ago (made before its agent changed), its image is no date."""
    compliant = start_emulator("datis-conforme")
    now = loaded_at(compliant, 1, 2 * HOUR)
    intranet = compliant.state.clients[4]
    assert intranet.image_not_supported
    intranet.backups.append(Backup(id=900, clientid=4, image=True, backuptime=now - 90 * DAY,
                                   incremental=False, size_bytes=10**9))
    assert oldest(compliant, tmp_path, 0) == {"fichiers": now - 3 * HOUR, "image": now - 4 * DAY}


def test_no_dated_backup_no_sample(start_emulator: Callable[..., Emulator],
                                   tmp_path: Path) -> None:
    """Clients never backed up: no date at all (the metric's HELP stays, without a sample)."""
    bare = start_emulator("datis-conforme")
    for client in bare.state.clients.values():
        client.backups.clear()
    assert oldest(bare, tmp_path, 1) == {}
