"""The serving stack as `bash scripts/serve.sh` runs it (nginx in front of gunicorn), against slow
and greedy clients (issue 18: sixteen connections that never finished their headers took every
gunicorn thread, and 0 of 5 probes were answered in 20 s).

Each stack serves the test release on a free loopback port with its own run folder. Attackers
connect from other loopback addresses (127.0.0.3, …) than the readers' 127.0.0.1, as they would
from other machines: the per-address limits then fall on them, not on the readers.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import current_release

ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
pytestmark = pytest.mark.skipif(not (NGINX.exists() and BROTLI.exists()),
                                reason="nginx with Debian's brotli module is not installed (bash scripts/setup.sh installs both)")

LIMITS = {"DTSEN_PROXY_CONN_PER_IP": "32", "DTSEN_PROXY_RATE_PER_IP": "10", "DTSEN_PROXY_BURST": "40"}
ATTACKER, GREEDY, CROWD = "127.0.0.3", "127.0.0.2", "127.0.0.4"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """`bash scripts/serve.sh` in its own process group, on a free port."""

    def __init__(self):
        self.port = free_port()
        self.run = Path(tempfile.mkdtemp(prefix="dtsen-proxy-", dir="/tmp"))  # short: a unix socket path has 108 bytes
        env = {**os.environ, **LIMITS, "DTSEN_PORT": str(self.port), "DTSEN_RUN_DIR": str(self.run),
               "DTSEN_WORKERS": "1", "DTSEN_THREADS": "4"}
        self.log = open(self.run / "serve.log", "wb")
        self.proc = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"serve.sh exited {self.proc.returncode}: {self.output()}")
            try:
                if self.get("/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"the stack did not answer /healthz in 60 s: {self.output()}")

    def output(self) -> str:
        return (self.run / "serve.log").read_text(errors="replace")[-2000:]

    def connection(self, source: str = "127.0.0.1", timeout: float = 5) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=(source, 0))

    def get(self, path: str, headers: dict | None = None, source: str = "127.0.0.1", timeout: float = 5):
        conn = self.connection(source, timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def processes(self) -> list[psutil.Process]:
        """serve.sh's children: gunicorn's master and nginx's master (with their own children)."""
        try:
            return psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.run, ignore_errors=True)


@pytest.fixture(scope="module")
def stack():
    s = Stack()
    yield s
    s.stop()


def stalled(source: str, first_bytes: bytes, port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    sock.sendall(first_bytes)
    return sock


def test_serves_through_the_proxy_with_health(stack):
    status, headers, body = stack.get("/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["status"] == "ok" and health["loaded"] is True
    assert health["release_id"] == current_release().name
    assert headers["Server"] == "nginx"  # server_tokens off: no version
    assert headers["Cache-Control"] == "no-store"


def test_pages_are_compressed_by_the_proxy(stack):
    for encoding in ("br", "gzip"):
        status, headers, body = stack.get("/", {"Accept-Encoding": encoding})
        assert status == 200 and headers.get("Content-Encoding") == encoding, headers
    status, headers, body = stack.get("/")
    assert "Content-Encoding" not in headers and b"DATA SINTETIS" in body


def test_slow_clients_do_not_take_the_site_down(stack):
    """Slow headers (slowloris), slow bodies and clients that never read their answer: gunicorn
    has 4 threads here, so without the proxy 4 of them would already hold the whole site."""
    port = stack.port
    attackers = [stalled(ATTACKER, b"GET / HTTP/1.1\r\nHost: portal\r\nX-Slow: ", port) for _ in range(32)]
    attackers += [stalled(ATTACKER, b"POST /_dash-update-component HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\n"
                                    b"Content-Length: 900\r\n\r\n{\"output\":", port) for _ in range(16)]
    big = "/api/v1/nilai?indikator=persen_penduduk_miskin&batas=1000"
    attackers += [stalled(ATTACKER, f"GET {big} HTTP/1.1\r\nHost: portal\r\n\r\n".encode(), port) for _ in range(8)]
    try:
        time.sleep(0.5)  # every attacker's request is in
        for path in ["/healthz", "/", "/healthz", "/peta", "/healthz"]:
            t0 = time.monotonic()
            status, _, _ = stack.get(path, timeout=5)
            assert status == 200, path
            assert time.monotonic() - t0 < 3, f"{path} took {time.monotonic() - t0:.1f} s"
    finally:
        for sock in attackers:
            sock.close()


def test_the_proxy_refuses_a_body_over_1_mb_without_reading_it(stack):
    conn = stack.connection()
    conn.putrequest("POST", "/_dash-update-component")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(2 * 1024 * 1024))
    conn.endheaders()
    conn.send(b"[" * 1000)  # the rest never comes: the answer must not wait for it
    resp = conn.getresponse()
    assert resp.status == 413
    assert resp.getheader("Server") == "nginx"
    assert "paling besar 1 MB" in resp.read().decode()  # nginx's own refusal, not the app's (app.py MAX_BODY)
    conn.close()


def test_a_greedy_client_is_slowed_by_its_own_address_only(stack):
    conn = stack.connection(GREEDY)
    statuses = []
    for _ in range(100):  # far over 10 requests/s with a burst of 40
        conn.request("GET", "/api/v1/rilis")
        resp = conn.getresponse()
        body = resp.read()
        statuses.append(resp.status)
    conn.close()
    assert statuses[:40] == [200] * 40  # the burst passes
    assert statuses.count(429) >= 20
    assert b"Terlalu banyak permintaan" in body
    assert stack.get("/api/v1/rilis")[0] == 200  # another address at the same moment


def test_connections_at_once_are_limited_per_address(stack):
    """Requests whose body never comes stay open: the 33rd from one address is refused at once."""
    held = [stalled(CROWD, b"POST /_dash-update-component HTTP/1.1\r\nHost: portal\r\nContent-Length: 100\r\n\r\n", stack.port)
            for _ in range(40)]
    try:
        time.sleep(1)  # a refusal is sent at once; the others wait for their body (10 s)
        readable, _, _ = select.select(held, [], [], 0)
        refused = sum(sock.recv(64).startswith(b"HTTP/1.1 429") for sock in readable)
    finally:
        for sock in held:
            sock.close()
    assert refused == 8


def test_immutable_files_are_kept_by_the_proxy(stack):
    _, _, page = stack.get("/")
    asset = re.search(r'href="(/assets/[^"]+[?]m=[^"]+)"', page.decode()).group(1)

    def in_cache() -> bool:  # nginx writes each cached answer to a file that starts with its key
        return any(f"KEY: {asset}".encode() in p.read_bytes()[:1024] for p in (stack.run / "cache").rglob("*") if p.is_file())

    assert not in_cache()
    for _ in range(2):
        status, headers, _ = stack.get(asset)
        assert status == 200 and "immutable" in headers["Cache-Control"]
    deadline = time.monotonic() + 3
    while not in_cache():  # written just after the first answer
        assert time.monotonic() < deadline, "the asset is not in the proxy's cache"
        time.sleep(0.1)


def test_a_compressed_answer_revalidates_through_the_proxy(stack):
    """nginx marks the ETag of what it compresses weak (W/"…"); a browser sends that back and must get 304."""
    _, headers, _ = stack.get("/api/v1/indikator", {"Accept-Encoding": "gzip"})
    assert headers["ETag"].startswith('W/"')
    status, _, body = stack.get("/api/v1/indikator", {"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_sigterm_stops_both_and_so_does_either_dying():
    for how in ("sigterm", "gunicorn dies"):
        s = Stack()
        try:
            masters = s.processes()
            assert sorted("nginx" if "nginx" in " ".join(p.cmdline()) else "gunicorn" for p in masters) == ["gunicorn", "nginx"]
            everyone = masters + [c for p in masters for c in p.children(recursive=True)]
            if how == "sigterm":
                s.proc.send_signal(signal.SIGTERM)
            else:
                next(p for p in masters if "gunicorn" in " ".join(p.cmdline())).kill()
            s.proc.wait(timeout=30)
            _, alive = psutil.wait_procs(everyone, timeout=10)
            assert not alive, f"{how}: still running {alive}"
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", s.port), timeout=1).close()
        finally:
            s.stop()


def test_pages_are_kept_briefly_but_never_across_a_pin(stack):
    """nginx keeps a served page for 10 s; the X-Rilis pin is part of its key, so a request pinned to
    another release (here one that does not exist: 404) neither gets nor leaves the unpinned page."""
    assert stack.get("/tentang")[0] == 200
    assert stack.get("/tentang", {"X-Rilis": "tidak-ada"})[0] == 404
    assert stack.get("/tentang")[0] == 200
    assert any(b"KEY: http127.0.0.1" in p.read_bytes()[:1024] and b"/tentang|" in p.read_bytes()[:1024]
               for p in (stack.run / "pages").rglob("*") if p.is_file())
    for path in ("/api/v1/rilis", "/_dash-layout"):  # answers of their own: never kept
        assert stack.get(path)[0] == 200
    kept = b"".join(p.read_bytes()[:1024] for p in (stack.run / "pages").rglob("*") if p.is_file())
    assert b"/api/v1/rilis" not in kept and b"/_dash-layout" not in kept
