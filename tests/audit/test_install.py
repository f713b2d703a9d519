"""Getting started as the README says: the command from the clone, from a wheel on another
machine, and a first install that says what it does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

from checks.emulator import Emulator
from tests.conftest import PASSWORD, ROOT


def test_the_clone_has_the_command_in_its_venv() -> None:
    command = Path(sys.executable).parent / "datis-audit"
    # a subprocess: the console script the venv installed is what is tested
    done = subprocess.run([str(command), "--help"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0
    assert done.stdout.startswith("usage : datis-audit")


def test_a_wheel_carries_everything_the_command_needs(
        start_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    """Built from the tracked files, installed apart, run away from the clone: an audit."""
    source = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path / "dist"), str(source)], capture_output=True,
                           text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    # setuptools' deprecations (a license as a TOML table...) reach the person installing as
    # BuildBackendWarning blocks: a clean pyproject.toml gives none.
    assert "BuildBackendWarning" not in built.stderr, built.stderr
    wheel = next((tmp_path / "dist").glob("datis_docs-*.whl"))
    site = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                                "--target", str(site), str(wheel)], capture_output=True,
                               text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "poste"
    elsewhere.mkdir()
    environment = {**os.environ, "DATIS_PASSWORD": PASSWORD, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import checks; print(checks.__file__)"],
                           capture_output=True, text=True, env=environment, cwd=elsewhere)
    assert where.stdout.startswith(str(site))
    run = subprocess.run([str(site / "bin" / "datis-audit"), "--url",
                          start_emulator("datis-conforme").url],
                         capture_output=True, text=True, env=environment, cwd=elsewhere,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Conforme : l'appliance est configurée comme documenté." in run.stdout


def test_the_first_install_says_what_it_does(tmp_path: Path) -> None:
    """A project whose install fails at once (an environment without pip): each step is told,
    then the failure, and nothing claims the install is done."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "_venv.sh", tmp_path / "scripts" / "_venv.sh")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv.create(tmp_path / ".venv", with_pip=False)
    done = subprocess.run(["bash", "-c", "source scripts/_venv.sh"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    told = [line for line in done.stderr.splitlines() if line.startswith("datis-docs : ")]
    assert told == [
        "datis-docs : mise à jour de pip…",
        "datis-docs : installation interrompue ou échouée (voir les messages de pip ci-dessus) ; "
        "relancer la même commande pour reprendre.",
    ]
    assert not list((tmp_path / ".venv").glob(".installed-*"))
