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
    assert done.stdout.startswith("usage\u00a0: datis-audit")


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
    # With the locked setuptools of this venv: a test never downloads (build isolation would).
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
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
    assert "Conforme\u00a0: l'appliance est configurée comme documenté." in run.stdout


def test_the_first_install_says_what_it_does(tmp_path: Path) -> None:
    """A project whose install fails at once (an environment without pip): each step is told,
    then the failure, and nothing claims the install is done."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "_venv.sh", tmp_path / "scripts" / "_venv.sh")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "requirements").mkdir()
    shutil.copy2(ROOT / "requirements" / "lock.txt", tmp_path / "requirements" / "lock.txt")
    venv.create(tmp_path / ".venv", with_pip=False)
    done = subprocess.run(["bash", "-c", "source scripts/_venv.sh"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    told = [line for line in done.stderr.splitlines() if line.startswith("datis-docs : ")]
    assert told == [
        "datis-docs : installation des dépendances aux versions de requirements/lock.txt "
        "dans .venv/ (environ une minute)…",
        "datis-docs : installation interrompue ou échouée (voir les messages de pip ci-dessus) ; "
        "relancer la même commande pour reprendre.",
    ]
    assert not list((tmp_path / ".venv").glob(".installed-*"))



def test_a_new_lock_reinstalls(tmp_path: Path) -> None:
    """The install stamp stands for pyproject.toml and the lock: an environment installed from
    one lock is left alone by the next command, and installed again from a new lock. pip here
    is a stand-in that notes what it is asked: the script's decisions are under test."""
    for name in ("scripts/_venv.sh", "pyproject.toml", "requirements/lock.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    venv.create(tmp_path / ".venv", with_pip=False)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    pip = tmp_path / ".venv" / "lib" / version / "site-packages" / "pip"
    pip.mkdir()
    asked = tmp_path / "pip-asked.txt"
    (pip / "__main__.py").write_text(
        f"import sys\nwith open({str(asked)!r}, 'a') as f:\n    print(*sys.argv[1:], file=f)\n")

    def source() -> list[str]:
        asked.unlink(missing_ok=True)
        done = subprocess.run(["bash", "-c", "source scripts/_venv.sh"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return asked.read_text().splitlines() if asked.exists() else []

    install = ["install --quiet --no-deps -r requirements/lock.txt",
               "install --quiet --no-deps --no-build-isolation -e .", "check"]
    assert source() == install
    assert source() == []
    with (tmp_path / "requirements" / "lock.txt").open("a") as lock:
        lock.write("# refreshed\n")
    assert source() == install
