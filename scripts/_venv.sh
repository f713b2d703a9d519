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
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  trap 'say "installation interrompue ou échouée (voir les messages de pip ci-dessus) ; relancer la même commande pour reprendre."' ERR
  say "mise à jour de pip…"
  .venv/bin/python -m pip install --quiet --upgrade pip
  say "installation du projet et de ses dépendances dans .venv/ (environ une minute)…"
  .venv/bin/python -m pip install --quiet -e '.[test]'
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
