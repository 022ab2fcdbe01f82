#!/usr/bin/env bash
# Debian libraries WeasyPrint needs to write PDFs (Pango, HarfBuzz, fontconfig). Installed
# when missing and we are root with apt (CI, a fresh server); otherwise say what to install.
set -euo pipefail
missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1; do
  ldconfig -p | grep -q "$lib" || missing+=("$lib")
done
[ ${#missing[@]} -eq 0 ] && exit 0
pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing $pkgs (PDF documents)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
else
  echo "PDF documents need: sudo apt-get install $pkgs" >&2
fi
