"""The demo: start the bundled emulator, audit it, build the docs with its compliance page.

Everything it makes goes to `demo-out/` (never committed), or to the folder given as its only
argument. The emulator runs as its own process, on a free port, with a password drawn for
this run only. Each command is shown as a user types it (`datis-audit …`, `sphinx-build …`,
paths relative to the clone) and run through the console script this environment installed.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-out"
#: The commands of this environment (`.venv/bin/`), as `pip install` put them there.
BIN = Path(sys.executable).parent


def start_emulator(scenario: str, password: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "checks.emulator", "--port", "0", "--scenario", scenario],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "EMULATOR_ADMIN_PASSWORD": password},
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http"):
        process.kill()
        raise SystemExit("L'émulateur n'a pas démarré.")
    return process, url


def shown(path: Path) -> str:
    """A path as a user in the clone would type it: relative to it when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run(command: list[str], env: dict[str, str]) -> int:
    """Show `command` as typed, then run its first word from this environment's commands."""
    print("$", shlex.join(command), flush=True)
    return subprocess.call([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    process, url = start_emulator("datis-conforme", password)
    print(f"Émulateur UrBackup (scénario datis-conforme) : {url}", flush=True)
    print("$ export DATIS_URL=" + url + " DATIS_PASSWORD=…", flush=True)
    env = {**os.environ, "DATIS_PASSWORD": password, "DATIS_URL": url}
    page = out / "conformite.rst"
    try:
        audit = run(["datis-audit", "--url", url, "--format", "html",
                     "--output", shown(out / "conformite.html")], env)
        run(["datis-audit", "--url", url, "--format", "rst", "--output", shown(page)], env)
        run(["datis-audit", "--url", url], env)
        print(f"$ export DATIS_COMPLIANCE_PAGE={shown(page)}", flush=True)
        env["DATIS_COMPLIANCE_PAGE"] = str(page)
        docs = run(["sphinx-build", "-W", "-q", "-c", ".", "docs", shown(out / "html")], env)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print()
    print(f"Page de conformité : {out / 'conformite.html'}")
    print(f"Documentation : {out / 'html' / 'index.html'}")
    return 0 if audit in (0, 1) and docs == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
