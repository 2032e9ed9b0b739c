#!/usr/bin/env bash
# Install everything the portal and its tests need on a fresh Debian machine with Python 3.11:
# a virtualenv with the pinned requirements, and from Debian: chromium + chromedriver (browser tests),
# redis-server (the shared cache; tests start their own, tests/redis_server.py), nginx and its
# brotli module (scripts/serve.sh runs them in front of gunicorn).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
{ command -v chromium && command -v chromedriver; } >/dev/null || need+=(chromium chromium-driver)
command -v redis-server >/dev/null || need+=(redis-server)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # the font drawn into map images (components/figure_image.py)
{ [ -x /usr/sbin/nginx ] && [ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]; } || need+=(nginx libnginx-mod-http-brotli-filter)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)  # Apache Spark runs on it (build --engine spark, tests/test_spark_engine.py)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
