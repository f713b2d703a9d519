#!/usr/bin/env bash
# Every test: lint, then the test suite (real HTTP, real Sphinx builds, a real browser) while
# the types are checked beside it. Installs what the tests need first: a test never skips for
# want of a tool.
source "$(dirname "$0")/_venv.sh"
source "$(dirname "$0")/_debian.sh"
# Debian's headless Chromium: the reports and the built docs opened in a real browser
# (tests/browser.py); Debian's Prometheus and promtool: the exporter scraped and its alert
# rules evaluated by a real Prometheus (tests/exporter).
need_debian chromium chromium "les tests dans le navigateur"
need_debian prometheus promtool "les tests contre un vrai Prometheus"
if command -v systemctl >/dev/null && [ -d /run/systemd/system ] &&
   systemctl is-active --quiet prometheus 2>/dev/null; then
  # the tests start their own Prometheus: the system service the package starts is not wanted
  { [ "$(id -u)" -eq 0 ] && systemctl disable --now prometheus; } >/dev/null 2>&1 || true
fi
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
