#!/usr/bin/env bash
# Build the demo release if there is none, then serve the portal (http://127.0.0.1:8050 unless told otherwise):
# nginx (deploy/nginx.conf) in front of gunicorn (deploy/gunicorn.conf.py) on a unix socket.
# Ctrl-C or SIGTERM stops both; if either stops, so does the other.
#
#   DTSEN_HOST, DTSEN_PORT       where nginx listens (127.0.0.1, 8050)
#   DTSEN_PUBLIC_URL             the address the site names itself by (http://$DTSEN_HOST:$DTSEN_PORT)
#   DTSEN_RUN_DIR                pid, socket, temporary files, cache, logs (${XDG_RUNTIME_DIR:-/tmp}/dtsen-serve-<port>; root: /tmp/…)
#   DTSEN_PROXY_CONN_PER_IP      connections open at once per client address (64)
#   DTSEN_PROXY_RATE_PER_IP      requests per second per client address, pages and callbacks (20)
#   DTSEN_PROXY_BURST            requests above that rate let through at once (80)
#                                (assets, Dash's bundles and geometry: twice that rate and burst, apart)
#   DTSEN_PROXY_PAGE_SECONDS     how long nginx keeps a served page (10; 0: not at all)
#   DTSEN_WORKERS, DTSEN_THREADS gunicorn's processes and threads (see deploy/gunicorn.conf.py)
#   DTSEN_NO_PROXY=1             gunicorn alone on the port: development only, no defence against slow clients
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
export DTSEN_RELEASE_DIR="${DTSEN_RELEASE_DIR:-$PWD/data/releases}"
# Only a folder with no `current` at all gets the demo: a dangling or refused `current` is the
# publisher's to mend (the portal serves the last good release and /healthz says "degraded").
if [ ! -e "$DTSEN_RELEASE_DIR/current" ] && [ ! -L "$DTSEN_RELEASE_DIR/current" ]; then
  echo "Building the fully protected demo release (about 8 minutes on 2 cores)…"
  .venv/bin/python -m pipeline build --preset demo --out "$DTSEN_RELEASE_DIR"
fi

HOST="${DTSEN_HOST:-127.0.0.1}"
PORT="${DTSEN_PORT:-8050}"
export DTSEN_PUBLIC_URL="${DTSEN_PUBLIC_URL:-http://$HOST:$PORT}"  # set it to the public https:// address in production
if [ "${DTSEN_NO_PROXY:-}" = 1 ]; then
  echo "Serving on http://$HOST:$PORT (gunicorn alone, DTSEN_NO_PROXY=1)"
  DTSEN_USAGE_MIRROR=0 DTSEN_GUNICORN_BIND="$HOST:$PORT" exec .venv/bin/gunicorn -c deploy/gunicorn.conf.py app:server
fi

NGINX=/usr/sbin/nginx
[ -x "$NGINX" ] && [ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || bash scripts/setup.sh

# The run folder: ours alone (a folder in /tmp someone else made is refused). Started by root,
# nginx's workers run as nobody and must reach gunicorn's socket: the folder is then in /tmp, open
# to all (root's XDG_RUNTIME_DIR is closed to nobody); otherwise it is closed to other users.
if [ "$(id -u)" = 0 ]; then BASE=/tmp; MODE=755; else BASE="${XDG_RUNTIME_DIR:-/tmp}"; MODE=700; fi
export DTSEN_RUN_DIR="${DTSEN_RUN_DIR:-$BASE/dtsen-serve-$PORT}"
mkdir -p "$DTSEN_RUN_DIR"
[ -O "$DTSEN_RUN_DIR" ] || { echo "$DTSEN_RUN_DIR belongs to another user; set DTSEN_RUN_DIR" >&2; exit 1; }
chmod "$MODE" "$DTSEN_RUN_DIR"
mkdir -p "$DTSEN_RUN_DIR/tmp" "$DTSEN_RUN_DIR/cache" "$DTSEN_RUN_DIR/logs"
SOCKET="$DTSEN_RUN_DIR/gunicorn.sock"
rm -f "$SOCKET"
RATE_PER_IP="${DTSEN_PROXY_RATE_PER_IP:-20}"
BURST="${DTSEN_PROXY_BURST:-80}"
PAGE_SECONDS="${DTSEN_PROXY_PAGE_SECONDS:-10}"
if [ "$PAGE_SECONDS" = 0 ]; then PAGE_CACHE=off; PAGE_SECONDS=1; else PAGE_CACHE=pages; fi
sed -e "s|@LISTEN@|$HOST:$PORT|g" -e "s|@RUN_DIR@|$DTSEN_RUN_DIR|g" -e "s|@UPSTREAM@|unix:$SOCKET|g" \
    -e "s|@CONN_PER_IP@|${DTSEN_PROXY_CONN_PER_IP:-64}|g" -e "s|@RATE_PER_IP@|$RATE_PER_IP|g" -e "s|@BURST@|$BURST|g" \
    -e "s|@FILES_RATE_PER_IP@|$((2 * RATE_PER_IP))|g" -e "s|@FILES_BURST@|$((2 * BURST))|g" -e "s|@PAGE_CACHE@|$PAGE_CACHE|g" -e "s|@PAGE_SECONDS@|$PAGE_SECONDS|g" deploy/nginx.conf > "$DTSEN_RUN_DIR/nginx.conf"
PROXY_ARGS=(-p "$DTSEN_RUN_DIR" -c "$DTSEN_RUN_DIR/nginx.conf" -e stderr)
"$NGINX" "${PROXY_ARGS[@]}" -t -q

# Started in the background (where a non-interactive shell makes them ignore SIGINT), so the
# trap alone decides how they stop: TERM to both, then wait for both. Both are exec'd programs,
# not shell functions, so $! is their own pid.
# DTSEN_USAGE_MIRROR=1: nginx copies each page request to the app's counter (web/usage_mirror.py).
DTSEN_USAGE_MIRROR=1 DTSEN_GUNICORN_BIND="unix:$SOCKET" .venv/bin/gunicorn -c deploy/gunicorn.conf.py app:server &
GUNICORN=$!
# nginx's error log names the client's address in every line about a request ("…, client: 203.0.113.7,
# server: …"): sed drops it, the rest of each line (real errors too) goes on to stderr. sed is started
# by the child that becomes nginx, so $! stays nginx's pid, and ends when nginx closes its stderr.
"$NGINX" "${PROXY_ARGS[@]}" -g "daemon off;" 2> >(exec sed -u -e 's/, client: [^,]*//' >&2) &
PROXY=$!
stop() {
  trap - EXIT INT TERM
  kill -TERM "$PROXY" "$GUNICORN" 2>/dev/null || true
  wait "$PROXY" "$GUNICORN" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "Serving on http://$HOST:$PORT (nginx → gunicorn on $SOCKET; logs in $DTSEN_RUN_DIR/logs; Ctrl-C stops)"
status=0
wait -n "$PROXY" "$GUNICORN" || status=$?
echo "$( kill -0 "$PROXY" 2>/dev/null && echo gunicorn || echo nginx ) stopped (status $status); stopping the other" >&2
exit "$status"
