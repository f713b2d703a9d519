"""Outputs are whole or absent: a report that cannot be written leaves nothing behind.

The audit itself succeeds here; writing its report fails (a folder in the way, a missing
folder, a read-only folder, a text the encoder refuses). The earlier file, if any, stays.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checks.files import atomic
from tests.cli_run import run_cli
from tests.hardening.conftest import OLD_REPORT, Guarded, assert_one_french_error


def test_output_onto_a_folder(watched: Callable[..., Any], tmp_path: Path) -> None:
    emulator, watch = watched()
    target = tmp_path / "rapport.html"
    target.mkdir()
    run = run_cli("--url", emulator.url, "--format", "html", "--output", str(target))
    assert_one_french_error(run, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html"]
    assert list(target.iterdir()) == []
    watch.assert_untouched()


def test_output_in_a_missing_folder(watched: Callable[..., Any], tmp_path: Path) -> None:
    emulator, _ = watched()
    run = run_cli("--url", emulator.url, "--output", str(tmp_path / "absent" / "r.txt"))
    assert_one_french_error(run, 3)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit dans un dossier en lecture seule")
def test_output_in_a_read_only_folder(watched: Callable[..., Any], guarded: Guarded) -> None:
    emulator, _ = watched()
    guarded.folder.chmod(0o555)
    try:
        run = run_cli("--url", emulator.url, "--output", str(guarded.path))
    finally:
        guarded.folder.chmod(0o755)
    assert_one_french_error(run, 3)
    guarded.assert_untouched()


def test_a_write_failing_midway_keeps_the_earlier_file(guarded: Guarded) -> None:
    with pytest.raises(UnicodeEncodeError):
        atomic.write_text(guarded.path, "début du rapport\n" * 1000 + "\udcff")
    guarded.assert_untouched()


def test_a_successful_write_replaces_the_file_whole(guarded: Guarded) -> None:
    atomic.write_text(guarded.path, "nouveau rapport\n")
    assert guarded.path.read_text(encoding="utf-8") == "nouveau rapport\n"
    assert guarded.path.read_text(encoding="utf-8") != OLD_REPORT
    assert sorted(p.name for p in guarded.folder.iterdir()) == [guarded.path.name]


def test_a_pipe_is_written_to_and_stays_a_pipe(tmp_path: Path) -> None:
    """`--output /dev/null` or a named pipe: a rename would put a plain file in its place."""
    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text("utf-8")))
    reader.start()
    atomic.write_text(pipe, "rapport par le tube\n")
    reader.join(timeout=10)
    assert received == ["rapport par le tube\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["tube"]
