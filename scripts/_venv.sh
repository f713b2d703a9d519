# Sourced by the two README commands: a project virtualenv, made and filled on first use.
# Says what it does (in French, on stderr) while it works: the first install takes a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PYTHON:-python3}"
say() { echo "datis-docs : $*" >&2; }
if [ ! -x .venv/bin/python ]; then
  say "première utilisation : création de l'environnement Python .venv/ ($("$PY" --version 2>&1))…"
  "$PY" -m venv .venv
fi
# Every package at the version requirements/lock.txt pins (scripts/lock.sh writes it), then the
# project itself: a new lock or a new pyproject.toml reinstalls.
LOCK=requirements/lock.txt
stamp=.venv/.installed-$(cat pyproject.toml "$LOCK" | sha1sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
  trap 'say "installation interrompue ou échouée (voir les messages de pip ci-dessus) ; relancer la même commande pour reprendre."' ERR
  say "installation des dépendances aux versions de $LOCK dans .venv/ (environ une minute)…"
  # --no-deps: the lock is whole; pip check says so, rather than pip adding an unpinned release.
  .venv/bin/python -m pip install --quiet --no-deps -r "$LOCK"
  say "installation du projet dans .venv/…"
  # Built by the locked setuptools already installed: nothing unpinned is downloaded to build it.
  # (Its notice that an editable install imports from the clone is what is wanted here.)
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  broken=$(.venv/bin/python -m pip check) || { echo "$broken" >&2; false; }
  rm -f .venv/.installed-*
  touch "$stamp"
  trap - ERR
  say "environnement prêt : .venv/bin/datis-audit et .venv/bin/sphinx-build sont installés."
fi
# Bytecode cached between runs (each CLI or Sphinx subprocess would otherwise recompile our
# modules from source where the environment forbids writing it), outside the source tree: in
# .venv/, which git ignores.
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$PWD/.venv/pycache"
