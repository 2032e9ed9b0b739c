"""gunicorn behind nginx (deploy/nginx.conf), as scripts/serve.sh starts it.

Every setting can be changed from the environment without editing this file:

    DTSEN_GUNICORN_BIND     where to listen (default 127.0.0.1:8051; serve.sh gives a unix socket)
    DTSEN_WORKERS           processes (default: one per core, at least 2)
    DTSEN_THREADS           threads per process (default 4)
    DTSEN_RUN_DIR           folder for the control socket (default: none, no control socket)
    DTSEN_ACCESS_LOG        gunicorn's own access log, e.g. "-" (default off: nginx keeps one)

nginx reads each request whole before it reaches a thread and takes each answer whole,
so a slow client holds no worker here: threads only wait on Python, and a few per core suffice.
"""
import os

bind = [os.environ.get("DTSEN_GUNICORN_BIND", "127.0.0.1:8051")]
workers = int(os.environ.get("DTSEN_WORKERS", max(2, os.cpu_count() or 1)))
threads = int(os.environ.get("DTSEN_THREADS", 4))
worker_class = "gthread"
# A worker takes no more connections than it has threads: the rest wait in the socket's queue,
# shared by all workers, for the first thread free anywhere, not in a busy worker's own queue
# behind its slow requests (gthread accepts up to 1,000 by default). nginx opens one connection
# per request, so none is kept open idle (keepalive 0).
worker_connections = threads

# A request is answered in well under a second; the slowest (a large XLSX) in a few. A worker
# silent for 60 s is stuck and replaced.
timeout = 60
graceful_timeout = 20
keepalive = 0

# Replace a worker after this many requests (jittered so they do not restart together):
# bounds any slow growth in memory; each restart reloads the release (a few seconds of one core).
max_requests = 20000
max_requests_jitter = 2000

# Not preloaded: each worker opens its own DuckDB connection after the fork.
preload_app = False

# nginx refuses first (deploy/nginx.conf, in Indonesian with the site's headers): a request line
# over 4 KB (414: its buffers are 4 KB, so it never passes one over 4094 bytes) and header lines over
# 4 KB or over 16 KB in all (431). nginx cannot count header lines, and the 4 KB buffers hold a few
# thousand at most: gunicorn's count limit is above that, so it never answers its own English 431.
limit_request_line = 4094
limit_request_fields = 8190

# nginx connects over a unix socket (trusted by gunicorn) or loopback: only it may say the
# client used https (X-Forwarded-Proto, request.scheme). Citations never depend on it: they name
# DTSEN_PUBLIC_URL (web/public_url.py).
forwarded_allow_ips = "127.0.0.1,::1"

# No IP addresses in any log (the portal keeps none): time, request, status, bytes, duration.
accesslog = os.environ.get("DTSEN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
proc_name = "dtsen-portal"

# gunicorn's control socket would default to one shared path per user; each stack keeps its own.
if os.environ.get("DTSEN_RUN_DIR"):
    control_socket = os.path.join(os.environ["DTSEN_RUN_DIR"], "gunicorn.ctl")
else:
    control_socket_disable = True
