"""The score of the last mutmut run (scripts/mutation.sh): killed / total, then each survivor.

Usage: mutation_report.py START GLOB... (from the repository, after `mutmut run` begun at
START, in seconds since the epoch).
First a second pass: the survivors of a module that [tool.mutation-subprocess-tests] names
are tried against those tests (they run the module in a child process, where mutmut's
test selection cannot see it); a failure kills the mutant, as mutmut would have recorded it.
A survivor that benchmarks/mutation-survivors.md lists as « équivalent » (no test can tell
it from the code: same behaviour) leaves the non-equivalent score; the others are printed
with their diff, the ones the note does not list first.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

NOTE = Path("benchmarks/mutation-survivors.md")
# What the README's test command catches: a failing test, a test that hangs (pytest-timeout),
# a crash, or mypy --strict (the type check of scripts/test.sh).
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def equivalent_in_note() -> set[str]:
    """The mutants the note says no test can catch: rows `| module | `name` | équivalent… |`."""
    if not NOTE.is_file():
        return set()
    names: set[str] = set()
    for line in NOTE.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[2].lower().startswith(("équivalent", "equivalent")):
            names.update(re.findall(r"`([^`]+__mutmut_\d+)`", cells[1]))
    return names


def subprocess_pass(globs: list[str]) -> int:
    """Try each survivor against the child-process tests of its module; the number killed."""
    config = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))
    tests_of: dict[str, list[str]] = config["tool"].get("mutation-subprocess-tests", {})
    killed = 0
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            tests = next((t for prefix, t in tests_of.items() if name.startswith(prefix + ".")),
                         None)
            if code != 0 or not tests or not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd="mutants", env={**os.environ, "MUTANT_UNDER_TEST": name},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if run.returncode == 1:  # a test failed: killed (other codes: the run itself)
                data.exit_code_by_key[name] = 1
                data.save()
                killed += 1
    return killed


def main(start: int, globs: list[str]) -> int:
    second = subprocess_pass(globs)
    seconds = int(time.time()) - start
    status: dict[str, str] = {}
    path_of: dict[str, str] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            if any(fnmatch.fnmatch(name, glob) or name == glob for glob in globs):
                status[name] = status_by_exit_code[code]
                path_of[name] = str(path)
    counts = Counter(status.values())
    caught = sum(counts[s] for s in CAUGHT)
    run = sum(n for s, n in counts.items() if s not in NOT_RUN)
    survivors = sorted(n for n, s in status.items() if s not in CAUGHT | NOT_RUN)
    equivalent = equivalent_in_note()
    listed = [n for n in survivors if n in equivalent]
    print(f"\nMutation testing ({' '.join(globs)}) : {seconds} s")
    print("  " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())))
    print(f"  dont tués au second passage (tests en sous-processus) : {second}")
    if run:
        print(f"  score : {caught} / {run} mutants tués ({100 * caught / run:.1f} %)")
        real = run - len(listed)
        if real:
            print(f"  hors équivalents ({len(listed)}, {NOTE}) : {caught} / {real}"
                  f" ({100 * caught / real:.1f} %)")
    by_module = Counter(path_of[n] for n in survivors if n not in equivalent)
    for module, n in sorted(by_module.items()):
        print(f"  {module} : {n} survivant(s) non équivalent(s)")
    unlisted = [n for n in survivors if n not in equivalent]
    print(f"\n{len(unlisted)} survivant(s) non équivalent(s), {len(listed)} équivalent(s) :")
    for name in unlisted + listed:
        print(f"\n## {name} : {status[name]}{' (équivalent)' if name in equivalent else ''}")
        print(get_diff_for_mutant(name, path=path_of[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2:]))
