"""The README's demo shows the commands a user types, and they work."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_demo_shows_the_commands_a_user_types(tmp_path: Path) -> None:
    # a child process: the demo script is what is tested (it starts its own emulator)
    done = subprocess.run([sys.executable, "scripts/demo.py", str(tmp_path / "demo")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    commands = [shlex.split(line[2:]) for line in done.stdout.splitlines()
                if line.startswith("$ ")]
    assert [command[0] for command in commands] == [
        "export", "datis-audit", "datis-audit", "datis-audit", "export", "sphinx-build"]
    assert "python" not in done.stdout
    assert commands[-1][1:] == ["-W", "-q", "-c", ".", "docs", str(tmp_path / "demo" / "html")]
    assert (tmp_path / "demo" / "conformite.html").is_file()
    # the audit's page, included in the docs through DATIS_COMPLIANCE_PAGE
    assert "Page de conformité — http://127.0.0.1:" in (
        tmp_path / "demo" / "html" / "conformite.html").read_text("utf-8")
