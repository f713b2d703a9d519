#!/usr/bin/env bash
# Every test: lint, then the test suite (real HTTP, real Sphinx builds) while the types are
# checked beside it.
source "$(dirname "$0")/_venv.sh"
bash scripts/ensure_prometheus.sh  # the tests against a real Prometheus need it
rm -rf "$PYTHONPYCACHEPREFIX/${TMPDIR:-/tmp}"  # the last run's temporary folders (wheel builds)
.venv/bin/ruff check checks sphinxext tests benchmarks scripts conf.py
# mypy uses one core for about ten seconds: it runs beside the tests, its report after theirs.
types_report=$(mktemp)
.venv/bin/mypy >"$types_report" 2>&1 &
types=$!
trap 'kill "$types" 2>/dev/null || true; rm -f "$types_report"' EXIT
# One pytest worker more than there are cores: every test waits at times (sockets, Sphinx,
# Chromium, subprocesses), and the extra worker keeps the cores busy meanwhile.
tests_status=0
.venv/bin/python -m pytest -n "$(($(nproc) + 1))" "$@" || tests_status=$?
types_status=0
wait "$types" || types_status=$?
cat "$types_report"
[ "$types_status" -eq 0 ] || exit "$types_status"
exit "$tests_status"
