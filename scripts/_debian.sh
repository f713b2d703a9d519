# Sourced by scripts/test.sh: the Debian packages some tests need (a real browser, a real
# Prometheus), installed when missing and this user may (root, or sudo without a password).
# Otherwise the command stops with the one to run: a test never skips for want of a tool.
# needs: say (scripts/_venv.sh).

# need_debian PACKAGE COMMAND WHAT: COMMAND on the PATH, else PACKAGE installed from Debian.
need_debian() {
  local package=$1 command=$2 what=$3
  command -v "$command" >/dev/null && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local install="${sudo[*]}${sudo[*]:+ }apt-get update && ${sudo[*]}${sudo[*]:+ }apt-get install -y $package"
  if ! command -v apt-get >/dev/null || { [ ${#sudo[@]} -gt 0 ] && ! sudo -n true 2>/dev/null; }
  then
    say "$command absent : $what ne peuvent pas tourner. Lancer :"
    echo "  $install" >&2
    say "puis relancer bash scripts/test.sh."
    exit 1
  fi
  say "$command absent : installation du paquet Debian $package ($install)…"
  { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "$package" >/dev/null
  } || { say "l'installation de $package a échoué (voir ci-dessus). Lancer : $install"; exit 1; }
  say "$package installé : $("$command" --version 2>&1 | head -1)"
}
