"""The CLI imports only what the chosen command and format need: it starts fast.

Timings belong to benchmarks/; here, what matters is which modules a run loads at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT

HEAVY = ("requests", "urllib3", "ssl", "rich", "jinja2", "checks.appliance.client",
         "checks.audit.rules", "checks.operations.fleet")
LOADED = """
import atexit, json, runpy, sys
atexit.register(lambda: print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv[0] = "datis-audit"
runpy.run_module("checks", run_name="__main__", alter_sys=True)
"""


def _loaded(*args: str) -> tuple[int, set[str]]:
    """Exit code of `datis-audit ARGS` and every module it had loaded when it ended."""
    env = {**os.environ, "DATIS_PASSWORD": PASSWORD}
    done = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done.returncode, set(json.loads(line.removeprefix("MODULES ")))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, checks.cli.main; "
                               "print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert set(json.loads(done.stdout)).isdisjoint(HEAVY)


@pytest.mark.parametrize("args", [["--help"], ["fleet", "--help"], ["--datis", "1A2B", "-x"]])
def test_help_and_usage_errors_load_no_heavy_module(args: list[str]) -> None:
    code, modules = _loaded(*args)
    assert code == (0 if "--help" in args else 3)
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.parametrize(("fmt", "needed", "unneeded"), [
    ("json", set(), {"rich", "jinja2", "checks.reports.html", "checks.reports.text"}),
    ("html", {"jinja2"}, {"rich", "checks.reports.text"}),
    ("text", {"rich"}, {"jinja2", "checks.reports.html"}),
])
def test_an_audit_loads_only_its_format(emulator: Emulator, fmt: str, needed: set[str],
                                        unneeded: set[str]) -> None:
    code, modules = _loaded("--url", emulator.url, "--format", fmt)
    assert code == 0
    assert needed <= modules
    assert modules.isdisjoint(unneeded), sorted(modules & unneeded)
