#!/usr/bin/env bash
# The demo: start the bundled emulator, audit it, build the docs with its compliance page.
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python scripts/demo.py "$@"
