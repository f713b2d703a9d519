"""The demo: start the bundled emulator, audit it, build the docs with its compliance page.

Everything it makes goes to `demo-out/` (never committed). The emulator runs as its own
process, on a free port, with a password drawn for this run only.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-out"


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


def run(command: list[str], env: dict[str, str]) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


def main() -> int:
    OUT.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(12)
    process, url = start_emulator("datis-conforme", password)
    print(f"Émulateur UrBackup (scénario datis-conforme) : {url}", flush=True)
    env = {**os.environ, "DATIS_PASSWORD": password, "DATIS_URL": url}
    try:
        audit = run([sys.executable, "-m", "checks", "--url", url, "--format", "html",
                     "--output", str(OUT / "conformite.html")], env)
        run([sys.executable, "-m", "checks", "--url", url, "--format", "rst",
             "--output", str(OUT / "conformite.rst")], env)
        run([sys.executable, "-m", "checks", "--url", url], env)
        env["DATIS_COMPLIANCE_PAGE"] = str(OUT / "conformite.rst")
        docs = run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-c", ".",
                    "docs", str(OUT / "html")], env)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print()
    print(f"Page de conformité : {OUT / 'conformite.html'}")
    print(f"Documentation : {OUT / 'html' / 'index.html'}")
    return 0 if audit in (0, 1) and docs == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
