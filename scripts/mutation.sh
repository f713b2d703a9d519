#!/usr/bin/env bash
# Mutation testing: how many small wrong changes to the verdict code the tests catch.
#
#   bash scripts/mutation.sh                       every module of [tool.mutmut] only_mutate
#   bash scripts/mutation.sh checks/audit/ checks/reports/nagios.py    these modules only
#   bash scripts/mutation.sh 'checks.audit.rules.x_check__mutmut_*'   these mutants only
#   bash scripts/mutation.sh --keep ...            reuse mutants/ (the last run's coverage)
#
# Installs mutmut (the version pinned by pyproject's `mutation` extra) into .venv on first
# use, runs it on every core, then prints the score and each survivor with its diff (also
# in mutants/mutation-report.txt). Configuration: [tool.mutmut] in pyproject.toml. Without
# --keep, mutants/ is made afresh: the coverage of every test is measured again, so the
# figure is the one of the code and tests as they are. Not part of scripts/test.sh (minutes).
source "$(dirname "$0")/_venv.sh"
pin=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))
    ["project"]["optional-dependencies"]["mutation"][0])')
if [ "$(.venv/bin/mutmut --version 2>/dev/null | awk '{print $NF}')" != "${pin#*==}" ]; then
  say "installation de $pin dans .venv/…"
  .venv/bin/python -m pip install --quiet "$pin"
fi
keep=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    *.py) path=${arg%.py}; targets+=("${path//\//.}.*") ;;        # a module
    */) path=${arg%/}; targets+=("${path//\//.}.*") ;;            # a package
    *) targets+=("$arg") ;;                                      # mutant names or globs
  esac
done
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(.venv/bin/python -c 'import tomllib
for glob in tomllib.load(open("pyproject.toml", "rb"))["tool"]["mutmut"]["only_mutate"]:
    print(glob.removesuffix(".py").removesuffix("*").rstrip("/").replace("/", ".") + ".*")')
fi
if [ "$keep" -eq 0 ]; then
  rm -rf mutants
else
  # the tests, data and files beside them as they are now (mutmut copies them again)
  rm -rf mutants/tests mutants/docs mutants/scripts mutants/benchmarks mutants/contrib
  find mutants/checks mutants/sphinxext -type f ! -name '*.py' ! -name '*.meta' ! -name '*.spans' -delete
fi
export PATH="$PWD/.venv/bin:$PATH"  # mutmut runs `mypy` (type_check_command) from mutants/
start=$(date +%s)
.venv/bin/mutmut run --max-children "$(nproc)" "${targets[@]}"
.venv/bin/python scripts/mutation_report.py "$start" "${targets[@]}" \
  | tee mutants/mutation-report.txt
