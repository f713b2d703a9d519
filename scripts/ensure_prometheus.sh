#!/usr/bin/env bash
# Prometheus and promtool for the tests against a real Prometheus (tests/exporter): Debian's
# `prometheus` package, installed when missing (as root, or through sudo without a password).
# Where it cannot be installed, those tests skip and say why; the other tests still run.
set -euo pipefail
command -v prometheus >/dev/null && command -v promtool >/dev/null && exit 0
say() { echo "datis-docs : $*" >&2; }
if ! command -v apt-get >/dev/null; then
  say "Prometheus absent et pas d'apt-get : les tests contre un vrai Prometheus seront sautés."
  exit 0
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
say "installation de Prometheus (paquet Debian prometheus) pour les tests…"
if ! { "${as_root[@]}" apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
         --no-install-recommends prometheus; } >/dev/null; then
  say "installation de Prometheus impossible : les tests contre un vrai Prometheus seront sautés."
  exit 0
fi
# The tests start their own Prometheus: the system service the package starts is not wanted.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  "${as_root[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
say "Prometheus installé : $(prometheus --version 2>&1 | head -1)"
