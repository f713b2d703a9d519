#!/usr/bin/env bash
# Writes requirements/lock.txt: every package a fresh .venv/ gets, at one exact version, for
# Python >= 3.11 on any platform (uv's universal resolution: where a release dropped 3.11, the
# lock says which version each Python gets). scripts/_venv.sh installs from it, so a clone made
# next year installs what the tests passed with today.
#   bash scripts/lock.sh             after editing pyproject.toml: the pins still allowed stay
#   bash scripts/lock.sh --upgrade   every package to its newest release pyproject.toml allows
# Then run `bash scripts/test.sh` (it reinstalls .venv/ from the new lock) and commit the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
# The resolver itself is pinned, so that one lock gives one result; raise it on purpose.
UV_VERSION=0.13.10
uv=.venv/tools/uv-$UV_VERSION/bin/uv
if [ ! -x "$uv" ]; then
  echo "datis-docs : installation de uv $UV_VERSION dans .venv/tools/…" >&2
  "$PY" -m venv ".venv/tools/uv-$UV_VERSION"
  ".venv/tools/uv-$UV_VERSION/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
# Besides the project and its `test` extra: what builds the project (pyproject's
# [build-system], installed without build isolation) and pip itself.
"$PY" -c 'import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))
print("pip")' |
  "$uv" pip compile --quiet --universal --python-version 3.11 pyproject.toml --extra test - \
    --output-file requirements/lock.txt --custom-compile-command "bash scripts/lock.sh" "$@"
echo "datis-docs : requirements/lock.txt écrit ; lancer bash scripts/test.sh puis le committer." >&2
