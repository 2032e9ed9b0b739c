"""Map explorer benchmark (ISSUE 5 part a): what one indicator/year switch costs.

    .venv/bin/python benchmarks/explorer.py [--release-dir data/releases] [--switches 50]

Over the release `current` points at, at kabupaten/kota level for the whole
country, 50 indicator/year switches are answered twice in one run:

- ours: the Peta page's own callback body (`pages.peta.view`), whose figure names
  the geometry by URL (fetched once by the browser, cached, immutable) and, once the
  browser draws a level's regions, is a values-only Patch (classes, hover lines, colours);
- naive: the common tutorial way, a choropleth with the full GeoJSON inline in
  the figure, rebuilt and re-sent on every callback.

Each response is serialised with plotly's JSON encoder, as Dash does, and measured
raw and gzipped; server time is build + serialise. Figures are printed with the
machine's size; compare them as ratios within one run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory"


def measure(fn, states):
    sizes, gz, times = [], [], []
    for st in states:
        t0 = time.perf_counter()
        body = fn(st)
        times.append(time.perf_counter() - t0)
        sizes.append(len(body))
        gz.append(len(gzip.compress(body, 6)))
    return sizes, gz, times


def p95(xs):
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release-dir", type=Path, default=None)
    ap.add_argument("--switches", type=int, default=50)
    args = ap.parse_args()
    if args.release_dir:
        os.environ["DTSEN_RELEASE_DIR"] = str(args.release_dir.resolve())

    import plotly.graph_objects as go
    from plotly.utils import PlotlyJSONEncoder

    import app as portal  # noqa: F401  (registers the pages, opens the release)
    from data import queries
    from pages.peta import view
    from web.state import MapState

    rel = queries.release()
    ids = [i for i in rel.catalog if "kabupaten_kota" in queries.indicator_levels(rel, i)]
    states = [MapState(ids[n % len(ids)], rel.years[n % len(rel.years)], "kabupaten_kota", None, "total", "total") for n in range(args.switches)]
    geojson = json.loads(rel.geo_path("kabupaten_kota.geojson").read_bytes())

    with portal.app.server.test_request_context("/"):
        queries.cache.clear() if hasattr(queries, "cache") else None

        shown = {"key": None}  # what the browser draws after the previous switch

        def ours(st):
            out = view(st, shown["key"])
            shown["key"] = out[-1]
            return json.dumps(out, cls=PlotlyJSONEncoder).encode()

        def naive(st):
            df = queries.map_values(rel, st.indikator, st.tahun, st.tingkat, st.dimensi, st.kategori, st.induk)
            fig = go.Figure(go.Choropleth(geojson=geojson, locations=df["kode_wilayah"], z=df["nilai"], featureidkey="properties.kode"))
            fig.update_geos(fitbounds="locations", visible=False)
            return json.dumps(fig, cls=PlotlyJSONEncoder).encode()

        ours(states[0]), naive(states[0])  # warm both (imports, first query)
        o_raw, o_gz, o_t = measure(ours, states)
        n_raw, n_gz, n_t = measure(naive, states)

    print(f"machine: {machine()}; release {rel.id}; {len(states)} indicator/year switches at kabupaten/kota level")
    print(f"geometry sent once by URL, cached: {rel.geo_path('kabupaten_kota.geojson').stat().st_size / 1e6:.2f} MB raw")
    for name, raw, gz, t in (("ours ", o_raw, o_gz, o_t), ("naive", n_raw, n_gz, n_t)):
        print(f"{name}: {sum(raw) / 1e6:8.2f} MB raw, {sum(gz) / 1e6:7.2f} MB gzipped in all; "
              f"median {statistics.median(t) * 1000:6.1f} ms, p95 {p95(t) * 1000:6.1f} ms server time per switch")
    print(f"ratio ours/naive: bytes gzipped 1/{sum(n_gz) / sum(o_gz):.0f}, raw 1/{sum(n_raw) / sum(o_raw):.0f}; "
          f"p95 time {p95(o_t) / p95(n_t):.2f}×")


if __name__ == "__main__":
    main()
