"""`sphinx-build` as CI runs it, in this process or in a child process.

In-process is the default: `sphinx.cmd.build.build_main`, what `python -m sphinx` runs, called
as tests/cli_run.py calls our own commands (seeing what a fresh process would see); it reads
the configuration, the environment and the kept build folder afresh each time (our extension
keys its state by build environment). A child process costs a second of imports per
build; it is kept for the tests about the process itself (`process=True`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx.cmd.build import build_main
from sphinx.util.console import strip_escape_sequences

from tests.cli_run import run_main
from tests.conftest import ROOT


@dataclass
class Build:
    code: int
    out: Path
    stdout: str
    stderr: str

    def warnings(self) -> list[str]:
        return [line for line in strip_escape_sequences(self.stderr).splitlines()
                if "WARNING" in line or "AVERTISSEMENT" in line]

    def html(self, page: str) -> str:
        return (self.out / f"{page}.html").read_text("utf-8")


def sphinx_build(srcdir: Path, out: Path, *options: str, confdir: Path | None = None,
                 env: Mapping[str, str] | None = None, quiet: bool = True,
                 process: bool = False) -> Build:
    """`sphinx-build -b html [-q] -d OUT/.doctrees [-c CONFDIR] OPTIONS SRCDIR OUT`.

    The environment is this one without any DATIS_ variable, plus `env`; the working folder is
    the repository's, as in CI.
    """
    argv = ["-b", "html", "-d", str(out / ".doctrees"), *(["-q"] if quiet else [])]
    if confdir is not None:
        argv += ["-c", str(confdir)]
    argv += [*options, str(srcdir), str(out)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATIS_")}
    environment.update(env or {})
    if process:
        done = subprocess.run([sys.executable, "-m", "sphinx", *argv], capture_output=True,
                              text=True, env=environment, cwd=ROOT, timeout=300,
                              stdin=subprocess.DEVNULL)
        return Build(done.returncode, out, done.stdout, done.stderr)
    run = run_main(build_main, argv, env=environment)
    return Build(run.code, out, run.stdout, run.stderr)
