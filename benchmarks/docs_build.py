"""Benchmark "docs": what the Sphinx extension costs a documentation build.

Three measures, each on generated projects in a temporary folder, each build a real
`python -m sphinx` subprocess (HTML builder, default theme):

- a full build in snapshot mode of 30 pages, each with a settings table and roles, against
  the same 30 pages written out as static reST (the same tables as list-tables, the same values
  as text): the ratio of their times is the extension's cost;
- in live mode against an emulated appliance (its own process), the HTTP requests the appliance
  serves for a build with 1 directive and for one with 50: the values are read once per build;
- after one live value changes on the appliance (saved through our client, over HTTP), an
  incremental build: the pages read again against the pages that show that value;
- the repository's own docs (`-W -c . docs`) in live mode against a drifted appliance: a
  second build with the same build folder (nothing to read again) must fail like the first,
  with the same drift warnings; the ratio of their times is what a re-run costs.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    MET,
    MISSED,
    Benchmark,
    Options,
    Row,
    median,
    ms,
    number,
    run_measured,
    times,
)
from benchmarks.server import ROOT, ServerProcess
from checks.appliance import snapshot
from checks.appliance.client import UrBackupClient
from checks.audit import baseline
from checks.audit.baseline import Baseline
from checks.settings import catalogue
from sphinxext import source

PAGES = 30
TARGET_COST = 1.10
LIVE_DIRECTIVES = (1, 50)
CHANGED_KEY = "mail_serverport"
CHANGED_VALUE = "465"
ROLE_KEYS = ("update_freq_incr", "mail_serverport", "update_freq_image_full",
             "backup_database", "max_file_full")
"""The page i shows ROLE_KEYS[i % 5] by both roles, and the table of section i % 4."""
BUILD_TIMEOUT = 300.0
PASSWORD_ENV = "DATIS_BENCH_PASSWORD"
READ_LOG_ENV = "DATIS_BENCH_READ_LOG"

PROSE = (
    "Cette page décrit la configuration de l'appliance DATIS pour ce cas d'usage. Les valeurs "
    "documentées viennent du référentiel ; les valeurs réelles, de l'appliance de référence.\n\n"
    "Les sauvegardes de fichiers et d'images tournent selon le plan ci-dessous. Un écart entre "
    "la documentation et l'appliance est signalé pendant la construction.\n"
)

# A project-local extension of the benchmark (not of the extension measured): it writes the
# names of the pages Sphinx reads to the file named by DATIS_BENCH_READ_LOG.
READ_LOG_EXTENSION = f'''
import json, os

def _seen(app, env, docnames):
    path = os.environ.get("{READ_LOG_ENV}")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(sorted(docnames), handle)

def setup(app):
    app.connect("env-before-read-docs", _seen)
    return {{"parallel_read_safe": True}}
'''


@dataclass(frozen=True)
class Build:
    seconds: float
    cpu: float
    output: str


def _verdict(met: bool) -> str:
    return MET if met else MISSED


@functools.cache
def rules() -> Baseline:
    return baseline.load()


def page_section(i: int) -> str:
    names = list(rules().sections)
    return names[i % len(names)]


def pages_showing(key: str, count: int) -> list[str]:
    """The pages whose table or roles show `key`."""
    shown = []
    for i in range(count):
        in_table = key in {rule.key for rule in rules().rules_of(page_section(i))}
        if in_table or ROLE_KEYS[i % len(ROLE_KEYS)] == key:
            shown.append(f"page{i:02d}")
    return shown


def write_project(folder: Path, bodies: list[str], *, extension: bool,
                  settings: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['project = "Mesure DATIS"', 'language = "fr"',
             "extensions = [" + ('"sphinxext", ' if extension else "") + '"_mesure"]',
             "import sys, os", "sys.path.insert(0, os.path.dirname(__file__))"]
    lines += [f"{name} = {value!r}" for name, value in (settings or {}).items()]
    (folder / "conf.py").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "_mesure.py").write_text(READ_LOG_EXTENSION, "utf-8")
    names = [f"page{i:02d}" for i in range(len(bodies))]
    toctree = "".join(f"   {name}\n" for name in names)
    (folder / "index.rst").write_text(f"Mesure\n======\n\n.. toctree::\n\n{toctree}", "utf-8")
    for name, body in zip(names, bodies, strict=True):
        (folder / f"{name}.rst").write_text(body, "utf-8")
    return folder


def directive_page(i: int, tables: int = 1) -> str:
    key = ROLE_KEYS[i % len(ROLE_KEYS)]
    title = f"Page {i:02d}"
    body = [f"{title}\n{'=' * len(title)}\n", PROSE]
    body.append(f"Valeur documentée : :datis-doc:`{key}` ; valeur réelle : "
                f":datis-reel:`{key}`.\n")
    for t in range(tables):
        body.append(f".. datis-reglages:: {page_section(i + t)}\n")
    return "\n".join(body)


def static_page(i: int, current: source.Values) -> str:
    """The page `directive_page(i)` becomes once its values are written out by hand."""
    key = ROLE_KEYS[i % len(ROLE_KEYS)]
    shown = source.show(current, key)
    title = f"Page {i:02d}"
    body = [f"{title}\n{'=' * len(title)}\n", PROSE]
    body.append(f"Valeur documentée : {shown.documented} ; valeur réelle : {shown.live}.\n")
    table = [".. list-table::", "   :header-rows: 1", "   :widths: 40 22 22 16",
             "   :class: datis-reglages", "",
             "   * - Réglage", "     - Valeur documentée", "     - Valeur réelle",
             "     - État"]
    assert current.baseline is not None
    for rule in current.baseline.rules_of(page_section(i)):
        row = source.show(current, rule.key)
        table += [f"   * - {row.label}", f"     - {row.documented}", f"     - {row.live}",
                  f"     - {row.status}"]
    body.append("\n".join(table) + "\n")
    body.append(f"Valeurs réelles : {current.origin}.\n")
    return "\n".join(body)


def snapshot_values(path: Path) -> source.Values:
    """What the extension shows in snapshot mode, computed as its source module does."""
    reading = snapshot.load(path)
    live = {key: reading.value(key) for key in catalogue.SETTINGS if reading.has(key)}
    origin = f"instantané du {reading.taken_at.strftime('%d/%m/%Y')} ({reading.url})"
    return source.Values(rules(), live, origin, "inspee.re", None)


def sphinx_build(src: Path, out: Path, env: dict[str, str] | None = None) -> Build:
    """One `python -m sphinx` run; its wall and CPU seconds (wait4, that process alone)."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    run = run_measured(command, cwd=src, env=full_env, log=out.parent / f"{out.name}.log",
                       timeout=BUILD_TIMEOUT)
    if run.code != 0:
        raise RuntimeError(f"sphinx a fini avec le code {run.code} : {run.output[-400:]}")
    return Build(run.seconds, run.cpu_seconds, run.output)


def take_snapshot(url: str, password: str, path: Path) -> Path:
    env = {**os.environ, "DATIS_PASSWORD": password}
    done = subprocess.run([sys.executable, "-m", "checks", "snapshot", "--url", url,
                           "--output", str(path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"instantané impossible : {done.stderr[-300:]}")
    return path


def full_builds(tmp: Path, reps: int) -> list[Row]:
    """(a) snapshot mode against static text, full builds, alternating."""
    with ServerProcess() as server:
        snap = take_snapshot(server.url, server.password, tmp / "instantane.json")
    current = snapshot_values(snap)
    with_ext = write_project(tmp / "extension", [directive_page(i) for i in range(PAGES)],
                             extension=True,
                             settings={"datis_mode": "snapshot", "datis_snapshot": str(snap)})
    static = write_project(tmp / "statique", [static_page(i, current) for i in range(PAGES)],
                           extension=False)
    builds: dict[str, list[Build]] = {"extension": [], "statique": []}
    projects = {"extension": with_ext, "statique": static}
    for rep in range(reps + 1):  # the first round warms the disk cache and is not kept
        order = ("extension", "statique") if rep % 2 else ("statique", "extension")
        for name in order:
            build = sphinx_build(projects[name], tmp / f"html-{name}-{rep}")
            if rep:
                builds[name].append(build)
    check_same_values(tmp / f"html-extension-{reps}", tmp / f"html-statique-{reps}", current)
    ext_time = median(b.seconds for b in builds["extension"])
    static_time = median(b.seconds for b in builds["statique"])
    cost = ext_time / static_time
    cpu_cost = median(b.cpu for b in builds["extension"]) / median(
        b.cpu for b in builds["statique"])
    return [Row(
        f"construction complète, mode instantané / texte statique ({PAGES} pages)",
        times(cost, 2), target=f"< {times(TARGET_COST, 2)}",
        verdict=_verdict(cost < TARGET_COST),
        context=f"extension {ms(ext_time)}, statique {ms(static_time)} (médianes de {reps}, "
                f"en alternance) ; CPU {times(cpu_cost, 2)} ; chaque page : un tableau "
                f"`datis-reglages` et deux rôles, ou les mêmes valeurs écrites en list-table")]


def check_same_values(with_ext: Path, static: Path, current: source.Values) -> None:
    """Both builds show the same values: the comparison is fair."""
    for i in (0, 1, PAGES - 1):
        name = f"page{i:02d}.html"
        for html in (with_ext / name, static / name):
            text = html.read_text("utf-8")
            shown = source.show(current, ROLE_KEYS[i % len(ROLE_KEYS)])
            if shown.live not in text or "Valeurs réelles" not in text:
                raise RuntimeError(f"{html} ne montre pas les valeurs attendues")


def served_by_build(server: ServerProcess, src: Path, out: Path) -> tuple[int, Build]:
    before, _ = server.stats()
    build = sphinx_build(src, out, {PASSWORD_ENV: server.password})
    after, _ = server.stats()
    if "injoignable" in build.output or "Repli" in build.output:
        raise RuntimeError(f"la construction n'a pas lu l'appliance : {build.output[-300:]}")
    return after - before, build


def live_settings(url: str) -> dict[str, str]:
    return {"datis_mode": "live", "datis_appliance": url, "datis_password_env": PASSWORD_ENV}


def live_requests(tmp: Path) -> list[Row]:
    """(b) requests served for a live build with 1 directive and with 50."""
    served: dict[int, int] = {}
    with ServerProcess() as server:
        for count in LIVE_DIRECTIVES:
            pages = max(1, count // 5)
            bodies = [directive_page(i, tables=count // pages) for i in range(pages)]
            src = write_project(tmp / f"direct-{count}", bodies, extension=True,
                                settings=live_settings(server.url))
            served[count], _ = served_by_build(server, src, tmp / f"html-direct-{count}")
            page = (tmp / f"html-direct-{count}" / "page00.html").read_text("utf-8")
            if "lue pendant cette construction" not in page:
                raise RuntimeError("les valeurs affichées ne viennent pas de l'appliance")
    few, many = (served[c] for c in LIVE_DIRECTIVES)
    return [Row(
        f"mode direct, requêtes HTTP pour {LIVE_DIRECTIVES[0]} / {LIVE_DIRECTIVES[1]} "
        "directives", f"{few} / {many}", target="égales", verdict=_verdict(few == many),
        context="comptées par l'émulateur ; une lecture complète de l'appliance par "
                "construction (datis-conforme, 4 clients), quel que soit le nombre de "
                "directives")]


def incremental(tmp: Path) -> list[Row]:
    """(c) one live value changes: the pages read again against the pages that show it."""
    expected = pages_showing(CHANGED_KEY, PAGES)
    with ServerProcess() as server:
        src = write_project(tmp / "incremental", [directive_page(i) for i in range(PAGES)],
                            extension=True, settings=live_settings(server.url))
        out = tmp / "html-incremental"
        log = tmp / "lues.json"
        env = {PASSWORD_ENV: server.password, READ_LOG_ENV: str(log)}

        def build() -> tuple[list[str], Build]:
            log.unlink(missing_ok=True)
            done = sphinx_build(src, out, env)
            read = json.loads(log.read_text("utf-8")) if log.exists() else []
            return [str(name) for name in read], done

        first, _ = build()
        if len(first) != PAGES + 1:
            raise RuntimeError(f"première construction : {len(first)} pages lues")
        unchanged, _ = build()
        with UrBackupClient(server.url, password=server.password) as client:
            client.login()
            client.save_mail({CHANGED_KEY: CHANGED_VALUE})
        reread, rebuild = build()
    shown = sorted(expected)
    value_seen = all(CHANGED_VALUE in (out / f"{name}.html").read_text("utf-8")
                     for name in shown)
    if not value_seen:
        raise RuntimeError("la nouvelle valeur n'apparaît pas sur toutes ses pages")
    return [
        Row("reconstruction sans changement, pages relues", number(len(unchanged), 0),
            target="0", verdict=_verdict(not unchanged),
            context=f"{PAGES} pages + index, mode direct ; l'appliance est relue à chaque "
                    "construction"),
        Row(f"après un changement réel ({CHANGED_KEY} → {CHANGED_VALUE}), pages relues / "
            "pages qui le montrent", f"{len(reread)} / {len(shown)}",
            target="égales", verdict=_verdict(sorted(reread) == shown),
            context=f"changé par une écriture HTTP (save_mail) ; reconstruction "
                    f"{ms(rebuild.seconds)} ; pages relues : "
                    + (", ".join(reread) if sorted(reread) != shown else "exactement celles-là")),
    ]


def drift_warnings(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.endswith("[urbackup.drift]"))


def repo_rebuild(tmp: Path, reps: int) -> list[Row]:
    """(d) the repository's docs, live, drifted: a second build, same folder, against the first."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DATIS_")}
    firsts: list[float] = []
    seconds: list[float] = []
    with ServerProcess(scenario="datis-derive") as server:
        env = {**base_env, "DATIS_URL": server.url, "DATIS_PASSWORD": server.password}
        for rep in range(reps):
            out = tmp / f"html-depot-{rep}"
            command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-c",
                       str(ROOT), str(ROOT / "docs"), str(out)]
            first, second = (run_measured(command, cwd=ROOT, env=env,
                                          log=tmp / f"depot-{rep}-{n}.log",
                                          timeout=BUILD_TIMEOUT) for n in (1, 2))
            drifts = drift_warnings(first.output)
            if (first.code, second.code) != (1, 1) or not drifts or \
                    drift_warnings(second.output) != drifts:
                raise RuntimeError(f"le contrôle des écarts n'a pas tenu : codes {first.code}, "
                                   f"{second.code} ; {second.output[-400:]}")
            firsts.append(first.seconds)
            seconds.append(second.seconds)
    ratio = median(b / a for a, b in zip(firsts, seconds, strict=True))
    return [Row(
        "docs du dépôt, mode direct, appliance dérivée : seconde construction (même dossier, "
        "rien à relire) / première", times(ratio, 2),
        context=f"première {ms(median(firsts))}, seconde {ms(median(seconds))} (médianes de "
                f"{reps}) ; les deux échouent avec -W (code 1) sur les mêmes "
                f"{len(drifts)} écarts ; la seconde lit l'appliance et compare, sans relire de "
                "page ; le reste est le démarrage de Sphinx et l'écriture des index")]


def run(options: Options) -> list[Row]:
    reps = options.reps(5, 2)
    with tempfile.TemporaryDirectory(prefix="datis-bench-docs-") as name:
        tmp = Path(name)
        return (full_builds(tmp, reps) + live_requests(tmp) + incremental(tmp)
                + repo_rebuild(tmp, options.reps(3, 1)))


BENCHMARK = Benchmark("docs", "documentation", run)
