"""Regenerate tests/fixtures/panels-corpus/structure.json from the original stack.

The corpus under tests/fixtures/panels-corpus/ is written for sphinx-panels 0.6. This script
builds it where it was meant to build (Sphinx 4.5 + sphinx-panels 0.6, in its own virtualenv
`.venv-panels-ref/`, made on first use), with -W, and stores what tests/panels_structure.py
extracts from that build: the ground truth our compatibility layer is tested against by
tests/sphinxext/test_panels_corpus.py (components, texts, colours, widths, the space under
grids and dropdowns, block quotes). Run it by hand after changing the corpus or the
extractor:

    python scripts/panels_reference.py

It is not part of the test command: it installs packages that no test may need.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks.files.atomic import write_text  # noqa: E402
from tests.panels_structure import tree_structure  # noqa: E402

VENV = ROOT / ".venv-panels-ref"
CORPUS = ROOT / "tests" / "fixtures" / "panels-corpus"
FIXTURE = CORPUS / "structure.json"
#: Each folder of the corpus with a conf.py is one Sphinx project (one configuration each).
PROJECTS = ("pages", "delimiteurs")

#: The original stack. Sphinx 4.5 declares open-ended requirements that later releases broke;
#: these pins are the releases contemporary with it that still install on Python 3.11.
PINS = (
    "sphinx==4.5.0",
    "sphinx-panels==0.6.0",
    "docutils==0.17.1",  # Sphinx 4.5 requires docutils<0.18
    "jinja2==3.0.3",  # Jinja 3.1 removed the `environmentfilter` Sphinx 4 imports
    "alabaster==0.7.13",  # later releases require Sphinx>=3.4 but drop its theme options
    # From 1.0.5/2.0.5 on, the sphinxcontrib builders require Sphinx>=5.
    "sphinxcontrib-applehelp==1.0.4",
    "sphinxcontrib-devhelp==1.0.2",
    "sphinxcontrib-htmlhelp==2.0.1",
    "sphinxcontrib-jsmath==1.0.1",
    "sphinxcontrib-qthelp==1.0.3",
    "sphinxcontrib-serializinghtml==1.1.5",
)


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    """Make or refresh the reference virtualenv when the pins changed."""
    digest = hashlib.sha1(" ".join(PINS).encode()).hexdigest()[:12]
    stamp = VENV / f".pins-{digest}"
    if stamp.exists():
        return
    print(f"Création de l'environnement de référence {VENV.name}/ ...", flush=True)
    if not python().exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    subprocess.run([str(python()), "-m", "pip", "install", "--quiet", *PINS], check=True)
    for old in VENV.glob(".pins-*"):
        old.unlink()
    stamp.touch()


def versions() -> dict[str, str]:
    """The versions the fixture was made with, as the reference virtualenv reports them."""
    code = ("import sys, sphinx, docutils, sphinx_panels; print(sys.version.split()[0], "
            "sphinx.__version__, docutils.__version__, sphinx_panels.__version__)")
    done = subprocess.run([str(python()), "-c", code], capture_output=True, text=True,
                          check=True)
    names = ("python", "sphinx", "docutils", "sphinx-panels")
    return dict(zip(names, done.stdout.split(), strict=True))


def build(project: str, out: Path) -> float:
    """Build one corpus project with -W; the seconds it took."""
    command = [str(python()), "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
               "-d", str(out / ".doctrees"), str(CORPUS / project), str(out)]
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"La construction de référence de « {project} » a échoué "
                 f"(code {done.returncode}) :\n{done.stderr}")
    return seconds


def main() -> None:
    ensure_venv()
    fixture: dict[str, object] = {
        "generated_by": {
            "script": "scripts/panels_reference.py",
            "extractor": "tests/panels_structure.py",
            "stack": versions(),
            "build": "sphinx-build -b html -W, one project per folder of the corpus",
        },
        "projects": {},
    }
    projects: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="panels-ref-") as folder:
        for project in PROJECTS:
            out = Path(folder) / project
            seconds = build(project, out)
            pages = tree_structure(out)
            projects[project] = pages
            print(f"{project} : {len(pages)} pages construites en {seconds:.1f} s")
    fixture["projects"] = projects
    write_text(FIXTURE, json.dumps(fixture, ensure_ascii=False, indent=1) + "\n")
    print(f"Écrit : {FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
