#!/usr/bin/env bash
# Install what the tests need, then run the whole suite (unit, contract and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PYTHONPATH=. .venv/bin/lint-imports
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
