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
import sqlite3
import struct
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
ATTACKER, GREEDY, CROWD, BUSTER, LOGGED, REFUSED = "127.0.0.3", "127.0.0.2", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """`bash scripts/serve.sh` in its own process group, on a free port."""

    def __init__(self):
        self.port = free_port()
        self.run = Path(tempfile.mkdtemp(prefix="dtsen-proxy-", dir="/tmp"))  # short: a unix socket path has 108 bytes
        env = {**{k: v for k, v in os.environ.items() if k != "DTSEN_PUBLIC_URL"}, **LIMITS, "DTSEN_PORT": str(self.port), "DTSEN_RUN_DIR": str(self.run),
               "DTSEN_WORKERS": "1", "DTSEN_THREADS": "4", "DTSEN_USAGE_DB": str(self.run / "penggunaan.sqlite3")}
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
    assert any(b"KEY: /tentang||id\n" in p.read_bytes()[:1024] for p in (stack.run / "pages").rglob("*") if p.is_file())
    for path in ("/api/v1/rilis", "/_dash-layout"):  # answers of their own: never kept
        assert stack.get(path)[0] == 200
    kept = b"".join(p.read_bytes()[:1024] for p in (stack.run / "pages").rglob("*") if p.is_file())
    assert b"/api/v1/rilis" not in kept and b"/_dash-layout" not in kept


def test_a_page_accept_language_chose_is_kept_per_language(stack):
    """Without ?lang, Accept-Language picks the page's language (web/lang.py): nginx's key holds that
    choice (its own map of the header), so an English reader's copy never reaches an Indonesian one,
    and two browsers' different headers that choose the same language share one copy."""
    path = f"/tentang?lang_key={time.time_ns()}"
    english = stack.get(path, {"Accept-Language": "en-GB,en;q=0.9"})[2]
    assert b'<html lang="en">' in english
    assert b'<html lang="id">' in stack.get(path)[2]  # no header: Indonesian, not the kept English copy
    assert b'<html lang="id">' in stack.get(path, {"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})[2]
    assert b'<html lang="en">' in stack.get(path, {"Accept-Language": "fr-FR,en;q=0.5"})[2]
    assert b'<html lang="id">' in stack.get(path + "&lang=id", {"Accept-Language": "en"})[2]  # the address wins
    time.sleep(0.5)
    keys = [p.read_bytes()[:1024] for p in (stack.run / "pages").rglob("*") if p.is_file()]
    assert sum(f"KEY: {path}||en\n".encode() in k for k in keys) == 1
    assert sum(f"KEY: {path}||id\n".encode() in k for k in keys) == 1


def kept_until(run: Path, folder: str, key: bytes) -> list[float]:
    """When nginx's copies whose key holds `key` expire (valid_sec: the second field of the header
    nginx writes at the start of each cache file, after a 64-bit version)."""
    out = []
    for p in (run / folder).rglob("*"):
        if p.is_file() and key in (head := p.read_bytes()[:2048]):
            out.append(struct.unpack_from("<q", head, 8)[0])
    return out


def test_pages_are_kept_only_the_proxys_seconds_whatever_their_cache_control(stack):
    """The app's Cache-Control (a page 60 s, a pinned page longer) is for browsers; nginx keeps a page
    DTSEN_PROXY_PAGE_SECONDS (10 s), so a withdrawn release's pinned page stops answering 200 soon."""
    rid = current_release().name
    for path in (f"/tentang?kept={time.time_ns()}", f"/tentang?rilis={rid}&kept={time.time_ns()}"):
        status, headers, _ = stack.get(path)
        browser = re.fullmatch(r"public, max-age=(\d+)", headers["Cache-Control"])
        assert status == 200 and int(browser.group(1)) > 10  # what the browser gets is the app's, unchanged
        deadline = time.monotonic() + 3
        while not (until := kept_until(stack.run, "pages", path.encode())):
            assert time.monotonic() < deadline, f"{path} is not in the page cache"
            time.sleep(0.1)
        assert until[0] - time.time() <= 10 + 1, f"{path} kept {until[0] - time.time():.0f} s"


def views_of(stack, indicator: str) -> int:
    db = stack.run / "penggunaan.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as con:
        return con.execute("SELECT coalesce(sum(jumlah), 0) FROM penggunaan WHERE jenis = 'halaman' AND indikator = ?",
                           (indicator,)).fetchone()[0]


def test_every_page_view_is_counted_once_cached_or_not(stack):
    """nginx answers most views of a popular page from its cache, where the app never sees them: each
    is still counted once (nginx mirrors page requests to the app's counter), and only answers of 200.
    A client cannot count a view by calling the counter or by claiming nginx's marks."""
    page, before = "/indikator/tpt", views_of(stack, "tpt")
    for _ in range(5):  # the first is built, the other four come from nginx's cache
        assert stack.get(page)[0] == 200
    assert stack.get(page, {"X-Penggunaan-Dicermin": "1"})[0] == 200  # nginx's mark, from outside: ignored
    assert stack.get(page, {"X-Rilis": "tidak-ada"})[0] == 404  # not counted
    conn = stack.connection()
    conn.request("HEAD", page)
    assert conn.getresponse().status == 200  # a HEAD is not a view
    conn.close()
    for _ in range(3):
        assert stack.get("/_penggunaan-cermin" + page, {"X-Penggunaan-Cermin": "1"})[0] == 404
    deadline = time.monotonic() + 15  # counts are stored every 5 s
    while views_of(stack, "tpt") - before < 6 and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(6)  # and nothing more arrives with the next batch
    assert views_of(stack, "tpt") - before == 6


def test_immutable_files_ignore_cache_busting_and_are_rate_limited(stack):
    """/geo/…?n=1, ?n=2, … made the app hash and send the geometry each time and flushed nginx's cache:
    the key of an immutable file is its path (an asset's fingerprint ?m= too), and one address gets
    twice the pages' rate and burst for them (here 20/s, a burst of 80), then 429."""
    geo = f"/geo/{current_release().name}/provinsi.geojson"
    _, _, page = stack.get("/")
    asset = re.search(r'href="(/assets/[^"?]+)[?]m=([^"&]+)"', page.decode())
    conn = stack.connection(BUSTER)
    statuses = []
    for i in range(200):
        conn.request("GET", f"{geo}?n={i}")
        resp = conn.getresponse()
        resp.read()
        statuses.append(resp.status)
    conn.close()
    assert statuses[:80] == [200] * 80
    assert statuses.count(429) >= 60
    assert stack.get(f"{asset.group(1)}?m={asset.group(2)}&n=7")[0] == 200
    keys = b"".join(p.read_bytes()[:1024] for p in (stack.run / "cache").rglob("*") if p.is_file())
    assert f"KEY: {geo}\n".encode() in keys and b"n=" not in keys
    assert f"KEY: {asset.group(1)}?m={asset.group(2)}\n".encode() in keys


def test_no_log_keeps_a_client_address(stack):
    """nginx's error log (serve.sh's stderr) names the client of each request it writes about: not here."""
    conn = stack.connection(LOGGED)
    for _ in range(60):  # over the burst of 40: "limiting requests"
        conn.request("GET", "/api/v1/rilis")
        resp = conn.getresponse()
        resp.read()
    conn.close()
    conn = stack.connection(LOGGED)
    conn.putrequest("POST", "/_dash-update-component")
    conn.putheader("Content-Length", str(2 * 1024 * 1024))  # "client intended to send too large body"
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    time.sleep(0.5)
    log = (stack.run / "serve.log").read_text(errors="replace")
    assert "limiting requests" in log and "too large body" in log  # real errors stay visible
    assert LOGGED not in log and "client:" not in log
    assert not any(LOGGED.encode() in p.read_bytes() for p in (stack.run / "logs").rglob("*") if p.is_file())


def raw(stack, request: bytes, source: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5, source_address=(source, 0)) as sock:
        sock.sendall(request)
        data = b""
        while True:  # up to the end of the answer's body: the connection may be reset after it (a body never read)
            head, sep, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.split(": ", 1) for line in lines[1:]) if sep else {}
            if sep and len(body) >= int(headers.get("Content-Length", 1 << 30)):
                return int(lines[0].split()[1]), headers, body
            chunk = sock.recv(65536)
            assert chunk, data
            data += chunk


def test_nginx_refusals_are_in_indonesian_with_the_sites_headers(stack):
    """nginx's and gunicorn's own answers (429, 413, 400, 414, 405, oversized headers) had no Cache-Control,
    no security headers, and bodies in English naming nginx."""
    conn = stack.connection(REFUSED)
    for _ in range(60):  # over the burst of 40
        conn.request("GET", "/api/v1/rilis")
        resp = conn.getresponse()
        too_many = (resp.status, dict(resp.getheaders()), resp.read())
    conn.close()
    big = b"POST /_dash-update-component HTTP/1.1\r\nHost: portal\r\nContent-Length: 2097152\r\nConnection: close\r\n\r\n["
    answers = {
        429: too_many,
        413: raw(stack, big),
        400: raw(stack, b"BUKAN HTTP\r\n\r\n"),
        414: raw(stack, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n"),
        405: raw(stack, b"TRACE / HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n"),
        431: raw(stack, b"GET / HTTP/1.1\r\nHost: portal\r\nX-Besar: " + b"a" * 5000 + b"\r\nConnection: close\r\n\r\n"),
    }
    for status, (got, headers, body) in answers.items():
        assert got == status, (status, got, body)
        assert headers["Cache-Control"] == "no-store", status
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", status
        assert headers["Referrer-Policy"] == "same-origin", status
        assert headers["Content-Security-Policy"].startswith("default-src 'none'"), status
        assert b"nginx" not in body.lower() and body.decode().endswith(".\n") and len(body) < 200, (status, body)
    assert answers[429][1]["Retry-After"] == "1" and b"Terlalu banyak permintaan" in answers[429][2]
    assert b"paling besar 1 MB" in answers[413][2]
    # gunicorn's own English refusals are never reached: nginx refuses every request line gunicorn
    # would (over 4094 bytes), and passes many header lines, which gunicorn now takes
    for length in range(4086, 4100):
        path = b"/tidak-ada-" + b"a" * (length - len(b"GET /tidak-ada- HTTP/1.1"))
        status, _, body = raw(stack, b"GET " + path + b" HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", "127.0.0.8")
        assert status in (404, 414) and b"too large" not in body, (length, status, body)
    many = b"".join(b"X-H%d: 1\r\n" % i for i in range(100))
    status, _, body = raw(stack, b"GET /healthz HTTP/1.1\r\nHost: portal\r\n" + many + b"Connection: close\r\n\r\n")
    assert status == 200, body


def test_the_page_cache_key_is_the_address_and_pin_not_the_host(stack):
    """A Host header of the asker's choosing neither skips the page cache nor makes a copy of its own:
    pages name the site by DTSEN_PUBLIC_URL, which serve.sh defaults to its own host and port."""
    path = f"/tentang?host={time.time_ns()}"
    for host in ("127.0.0.1", "acak-1.example", "acak-2.example"):
        status, _, body = stack.get(path, {"Host": host})
        assert status == 200
        assert f'rel="canonical" href="http://127.0.0.1:{stack.port}/tentang'.encode() in body, body[:2000]
    time.sleep(0.5)
    keys = [p.read_bytes()[:1024] for p in (stack.run / "pages").rglob("*") if p.is_file()]
    assert sum(f"KEY: {path}||id\n".encode() in k for k in keys) == 1
    assert not any(b"example" in k for k in keys)
