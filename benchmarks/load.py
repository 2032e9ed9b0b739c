"""Readers at once through the serving stack (issue 18): nginx in front of gunicorn, as `bash scripts/serve.sh` runs it.

    .venv/bin/python benchmarks/load.py --release-dir /tmp/demo15/rel [--users 200] [--seconds 60]
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8050 [--users 20 --seconds 20]   # a stack already running

Without --url it starts `bash scripts/serve.sh` on a free loopback port over the release folder and stops
it afterwards. Every user here comes from 127.0.0.1, where in life 200 readers come from many addresses:
the stack is started with the per-address limits raised (DTSEN_PROXY_* below) and says so; a stack given
by --url must have them raised too, or its 429s count as errors. Loopback only.

Each user is a thread with its own keep-alive connection (so `--users` connections are open at once),
starting at a random moment of its first think time, then repeating until the time is up: an action,
then 2–8 s of reading. The actions, by weight:

- 30 page: /, /peta, /peta?tingkat=kabupaten_kota, /wilayah/<kab/kota>, /indikator/<id>, /cari?q=…
- 35 map switch: the callback POSTs dash-renderer sends for a change of year, of indicator, of level, or a
  click on a province (envelopes built from the server's own /_dash-dependencies, values from the previous
  answers, the map's region key kept so a switch within a level gets the values-only Patch, as in a browser)
- 10 download: /unduh/peta.csv or .xlsx of a random view (one year or tahun=semua)
- 15 API: /api/v1/nilai of a view, /api/v1/indikator, /api/cari?q=…
- 10 static: a first visit's assets, Dash bundles and geometry (immutable: nginx's cache answers)

Prints, per endpoint class: requests, requests/s, errors (a 5xx, 4xx, timeout or refused connection),
p50/p95/p99/max latency; the gunicorn workers' RSS and CPU and this process's own CPU (the generator shares
the machine's cores with the server); and the machine's size. Target (issue 18): 0 errors and p95 ≤ 1 s for
callbacks at 200 users on 2 cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib
from collections import defaultdict
from pathlib import Path

import brotli
import psutil

ROOT = Path(__file__).resolve().parent.parent
THINK = (2.0, 8.0)  # seconds a reader spends between actions
TIMEOUT = 30.0  # a request unanswered this long is an error
UNLIMITED = {"DTSEN_PROXY_CONN_PER_IP": "4096", "DTSEN_PROXY_RATE_PER_IP": "100000", "DTSEN_PROXY_BURST": "100000"}
SEARCHES = ["garut", "kemiskinan", "sleman", "pengangguran jawa barat", "papua", "air minum", "bandung", "kemiskinan garut", "32.05", "gini"]
UPDATE = "/_dash-update-component"


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- what the site offers, learned over HTTP as a browser learns it ---------------------------


class Site:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        health = self.json("/healthz")
        self.release = health["release_id"]
        self.indicators = {i["id"]: i for i in self.json("/api/v1/indikator")["data"]}
        self.map_indicators = [i for i, v in self.indicators.items() if {"provinsi", "kabupaten_kota"} & set(v["tingkat"].split(","))]
        self.regions = [r["kode"] for r in self.json("/api/v1/wilayah?tingkat=kabupaten_kota")["data"]]
        self.provinces = [r["kode"] for r in self.json("/api/v1/wilayah?tingkat=provinsi")["data"]]
        home = self.get("/").decode()
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+\?m=[^"]+)"', home)
        bundles = json.loads(re.search(r'id="dash-bundles" type="application/json">(.*?)</script>', home).group(1).replace("<\\/", "</"))
        geo = [f"/geo/{self.release}/provinsi.geojson", f"/geo/{self.release}/kabupaten_kota.geojson"]
        self.static = assets + bundles + ["/_dash-component-suites/plotly/package_data/plotly.min.js"] + geo
        deps = [d for d in self.json("/_dash-dependencies") if not d.get("clientside_function")]

        def by_output(fragment: str) -> dict:
            return next(d for d in deps if fragment in d["output"])

        def by_inputs(*inputs: str) -> dict:
            return next(d for d in deps if [f"{i['id']}.{i['property']}" for i in d["inputs"]] == list(inputs))

        self.callbacks = {"on_indicator": by_output("peta-tahun.options"), "on_dimension": by_output("peta-kategori.options"),
                          "on_controls": by_output("peta-grafik.figure"), "on_click": by_inputs("peta-grafik.clickData")}

    def get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"GET {path}: {resp.status}")
        return body

    def json(self, path: str):
        return json.loads(self.get(path))


def outputs_of(key: str):
    """dash-renderer's "outputs" for a callback's output key."""
    if key.startswith(".."):
        return [outputs_of(k) for k in key[2:-2].split("...")]
    id_, prop = key.rsplit(".", 1)
    return {"id": id_, "property": prop.split("@")[0]}


def envelope(dep: dict, values: dict, changed: list[str]) -> dict:
    def filled(declared):
        return [{"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")} for d in declared]

    return {"output": dep["output"], "outputs": outputs_of(dep["output"]), "inputs": filled(dep["inputs"]),
            "state": filled(dep.get("state", [])), "changedPropIds": changed}


# --- one reader ------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            (self.errors[kind].append(error) if error else self.latency[kind].append(seconds))


class Reader:
    def __init__(self, site: Site, results: Results, seed: int):
        self.site, self.results, self.rng = site, results, random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None
        self.map = self.fresh_map()

    def fresh_map(self) -> dict:
        return {"peta-indikator.value": "persen_penduduk_miskin", "peta-tahun.value": None, "peta-tingkat.value": "provinsi",
                "peta-induk.value": "00", "peta-dimensi.value": "total", "peta-kategori.value": "total", "peta-kunci.data": None}

    def request(self, kind: str, method: str, path: str, body: dict | None = None) -> dict | None:
        """One request on this reader's connection; the answer's JSON for a callback."""
        headers = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "dtsen-load"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.site.host, self.site.port, timeout=TIMEOUT)
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn = None
            self.results.add(kind, 0, f"{type(exc).__name__} {path[:60]}")
            return None
        elapsed = time.perf_counter() - t0
        if resp.status not in (200, 204, 304):
            self.results.add(kind, elapsed, f"{resp.status} {path[:60]}")
            return None
        self.results.add(kind, elapsed, None)
        if body is None or resp.status != 200:
            return None
        encoding = resp.getheader("Content-Encoding")
        raw = brotli.decompress(raw) if encoding == "br" else zlib.decompress(raw, 31) if encoding == "gzip" else raw
        return json.loads(raw).get("response", {})

    # The actions ------------------------------------------------------------------------------

    def page(self) -> None:
        s, rng = self.site, self.rng
        kind, path = rng.choice([
            ("page /", "/"), ("page /peta", "/peta"), ("page /peta kab/kota", "/peta?tingkat=kabupaten_kota"),
            ("page /wilayah", f"/wilayah/{rng.choice(s.regions)}"), ("page /indikator", f"/indikator/{rng.choice(list(s.indicators))}"),
            ("page /cari", "/cari?q=" + urllib.parse.quote(rng.choice(SEARCHES))),
        ])
        self.request(kind, "GET", path)
        if path.startswith("/peta"):  # the reader now holds this map (its region key comes with the first callback)
            self.map = self.fresh_map()
            if "kabupaten_kota" in path:
                self.map["peta-tingkat.value"] = "kabupaten_kota"

    def callback(self, name: str, changed: list[str]) -> None:
        answer = self.request(f"callback {name}", "POST", UPDATE, envelope(self.site.callbacks[name], self.map, changed))
        for component, props in (answer or {}).items():
            for prop, value in props.items():
                if prop in ("value", "data"):
                    self.map[f"{component}.{prop}"] = value
                if component == "peta-tahun" and prop == "options":
                    self.map["_years"] = [o["value"] for o in value]

    def map_switch(self) -> None:
        """What dash-renderer posts after one change on the map page, in its order."""
        m, rng = self.map, self.rng
        what = rng.choice(["year", "indicator", "indicator", "level", "click"])
        if what == "year" and len(m.get("_years", [])) > 1:
            m["peta-tahun.value"] = rng.choice([y for y in m["_years"] if y != m["peta-tahun.value"]])
            changed = ["peta-tahun.value"]
        elif what == "level":
            m["peta-tingkat.value"] = "kabupaten_kota" if m["peta-tingkat.value"] == "provinsi" else "provinsi"
            m["peta-induk.value"] = "00"
            changed = ["peta-tingkat.value"]
        elif what == "click" and m["peta-tingkat.value"] == "provinsi":
            m["peta-grafik.clickData"] = {"points": [{"location": rng.choice(self.site.provinces)}]}
            self.callback("on_click", ["peta-grafik.clickData"])
            changed = ["peta-tingkat.value", "peta-induk.value"]
        else:
            m["peta-indikator.value"] = rng.choice(self.site.map_indicators)
            changed = ["peta-indikator.value"]
        if changed[0] in ("peta-indikator.value", "peta-tingkat.value", "peta-tahun.value") or m.get("peta-tahun.value") is None:
            self.callback("on_indicator", changed)  # years, levels and breakdowns that exist for the new view
        if changed[0] == "peta-tahun.value":
            self.callback("on_dimension", changed)
        self.callback("on_controls", changed)

    def download(self) -> None:
        ind = self.rng.choice(self.site.map_indicators)
        levels = [lv for lv in ("provinsi", "kabupaten_kota") if lv in self.site.indicators[ind]["tingkat"].split(",")]
        fmt = self.rng.choice(["csv", "csv", "xlsx"])
        query = {"indikator": ind, "tingkat": self.rng.choice(levels)}
        if self.rng.random() < 0.3:
            query["tahun"] = "semua"
        self.request(f"download {fmt}", "GET", f"/unduh/peta.{fmt}?{urllib.parse.urlencode(query)}")

    def api(self) -> None:
        ind = self.rng.choice(list(self.site.indicators))
        year = self.rng.choice(self.site.indicators[ind]["tahun"].split(","))
        kind, path = self.rng.choice([
            ("api /api/v1/nilai", f"/api/v1/nilai?indikator={ind}&tingkat=kabupaten_kota&tahun={year}&batas=1000"),
            ("api /api/v1/nilai", f"/api/v1/nilai?indikator={ind}&tingkat=provinsi"),
            ("api /api/v1/indikator", "/api/v1/indikator"),
            ("api /api/cari", "/api/cari?q=" + urllib.parse.quote(self.rng.choice(SEARCHES))),
        ])
        self.request(kind, "GET", path)

    def static(self) -> None:
        self.request("static (nginx cache)", "GET", self.rng.choice(self.site.static))

    ACTIONS = (("page", 30), ("map_switch", 35), ("download", 10), ("api", 15), ("static", 10))

    def run(self, stop: float) -> None:
        names, weights = zip(*self.ACTIONS)
        time.sleep(self.rng.uniform(0, THINK[1]))  # readers arrive spread over the first think time
        while time.monotonic() < stop:
            getattr(self, self.rng.choices(names, weights)[0])()
            time.sleep(self.rng.uniform(*THINK))
        if self.conn is not None:
            self.conn.close()


# --- the stack ------------------------------------------------------------------------------


def start_stack(release_dir: Path, port: int, run_dir: Path) -> subprocess.Popen:
    env = {**os.environ, **UNLIMITED, "DTSEN_RELEASE_DIR": str(release_dir), "DTSEN_PORT": str(port), "DTSEN_RUN_DIR": str(run_dir)}
    with open(run_dir / "serve.log", "wb") as log:  # gunicorn's and nginx's own words, for any error seen
        proc = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(240):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"scripts/serve.sh exited with {proc.returncode}")
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("the stack did not answer /healthz in 120 s")


def gunicorn_workers(stack: subprocess.Popen | None) -> list[psutil.Process]:
    if stack is None:
        return []
    procs = psutil.Process(stack.pid).children(recursive=True)
    return [p for p in procs if "gunicorn" in " ".join(p.cmdline()) and p.parent() and "gunicorn" in " ".join(p.parent().cmdline())]


def percentile(xs: list[float], q: float) -> float:
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def report(results: Results, elapsed: float) -> None:
    print(f"{'endpoint class':<28} {'requests':>8} {'req/s':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    kinds = sorted(set(results.latency) | set(results.errors), key=lambda k: (k.split()[0], k))
    every, errors = [], 0
    for kind in kinds:
        lat = sorted(results.latency[kind])
        err = len(results.errors[kind])
        every += lat
        errors += err
        print(f"{kind:<28} {len(lat) + err:>8} {(len(lat) + err) / elapsed:>7.1f} {err:>6} " + " ".join(
            f"{1000 * percentile(lat, q):>7.0f}" for q in (0.5, 0.95, 0.99, 1.0)))
    every.sort()
    calls = sorted(x for k in kinds if k.startswith("callback") for x in results.latency[k])
    print(f"{'all':<28} {len(every) + errors:>8} {(len(every) + errors) / elapsed:>7.1f} {errors:>6} " + " ".join(
        f"{1000 * percentile(every, q):>7.0f}" for q in (0.5, 0.95, 0.99, 1.0)))
    print(f"{'all callbacks':<28} {len(calls):>8} {len(calls) / elapsed:>7.1f} {sum(len(results.errors[k]) for k in kinds if k.startswith('callback')):>6} "
          + " ".join(f"{1000 * percentile(calls, q):>7.0f}" for q in (0.5, 0.95, 0.99, 1.0)))
    seen = sorted({e for k in kinds for e in results.errors[k]})
    if seen:
        print("errors seen (first 10 kinds):", "; ".join(seen[:10]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--release-dir", type=Path, default=ROOT / "data" / "releases")
    ap.add_argument("--url", help="a running stack on this machine (loopback only), instead of starting one")
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--keep-logs", action="store_true", help="keep the stack's run folder (its logs) even without errors")
    args = ap.parse_args()

    stack, run_dir, results = None, None, Results()
    if args.url:
        url = urllib.parse.urlsplit(args.url)
        host, port = url.hostname, url.port or 80
        if not host or not (host == "localhost" or host.startswith("127.") or host == "::1"):
            ap.error("--url must be on this machine (127.0.0.1, localhost)")
    else:
        host, port = "127.0.0.1", free_port()
        run_dir = Path(tempfile.mkdtemp(prefix="dtsen-load-", dir="/tmp"))
        stack = start_stack(args.release_dir.resolve(), port, run_dir)
    try:
        site = Site(host, port)
        workers = gunicorn_workers(stack)
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} before the run")
        if stack:
            print(f"stack: scripts/serve.sh (nginx → gunicorn, {len(workers)} workers × {os.environ.get('DTSEN_THREADS', 4)} threads); "
                  f"per-address limits raised for the run: {', '.join(f'{k}={v}' for k, v in UNLIMITED.items())}")
        else:
            print(f"stack: {args.url}")
        print(f"release {site.release}")
        print(f"{args.users} users, each with its own keep-alive connection, {args.seconds:g} s, think time {THINK[0]:g}–{THINK[1]:g} s; "
              f"mix: " + ", ".join(f"{n} {w}" for n, w in Reader.ACTIONS))
        for w in workers:
            w.cpu_percent(None)
        cpu0 = {w.pid: sum(w.cpu_times()[:2]) for w in workers}
        me0 = sum(os.times()[:2])
        stop = time.monotonic() + args.seconds
        readers = [Reader(site, results, args.seed * 100_000 + i) for i in range(args.users)]
        threads = [threading.Thread(target=r.run, args=(stop,), daemon=True) for r in readers]
        rss_peak: dict[int, int] = {}
        t0 = time.monotonic()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            for w in workers:
                try:
                    rss_peak[w.pid] = max(rss_peak.get(w.pid, 0), w.memory_info().rss)
                except psutil.NoSuchProcess:
                    pass
            time.sleep(1)
        elapsed = time.monotonic() - t0
        report(results, elapsed)
        if workers:
            each = [sum(w.cpu_times()[:2]) - cpu0[w.pid] for w in workers if w.is_running()]
            print(f"gunicorn workers: RSS peak " + ", ".join(f"{v / 2**20:.0f} MiB" for v in rss_peak.values())
                  + f"; CPU {sum(each):.0f} s in {elapsed:.0f} s ({sum(each) / elapsed:.2f} cores; " + ", ".join(f"{c:.0f} s" for c in each) + " per worker)")
        print(f"load generator (this process): CPU {sum(os.times()[:2]) - me0:.1f} s; load average {os.getloadavg()[0]:.1f} after the run")
        if run_dir and (args.keep_logs or any(results.errors.values())):
            print(f"the stack's log and nginx's access log: {run_dir}/serve.log, {run_dir}/logs/access.log")
    finally:
        if stack is not None:
            stack.send_signal(signal.SIGTERM)
            try:
                stack.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
    if run_dir and not (args.keep_logs or any(results.errors.values())):
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
