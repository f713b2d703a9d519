"""A build that compares nothing says so, and fails when datis_require_appliance asks for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.util.console import strip_escape_sequences

from tests.conftest import ROOT
from tests.sphinx_run import sphinx_build

NOTHING_COMPARED = ("Rien n'a été comparé\u00a0: ni appliance ni instantané n'a été lu, les "
                    "tableaux montrent les valeurs documentées seulement.")
REQUIRED = (" datis_require_appliance (variable DATIS_REQUIRE_APPLIANCE) exige une "
            "comparaison\u00a0: donnez DATIS_URL ou DATIS_ID et DATIS_PASSWORD, ou DATIS_SNAPSHOT.")
ERROR = f"ERROR: {NOTHING_COMPARED}{REQUIRED} [urbackup.nothing_compared]"


def lines(text: str) -> list[str]:
    return strip_escape_sequences(text).splitlines()


def test_a_build_with_documented_values_only_says_it_in_one_line(
        tmp_path: Path, project: Callable[..., Path]) -> None:
    done = sphinx_build(project("datis"), tmp_path / "out", "-W", quiet=False)
    assert (done.code, done.warnings()) == (0, [])
    assert lines(done.stdout).count(NOTHING_COMPARED) == 1


def test_a_build_that_compared_says_nothing_of_the_kind(
        tmp_path: Path, project: Callable[..., Path], snapshots: dict[str, Path]) -> None:
    done = sphinx_build(project("datis"), tmp_path / "out", "-W", "-D", "datis_mode=snapshot",
                        "-D", f"datis_snapshot={snapshots['datis-conforme']}",
                        "-D", "datis_require_appliance=1", quiet=False)
    assert (done.code, done.warnings()) == (0, [])
    assert NOTHING_COMPARED not in done.stdout + done.stderr


def test_required_comparison_fails_a_build_without_appliance(
        tmp_path: Path, project: Callable[..., Path]) -> None:
    """Without -W too: the CI job that lost its DATIS_URL secret must go red."""
    done = sphinx_build(project("datis"), tmp_path / "out", "-D", "datis_require_appliance=1")
    assert done.code == 1
    assert lines(done.stderr) == [ERROR]


def test_required_comparison_fails_when_the_snapshot_cannot_be_read(
        tmp_path: Path, project: Callable[..., Path]) -> None:
    done = sphinx_build(project("datis"), tmp_path / "out", "-D", "datis_mode=snapshot",
                        "-D", f"datis_snapshot={tmp_path / 'absent.json'}",
                        "-D", "datis_require_appliance=1")
    assert done.code == 1
    assert [line.rsplit(" ", 1)[1] for line in lines(done.stderr)] == [
        "[urbackup.no_snapshot]", "[urbackup.nothing_compared]"]


def test_the_docs_require_a_comparison_from_the_environment(tmp_path: Path) -> None:
    """conf.py reads DATIS_REQUIRE_APPLIANCE; a misspelt value still requires (safe side)."""
    required = sphinx_build(ROOT / "docs", tmp_path / "a", confdir=ROOT,
                            env={"DATIS_REQUIRE_APPLIANCE": "1"})
    assert (required.code, lines(required.stderr)) == (1, [ERROR])
    misspelt = sphinx_build(ROOT / "docs", tmp_path / "b", confdir=ROOT,
                            env={"DATIS_REQUIRE_APPLIANCE": "oiu"})
    assert misspelt.code == 1
    assert [line.rsplit(" ", 1)[1] for line in lines(misspelt.stderr)] == [
        "[urbackup.config]", "[urbackup.nothing_compared]"]
