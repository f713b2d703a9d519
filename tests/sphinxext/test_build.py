"""Real sphinx-build runs: -W fails on drift, suppress_warnings, -j 2 equals a serial build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.sphinx_run import sphinx_build


def test_W_fails_on_drift_and_names_setting_page_and_line(
        tmp_path: Path, project: Callable[..., Path], snapshots: dict[str, Path]) -> None:
    build = sphinx_build(project("datis"), tmp_path / "out", "-W",
                         "-D", "datis_mode=snapshot",
                         "-D", f"datis_snapshot={snapshots['datis-derive']}")
    assert build.code == 1
    assert any("fichiers.rst:4: WARNING: Écart" in w and "(update_freq_incr)" in w
               and w.endswith("[urbackup.drift]") for w in build.warnings())
    assert "Traceback" not in build.stderr


def test_W_passes_on_a_compliant_appliance(tmp_path: Path, project: Callable[..., Path],
                                           snapshots: dict[str, Path]) -> None:
    build = sphinx_build(project("datis"), tmp_path / "out", "-W",
                         "-D", "datis_mode=snapshot",
                         "-D", f"datis_snapshot={snapshots['datis-conforme']}")
    assert (build.code, build.warnings()) == (0, [])


def test_suppress_warnings_silences_drift_only(tmp_path: Path, project: Callable[..., Path],
                                               snapshots: dict[str, Path]) -> None:
    options = ("-W", "-D", "datis_mode=snapshot", "-D", "suppress_warnings=urbackup.drift")
    derive = sphinx_build(project("datis"), tmp_path / "a", *options,
                          "-D", f"datis_snapshot={snapshots['datis-derive']}")
    assert (derive.code, derive.warnings()) == (0, [])
    assert "écart" in derive.html("fichiers")
    missing = sphinx_build(project("datis", "b"), tmp_path / "out-b", *options,
                           "-D", f"datis_snapshot={tmp_path / 'absent.json'}")
    assert missing.code == 1
    assert [w.rsplit(" ", 1)[1] for w in missing.warnings()] == ["[urbackup.no_snapshot]"]


def test_parallel_build_equals_serial_build(tmp_path: Path, project: Callable[..., Path],
                                            snapshots: dict[str, Path]) -> None:
    options = ("-D", "datis_mode=snapshot", "-D", f"datis_snapshot={snapshots['datis-derive']}")
    serial = sphinx_build(project("datis", "src-serial"), tmp_path / "serial", *options)
    parallel = sphinx_build(project("datis", "src-parallel"), tmp_path / "parallel", "-j", "2",
                            *options)
    assert serial.code == parallel.code == 0

    def relative(build_warnings: list[str], folder: str) -> list[str]:
        return sorted(w.replace(str(tmp_path / folder), "") for w in build_warnings)

    assert len(serial.warnings()) == 7  # 5 global settings, 2 of one client's own
    assert relative(serial.warnings(), "src-serial") == relative(parallel.warnings(),
                                                                 "src-parallel")
    pages = sorted(p.name for p in (tmp_path / "serial").glob("*.html"))
    assert pages == sorted(p.name for p in (tmp_path / "parallel").glob("*.html"))
    for name in pages:
        assert serial.html(name[:-5]) == parallel.html(name[:-5]), name
