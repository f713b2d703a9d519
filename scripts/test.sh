#!/usr/bin/env bash
# Every test: lint, types, then the test suite (real HTTP, real Sphinx builds), one pytest
# worker per core.
source "$(dirname "$0")/_venv.sh"
# Bytecode cached between runs (each CLI or Sphinx subprocess would otherwise recompile our
# modules from source), outside the source tree: in .venv/, which git ignores.
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$PWD/.venv/pycache"
rm -rf "$PYTHONPYCACHEPREFIX/${TMPDIR:-/tmp}"  # the last run's temporary folders (wheel builds)
.venv/bin/ruff check checks sphinxext tests benchmarks scripts conf.py
.venv/bin/mypy
.venv/bin/python -m pytest -n auto "$@"
