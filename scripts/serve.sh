#!/usr/bin/env bash
# Build the demo release if there is none, then serve the portal on http://127.0.0.1:8050
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
export DTSEN_RELEASE_DIR="${DTSEN_RELEASE_DIR:-$PWD/data/releases}"
if [ ! -e "$DTSEN_RELEASE_DIR/current" ]; then
  echo "Building the fully protected demo release (about 8 minutes on 2 cores)…"
  .venv/bin/python -m pipeline build --preset demo --out "$DTSEN_RELEASE_DIR"
fi
exec .venv/bin/gunicorn --bind 127.0.0.1:8050 --workers 2 --threads 4 --timeout 120 app:server
