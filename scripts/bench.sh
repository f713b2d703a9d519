#!/usr/bin/env bash
# Every benchmark, as one table; a full run also refreshes benchmarks/README.md.
# Options: --quick (fewer repetitions), --only NAME (one benchmark), --no-readme.
source "$(dirname "$0")/_venv.sh"
.venv/bin/python -m benchmarks.run "$@"
