"""Run the benchmarks, print one Markdown table, and keep benchmarks/README.md up to date.

    python -m benchmarks.run [--quick] [--only NAME]...   (or: bash scripts/bench.sh)

A full run rewrites the section of benchmarks/README.md between the results markers (whole
file or nothing: a temporary file, then a rename); a run restricted by --only does not, so
that the README always shows every benchmark of one run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import stat
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import docs_build, emulator, exporter, fleet, panels_build, round_trips
from benchmarks.common import FAILED, Benchmark, Options, Row

BENCHMARKS: list[Benchmark] = [
    emulator.BENCHMARK,
    round_trips.BENCHMARK,
    fleet.BENCHMARK,
    exporter.BENCHMARK,
    docs_build.BENCHMARK,
    panels_build.BENCHMARK,
]
"""Every benchmark, in the order they run: add a new one here."""

README = Path(__file__).resolve().parent / "README.md"
START_MARKER = "<!-- results:start -->"
END_MARKER = "<!-- results:end -->"
COLUMNS = ("benchmark", "mesure", "valeur", "cible", "verdict", "contexte")


def _key(name: str) -> str:
    return name.casefold().replace("_", "-").replace(" ", "-")


def select(names: list[str] | None) -> list[Benchmark]:
    if not names:
        return list(BENCHMARKS)
    known = {_key(b.name): b for b in BENCHMARKS} | {_key(b.title): b for b in BENCHMARKS}
    unknown = [n for n in names if _key(n) not in known]
    if unknown:
        choices = ", ".join(b.name for b in BENCHMARKS)
        raise SystemExit(f"mesure inconnue : {', '.join(unknown)} (mesures : {choices})")
    wanted = {known[_key(n)].name for n in names}
    return [b for b in BENCHMARKS if b.name in wanted]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(results: list[tuple[Benchmark, Row]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for benchmark, row in results:
        cells = (benchmark.title, row.measure, row.value, row.target, row.verdict, row.context)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def describe_run(options: Options, seconds: float) -> str:
    mode = "`bash scripts/bench.sh --quick`" if options.quick else "`bash scripts/bench.sh`"
    return (f"Mesuré le {datetime.now():%Y-%m-%d à %H:%M} par {mode} en {seconds:.0f} s "
            f"(Python {platform.python_version()}, {platform.machine()}, "
            f"{_cpu_count()} cœurs).\n")


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def rewrite_readme(section: str, path: Path = README) -> None:
    """Replace what lies between the markers; the rest of the file is kept as it is."""
    text = path.read_text("utf-8")
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise SystemExit(f"{path} : marqueurs {START_MARKER} / {END_MARKER} introuvables")
    head = text[: start + len(START_MARKER)]
    write_atomically(path, f"{head}\n{section}{text[end:]}")


def write_atomically(path: Path, text: str) -> None:
    """A temporary file beside `path`, with `path`'s permissions, then a rename.

    (checks.atomic.write_text would leave the file readable by its owner only: mkstemp's 0600.)
    """
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run",
                                     description="Mesures de performance de datis-docs.")
    parser.add_argument("--quick", action="store_true",
                        help="moins de répétitions (quelques dizaines de secondes)")
    parser.add_argument("--only", action="append", metavar="NOM",
                        help="seulement cette mesure (répétable) : "
                             + ", ".join(b.name for b in BENCHMARKS)
                             + " ; benchmarks/README.md n'est alors pas réécrit")
    parser.add_argument("--no-readme", action="store_true",
                        help="ne pas réécrire les résultats dans benchmarks/README.md")
    args = parser.parse_args(argv)
    chosen = select(args.only)
    options = Options(quick=args.quick)

    began = time.perf_counter()
    results: list[tuple[Benchmark, Row]] = []
    failed = False
    for benchmark in chosen:
        print(f"… {benchmark.title}", file=sys.stderr, flush=True)
        try:
            rows = benchmark.run(options)
        except Exception as exc:
            traceback.print_exc()
            failed = True
            context = f"{type(exc).__name__}: {exc}"
            rows = [Row("exécution", FAILED, verdict=FAILED, context=context)]
        results += [(benchmark, row) for row in rows]
    elapsed = time.perf_counter() - began

    output = table(results)
    print(output, end="")
    if failed:
        print("\nune mesure a échoué : benchmarks/README.md n'est pas réécrit", file=sys.stderr)
    elif not args.only and not args.no_readme:
        rewrite_readme(describe_run(options, elapsed) + "\n" + output)
        print(f"\nrésultats écrits dans {README.relative_to(README.parent.parent)}",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
