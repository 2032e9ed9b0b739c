#!/usr/bin/env bash
# Refresh the message catalogue after changing UI text: pybabel collects every _("…"), N_("…") and
# pgettext("…", "…") of the code and the indicator catalogue's texts (babel.cfg) into
# locale/messages.pot, then merges them into locale/en/LC_MESSAGES/messages.po, where a new
# message waits with an empty translation (tests/test_i18n.py fails until it has one).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONPATH=. .venv/bin/pybabel --quiet extract -F babel.cfg -k N_ --add-location=file --sort-output --no-wrap \
  --project="Portal Data DTSEN Terbuka" --copyright-holder="Portal Data DTSEN Terbuka" -o locale/messages.pot .
.venv/bin/pybabel --quiet update -i locale/messages.pot -d locale -l en --no-fuzzy-matching --no-wrap --ignore-obsolete
