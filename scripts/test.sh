#!/usr/bin/env bash
# Every test: lint, types, then the test suite (real HTTP, real Sphinx builds), one pytest
# worker per core.
source "$(dirname "$0")/_venv.sh"
.venv/bin/ruff check checks sphinxext tests benchmarks scripts conf.py
.venv/bin/mypy
.venv/bin/python -m pytest -n auto "$@"
