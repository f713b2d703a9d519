#!/usr/bin/env bash
# Every test: lint, then the test suite (real HTTP, real Sphinx builds, a real browser) while
# the types are checked beside it. Installs what the tests need first: a test never skips for
# want of a tool.
source "$(dirname "$0")/_venv.sh"
# The browser tests open the reports and the built docs in Debian's headless Chromium
# (tests/browser.py): installed here when it is missing and this user may (root, or sudo
# without a password), else the command stops with the one to run.
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || { say "CHROMIUM=$CHROMIUM : fichier introuvable."; exit 1; }
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  install="${sudo[*]}${sudo[*]:+ }apt-get update && ${sudo[*]}${sudo[*]:+ }apt-get install -y chromium"
  if ! command -v apt-get >/dev/null || { [ ${#sudo[@]} -gt 0 ] && ! sudo -n true 2>/dev/null; }
  then
    say "Chromium absent : les tests dans le navigateur ne peuvent pas tourner. Lancer :"
    echo "  $install" >&2
    say "puis relancer bash scripts/test.sh."
    exit 1
  fi
  say "Chromium absent : installation du paquet Debian chromium ($install)…"
  { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  } || { say "l'installation de Chromium a échoué (voir ci-dessus). Lancer : $install"; exit 1; }
  say "$("$CHROMIUM" --version 2>/dev/null) installé."
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
