#!/usr/bin/env bash
# Debian packages the documents need: the libraries WeasyPrint writes PDFs with (Pango,
# HarfBuzz, fontconfig), fonts with Vietnamese glyphs metric-compatible with Times New Roman
# (fonts-liberation2; the old fonts-liberation has no Vietnamese), and poppler-utils, whose
# pdftotext/pdftoppm the tests read the PDFs back with. Installed when missing and we are root
# with apt (CI, a fresh server); otherwise say what to install.
set -euo pipefail
missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1; do
  ldconfig -p | grep -q "$lib" || missing+=("$lib")
done
command -v pdftotext >/dev/null || missing+=(pdftotext)
dpkg -s fonts-liberation2 >/dev/null 2>&1 || missing+=(fonts-liberation2)
[ ${#missing[@]} -eq 0 ] && exit 0
pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2 poppler-utils"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing $pkgs (PDF documents and their tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
else
  echo "PDF documents need: sudo apt-get install $pkgs" >&2
fi
