"""Memory of the serving processes: per gunicorn worker, for 1, 2 and 4 workers and 1 or 3 releases loaded.

    .venv/bin/python benchmarks/memory.py --release-dir <releases folder> [--app-dir <checkout>] [--workers 1 2 4]

Copies the current release three times under new ids into a temporary folder (so three
releases are really three: their own files, their own serving layout), starts gunicorn
from `--app-dir` (default: this checkout; point it at an older checkout to compare), sends
every worker the same mix of pages, maps, profiles and downloads (and, for "3 releases",
the same mix pinned to the two past releases with `?rilis=`), then reads each process's
memory with psutil:

- RSS: resident pages, shared ones included (what `top` shows per process);
- USS: pages only this process holds (what it costs to add one more worker);
- PSS: shared pages divided among the processes sharing them; summed over master and
  workers it is what the whole service costs.

Printed with the machine's size; the machine is shared, so compare rows of one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_load import free_port, machine, wait_until_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIX = ["/", "/peta", "/peta?tingkat=kabupaten_kota", "/peta?tingkat=kecamatan&induk=32", "/wilayah/32.05",
       "/wilayah/32.05.01", "/indikator/persen_penduduk_miskin", "/target", "/cari?q=garut",
       "/unduh/peta.csv?indikator=persen_penduduk_miskin&tingkat=kabupaten_kota",
       "/api/v1/nilai?indikator=persen_penduduk_miskin&tingkat=kecamatan&batas=1000",
       "/geo/{rid}/kabupaten_kota.geojson"]
ROUNDS_PER_WORKER = 6  # each worker sees the mix several times (connections land on workers at random)


def releases_folder(source: Path, ids: list[str]) -> Path:
    """A releases folder holding copies of `source` under the given ids, `current` on the first."""
    root = Path(tempfile.mkdtemp(prefix="dtsen-mem-"))
    for rid in ids:
        shutil.copytree(source, root / rid)
        manifest = json.loads((root / rid / "manifest.json").read_text())
        (root / rid / "manifest.json").write_text(json.dumps({**manifest, "release_id": rid}))
    (root / "current").symlink_to(ids[0])
    return root


def serve(app_dir: Path, root: Path, workers: int, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--threads", "4", "--timeout", "300", "app:server"]
    proc = subprocess.Popen(cmd, cwd=app_dir, env={**os.environ, "DTSEN_RELEASE_DIR": str(root), "PYTHONPATH": str(app_dir)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return wait_until_up(proc, f"http://127.0.0.1:{port}/tentang", "the portal", tries=600)


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=300) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def warm(port: int, workers: int, pinned: list[str], current: str) -> int:
    """Send the mix (and the pinned mixes) enough times that every worker has served it; the count of non-200s."""
    urls = []
    for rid in [None, *pinned]:
        for path in MIX:
            path = path.replace("{rid}", rid or current)
            pin = "" if rid is None or path.startswith("/geo/") else ("&" if "?" in path else "?") + f"rilis={rid}"
            urls.append(f"http://127.0.0.1:{port}{path}{pin}")
    with ThreadPoolExecutor(max_workers=4 * workers) as pool:
        statuses = list(pool.map(get, urls * ROUNDS_PER_WORKER * workers))
    return sum(s != 200 for s in statuses)


def memory(master: psutil.Process) -> tuple[dict, list[dict]]:
    def one(p):
        m = p.memory_full_info()
        return {"rss": m.rss / 2**20, "uss": m.uss / 2**20, "pss": m.pss / 2**20}
    return one(master), [one(w) for w in master.children()]


def run(app_dir: Path, source: Path, workers: int, n_releases: int) -> dict:
    ids = [f"bench-{c}" for c in "abc"[:n_releases]]
    root = releases_folder(source, ids)
    port = free_port()
    proc = serve(app_dir, root, workers, port)
    try:
        started = time.monotonic()
        failures = warm(port, workers, ids[1:], ids[0])
        took = time.monotonic() - started
        master, each = memory(psutil.Process(proc.pid))
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    return {"workers": workers, "releases": n_releases, "failures": failures, "warm_s": took, "master": master, "each": each}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--release-dir", default=str(ROOT / "data" / "releases"), help="a releases folder with `current`")
    ap.add_argument("--app-dir", default=str(ROOT), help="the checkout to serve (compare an older one)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--releases", type=int, nargs="+", default=[1, 3])
    args = ap.parse_args()
    source = (Path(args.release_dir) / "current").resolve()
    app_dir = Path(args.app_dir).resolve()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=app_dir, capture_output=True, text=True).stdout.strip()
    print(f"# memory per gunicorn worker — {machine()}; app {app_dir} at {commit}; release {source.name}")
    print("| workers | releases | RSS per worker MiB (mean / max) | USS per worker MiB | PSS, all processes MiB | non-200 |")
    print("|---|---|---|---|---|---|")
    for n_releases in args.releases:
        for workers in args.workers:
            r = run(app_dir, source, workers, n_releases)
            rss = [w["rss"] for w in r["each"]]
            uss = [w["uss"] for w in r["each"]]
            pss = r["master"]["pss"] + sum(w["pss"] for w in r["each"])
            print(f"| {workers} | {n_releases} | {sum(rss) / len(rss):.0f} / {max(rss):.0f} | {sum(uss) / len(uss):.0f} | "
                  f"{pss:.0f} | {r['failures']} |", flush=True)


if __name__ == "__main__":
    main()
