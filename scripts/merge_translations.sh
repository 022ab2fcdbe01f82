#!/usr/bin/env bash
# Regenerate locale/vi/LC_MESSAGES/django.po from the code, fill it from the reviewed
# fragments in locale/fragments/ (the source of truth), compile it, list what is left.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for f in locale/fragments/*_vi.py; do
  $PY scripts/build_po_fragment.py "$f" "${f%_vi.py}.po"
done
rm -f locale/vi/LC_MESSAGES/django.po
$PY manage.py makemessages -l vi --no-obsolete --no-wrap --ignore=.venv --ignore=var --ignore=e2e --ignore=scripts >/dev/null
status=0
$PY scripts/merge_translations.py || status=$?
msgfmt --check-format -o locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po
exit $status
