"""Benchmark "panels": what the sphinx-panels layer costs a build, against native markup.

30 generated pages written for sphinx-panels (panels with headers and footers, dropdowns,
link buttons, tabs, badges, icons), built with `sphinxext.panels`, against the same pages
after `datis-docs migrate` (sphinx-design's own markup), built with sphinx-design alone.
Both sites show the same thing (checked); builds alternate, after a warm-up round.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from benchmarks.common import MET, MISSED, Benchmark, Options, Row, median, ms, run_measured, times
from benchmarks.server import ROOT
from sphinxext.migrate.rewrite import Migration

PAGES = 30
TARGET_COST = 1.15
BUILD_TIMEOUT = 300.0

PAGE = """\
Page {i:02d}
=======

.. _page-{i:02d}:

.. panels::
    :column: col-lg-4 col-md-6 col-12 p-2
    :card: + text-center
    :header: bg-primary text-white

    Sauvegarde {i}
    ^^^^^^^^^^^^^^
    Les fichiers modifiés sont copiés :badge:`chaque nuit,badge-info`.
    +++
    :opticon:`clock` 20 h – 7 h

    ---
    :card: + bg-light

    Restauration
    ^^^^^^^^^^^^
    Un fichier, un dossier ou un disque entier :fa:`save,text-primary,style=fas`.

    .. link-button:: page-{j:02d}
        :type: ref
        :text: Page suivante
        :classes: btn-outline-primary btn-block

    ---

    Surveillance
    ^^^^^^^^^^^^
    Les alertes partent par courriel :link-badge:`https://datis.example/alertes,alertes,cls=badge-warning`.

.. dropdown:: Pourquoi la sauvegarde a-t-elle échoué ?
    :title: bg-info text-white
    :body: + text-justify
    :animate: fade-in

    Le poste était éteint, ou le disque du serveur était plein.

.. tabbed:: Windows

    Le client s'installe avec l'assistant.

.. tabbed:: Linux
    :selected:

    Le client s'installe avec le script fourni.

.. link-button:: https://datis.example/guide
    :text: Guide de l'administrateur
    :tooltip: Ouvre le guide
    :classes: btn-success
"""


def write_project(folder: Path, extensions: list[str], pages: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(
        f'project = "Mesure panels"\nlanguage = "fr"\nextensions = {extensions!r}\n', "utf-8")
    names = [f"page{i:02d}" for i in range(len(pages))]
    toctree = "".join(f"   {name}\n" for name in names)
    (folder / "index.rst").write_text(f"Mesure\n======\n\n.. toctree::\n\n{toctree}", "utf-8")
    for name, text in zip(names, pages, strict=True):
        (folder / f"{name}.rst").write_text(text, "utf-8")
    return folder


def build(src: Path, out: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(out)]
    run = run_measured(command, cwd=src, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       log=out.parent / f"{out.name}.log", timeout=BUILD_TIMEOUT)
    if run.code != 0:
        raise RuntimeError(f"sphinx a fini avec le code {run.code} : {run.output[-400:]}")
    return run.seconds, run.cpu_seconds


COMPONENTS = re.compile(r"\b(sd-card|sd-btn|sd-badge|sd-tab-label|sd-dropdown|sd-octicon|fa-\w+)\b")


def shown(html: Path) -> tuple[str, list[str]]:
    """A page's visible text and its components in order: what a reader sees of it."""
    text = html.read_text("utf-8")
    article = text[text.index("<section") : text.rindex("</section>")]
    words = " ".join(re.sub(r"<[^>]+>", " ", article).split())
    return words, COMPONENTS.findall(article)


def run(options: Options) -> list[Row]:
    reps = options.reps(5, 2)
    written = [PAGE.format(i=i, j=(i + 1) % PAGES) for i in range(PAGES)]
    migrated = [Migration().page(text) for text in written]
    with tempfile.TemporaryDirectory(prefix="datis-bench-panels-") as name:
        tmp = Path(name)
        projects = {
            "couche": write_project(tmp / "couche", ["sphinx_design", "sphinxext.panels"],
                                    written),
            "natif": write_project(tmp / "natif", ["sphinx_design"], migrated),
        }
        seconds: dict[str, list[float]] = {"couche": [], "natif": []}
        cpu: dict[str, list[float]] = {"couche": [], "natif": []}
        for rep in range(reps + 1):  # the first round warms the disk cache and is not kept
            for kind in ("couche", "natif") if rep % 2 else ("natif", "couche"):
                wall, used = build(projects[kind], tmp / f"html-{kind}-{rep}")
                if rep:
                    seconds[kind].append(wall)
                    cpu[kind].append(used)
        for i in (0, PAGES - 1):
            pair = [shown(tmp / f"html-{kind}-{reps}" / f"page{i:02d}.html")
                    for kind in ("couche", "natif")]
            if pair[0] != pair[1] or not pair[0][1]:
                raise RuntimeError(f"page{i:02d} : les deux sites ne montrent pas la même chose")
    layer, native = median(seconds["couche"]), median(seconds["natif"])
    cost = layer / native
    return [Row(
        f"construction complète, pages sphinx-panels avec sphinxext.panels / mêmes pages "
        f"migrées en sphinx-design ({PAGES} pages)",
        times(cost, 2), target=f"< {times(TARGET_COST, 2)}",
        verdict=MET if cost < TARGET_COST else MISSED,
        context=f"couche {ms(layer)}, natif {ms(native)} (médianes de {reps}, en alternance) ; "
                f"CPU {times(median(cpu['couche']) / median(cpu['natif']), 2)} ; mêmes textes et "
                "composants vérifiés sur deux pages")]


BENCHMARK = Benchmark("panels", "couche sphinx-panels", run)
