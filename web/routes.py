"""Plain Flask routes: release geometry (cacheable, immutable per release id) and CSV twins."""
from __future__ import annotations

import json
import time

import pandas as pd

from flask import Flask, Response, abort, request

from components.export import attachment, citation, citation_apa, localised_meta
from components.formatting import unit_name
from components.i18n import N_, _, use_language
from components.formats import FORMATS, Table, split_format
from components.links import download_url, map_url, region_url, target_url, usage_url
from components.texts import DESIL_PANELS, hit_texts, indicator_name, licence_text
from data.catalog import DOMAIN_NAMES
from data import queries
from data.access import TamperedFile
from data.contract import GEO
from data.catalog import DOMAINS
from data.targets import STATUS_LABELS, TREND_LABELS, sort_regions
from web.api import register_api_v1
from web.bulk import register_bulk
from web.crawlers import register_crawlers
from web.reports import register_reports
from web.health import register_health
from web.images import register_embeds, register_images
from web.lang import in_address
from web.public_url import site_root
from web.sources import row_periods, row_sources  # noqa: F401 (row_periods: the target download)
from web.state import LEVEL_NAMES, SORT_NAMES, StateError, state_from_release, tracker_state
from web.usage import tally
from web.usage_store import COLUMNS as USAGE_COLUMNS, as_frame

DESIL_SECTION = N_("Sebaran kesejahteraan dan bantuan sosial (menurut desil)")
MAP_COLUMNS = ["tahun", "kode_wilayah", "kode_bps", "nama", "indicator_id", "indikator", "rincian", "kategori", "nilai", "satuan", "status",
               "keterangan_status", "pembilang", "penyebut", "periode", "sumber"]
PROFILE_COLUMNS = ["bagian", "indicator_id", "indikator", "rincian", "kategori", "satuan", "tahun", "kode_wilayah", "kode_bps", "nama", "nilai",
                   "status", "keterangan_status", "periode", "sumber"]


STATUS_LEGEND = N_("ok = dipublikasikan; S1 = dilindungi (penekanan primer); S2 = dilindungi (penekanan komplementer); "
                   "tidak_berlaku (NA di berkas rilis) = tidak ada yang termasuk di dalam sel. Nilai kosong berarti dilindungi atau tidak berlaku, bukan nol.")


OFFICIAL_TERMS = N_("Statistik resmi BPS: gunakan sesuai ketentuan BPS (bps.go.id) dan cantumkan BPS sebagai sumber")


def release_meta(rel, what: list[tuple[str, str]], title: str, url: str, official: bool = False,
                 indicator_id: str | None = None) -> list[tuple[str, str]]:
    """The metadata every download carries: warning, what it is, release, licence, citation.
    Official BPS figures are BPS's, never labelled synthetic: their source lines, BPS's terms and
    a citation naming BPS instead."""
    warning = [("PERINGATAN", _("DATA SINTETIS, bukan statistik resmi"))] if rel.synthetic and not official else []
    sources = []
    if official and indicator_id:
        sources = [("sumber", _("{year} (periode {period}): {source}").format(year=int(r.tahun), period=r.periode, source=r.sumber))
                   for r in rel.source_of(indicator_id).itertuples()]
    return warning + what + sources + [
        ("rilis", rel.id),
        ("tanggal_rilis", rel.manifest.get("dibuat", "")),
        ("lisensi", _(OFFICIAL_TERMS) if official else licence_text(rel.manifest.get("lisensi", ""))),
        ("kutipan", citation(rel.id, title, url, rel.manifest.get("dibuat", ""))),
        ("kutipan_apa", citation_apa(rel.id, title, url, rel.manifest.get("dibuat", ""), rel.synthetic, official)),
        ("status", _(STATUS_LEGEND)),
    ]


def in_profile_order(rel, df: pd.DataFrame, kodes: tuple[str, ...]) -> pd.DataFrame:
    """The profile page's order: its domain sections (indicators in catalogue order), then the desil
    panels; within an indicator the region, its parent, Indonesia; then the years."""
    order = {ind_id: n for n, ind_id in enumerate(rel.catalog)}
    domains = {d: n for n, d in enumerate(DOMAINS)}
    desil = df["dimensi"] == "desil"
    df = df.assign(
        bagian=[_(DESIL_SECTION) if d else _(DOMAIN_NAMES[rel.catalog[i].domain]) for i, d in zip(df["indicator_id"], desil)],
        _section=[len(domains) if d else domains[rel.catalog[i].domain] for i, d in zip(df["indicator_id"], desil)],
        _ind=df["indicator_id"].map(order),
        _place=df["kode_wilayah"].map({k: n for n, k in enumerate(kodes)}),
        _cat=pd.to_numeric(df["kategori"], errors="coerce"),
    )
    return df.sort_values(["_section", "_ind", "_place", "_cat", "tahun"]).drop(columns=["_section", "_ind", "_place", "_cat"])


def region_names(rel) -> dict[str, str]:
    return {**rel.regions["nama"].to_dict(), "00": "Indonesia"}


def labelled_rows(rel, df: pd.DataFrame) -> pd.DataFrame:
    """A profile's (or a comparison's) cells with the words a reader needs beside the codes: the
    indicator's name and unit, the region's name and BPS code, and each row's source line."""
    df = df.assign(
        indikator=df["indicator_id"].map(lambda i: indicator_name(rel.catalog[i])),
        satuan=df["indicator_id"].map(lambda i: unit_name(rel.catalog[i].satuan)),
        nama=df["kode_wilayah"].map(region_names(rel)),
        kode_bps=df["kode_wilayah"].str.replace(".", "", regex=False),
        rincian=df["dimensi"],
    )
    df["sumber"] = row_sources(rel, df)
    return df


def map_meta(rel, state, url: str, years: str) -> list[tuple[str, str]]:
    ind = rel.catalog[state.indikator]
    what = [
        ("indikator", f"{indicator_name(ind)} ({ind.id})"),
        ("satuan", unit_name(ind.satuan)),
        ("desimal", str(ind.desimal)),
        ("tahun", years),
        ("tingkat", LEVEL_NAMES[state.tingkat]),
        ("wilayah_induk", state.induk or "Indonesia"),
        ("rincian", f"{state.dimensi}={state.kategori}"),
    ]
    return release_meta(rel, what, f"{indicator_name(ind)}, {years}", url, official=ind.official, indicator_id=ind.id)


def register_routes(server: Flask) -> None:
    @server.route("/geo/<release_id>/<path:name>")
    def geo(release_id: str, name: str):
        try:
            rel = queries.store().by_id(release_id)  # a pinned page draws its own release's geometry
        except LookupError:
            abort(404)
        path = rel.geo_path(name)
        if path is None:
            abort(404)
        etag = f"{release_id}/{name}"  # named by its release: kept a year (web/headers.py)
        # flask-compress appends ":gzip" / ":br" to the ETag it sends; a browser echoes that back.
        if any(tag.split(":")[0] == etag for tag in request.if_none_match.as_set()):
            resp = Response(status=304)
            resp.set_etag(etag)
            return resp
        # A plain response (not send_file's passthrough) so flask-compress can gzip it; the bytes
        # are checked against the manifest first (a changed file answers 503, never under this ETag).
        resp = Response(rel.read_bytes(f"{GEO}/{name}"), mimetype="application/geo+json")
        resp.set_etag(etag)
        return resp

    @server.errorhandler(TamperedFile)
    def _tampered(exc):
        return Response(_("Berkas rilis ini gagal pemeriksaan integritas (isinya tidak lagi sama dengan manifes rilis) "
                          "dan tidak dilayani. Kejadian ini sudah dicatat untuk pengelola portal.") + "\n", status=503,
                        mimetype="text/plain", headers={"Cache-Control": "no-store", "Retry-After": "300"})

    register_api(server)
    register_api_v1(server)
    register_bulk(server)
    register_health(server)
    register_images(server)
    register_embeds(server)
    from web.chart_images import register_chart_embeds, register_chart_images

    register_chart_images(server)
    register_chart_embeds(server)
    register_crawlers(server)
    register_reports(server)
    from web.compare_download import register_compare_download  # it reads this module's helpers

    register_compare_download(server)

    @server.route("/unduh/wilayah/<kode>.<fmt>")
    def region_download(kode: str, fmt: str):
        """The region profile's twin: every open total cell of the region, the regions above it and
        the nation in every year, then the desil panels, in the page's section order."""
        kode, fmt = split_format(f"{kode}.{fmt}")  # /unduh/wilayah/34.71.meta.json: the route splits at the last dot
        if fmt not in FORMATS:
            return unknown_format(fmt)
        rel = queries.release()
        info = rel.region(kode)
        if info is None:
            return Response(_("Kode wilayah '{code}' tidak dikenal.").format(code=kode) + "\n", status=404, mimetype="text/plain")
        kodes = rel.comparison_codes(kode)
        df = queries.profile_download(rel, kodes, tuple(i for i, _, _ in DESIL_PANELS))
        df = labelled_rows(rel, in_profile_order(rel, df, kodes))
        names = region_names(rel)
        years = f"{rel.years[0]}–{rel.years[-1]}"
        meta = release_meta(rel, [("wilayah", f"{names[kode]} ({kode})"), ("tahun", years),
                                  ("bagian", _("urutan bagian halaman profil; 'desil' = panel sebaran menurut desil kesejahteraan"))],
                            _("Profil {region}, {years}").format(region=names[kode], years=years), site_root() + region_url(kode))
        decimals = {"nilai": df["indicator_id"].map(lambda i: rel.catalog[i].desimal)}
        return download(("wilayah", kode), df, meta, PROFILE_COLUMNS, decimals, fmt, f"dtsen_profil_{kode}_{rel.years[0]}-{rel.years[-1]}_{rel.id}")

    @server.route("/unduh/statistik-penggunaan.<fmt>")
    def usage_download(fmt: str):
        """The usage figures' twin: every count kept, one row per day and category (pages/statistik_penggunaan.py)."""
        if fmt not in FORMATS:
            return unknown_format(fmt)
        rows = tally(server).rows()
        if rows is None:  # the store is down: say when to come back
            return Response(_("Angka penggunaan sedang tidak dapat dibaca; coba lagi dalam satu menit.") + "\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "60"})
        df = as_frame(rows)
        meta = [("judul", _("Statistik penggunaan Portal Data DTSEN Terbuka")),
                ("keterangan", _("jumlah halaman dibuka (halaman), berkas diunduh (unduhan) dan pembacaan API (api) per hari UTC; "
                                 "'-' = alamat tidak menyebut indikator, tingkat atau format; tanpa alamat IP, user agent atau cookie")),
                ("alamat", site_root() + usage_url())]
        return download("statistik-penggunaan", df, meta, USAGE_COLUMNS, {}, fmt, "dtsen_statistik_penggunaan")

    @server.route("/unduh/peta.<fmt>")
    def map_download(fmt: str):
        rel = queries.release()
        # tahun=semua: every year of the view in one file (a journalist need not merge three).
        every_year = request.args.get("tahun") == "semua"
        args = {k: v for k, v in request.args.items() if not (every_year and k == "tahun")}
        state, refusal = parse_download(fmt, state_from_release, rel, args)
        if refusal:
            return refusal
        ind = rel.catalog[state.indikator]
        years = queries.indicator_years(rel, ind.id) if every_year else [state.tahun]
        frames = [queries.map_values(rel, ind.id, y, state.tingkat, state.dimensi, state.kategori, state.induk).assign(tahun=y) for y in years]
        df = pd.concat(frames, ignore_index=True)
        df = df.assign(indicator_id=ind.id, indikator=indicator_name(ind), rincian=state.dimensi, kategori=state.kategori, satuan=unit_name(ind.satuan))
        df["sumber"] = row_sources(rel, df)
        span = f"{years[0]}–{years[-1]}" if every_year else str(state.tahun)
        meta = map_meta(rel, state, site_root() + map_url(state.query(), lang=in_address()), span)
        filename = f"dtsen_{state.indikator}_{'semua-tahun' if every_year else state.tahun}_{state.tingkat}{'_' + state.induk if state.induk else ''}_{rel.id}"
        return download("peta", df, meta, MAP_COLUMNS, {"nilai": ind.desimal}, fmt, filename)


TARGET_COLUMNS = ["kode_wilayah", "kode_bps", "nama", "nilai_awal", "nilai_akhir", "perubahan_teramati", "arah_perubahan", "perubahan_dibutuhkan", "skor",
                  "status_target", "kode_status", "catatan", "periode", "sumber"]
SEARCH_MAX_QUERY, SEARCH_MAX_LIMIT = 100, 50


def register_api(server: Flask) -> None:
    @server.route("/api/cari")
    def search_api():
        """Regions and indicators matching q, best first (the search box's machine twin). A refusal's reason is in the
        request's language, as the API's (web/api.py)."""
        q = request.args.get("q", "")
        limit_text = request.args.get("batas", "10")
        if len(q.strip()) < 2:
            return bad_request(_("parameter q wajib diisi, paling sedikit 2 huruf"))
        if len(q) > SEARCH_MAX_QUERY:
            return bad_request(_("parameter q paling panjang {n} huruf").format(n=SEARCH_MAX_QUERY))
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= SEARCH_MAX_LIMIT:
            return bad_request(_("parameter batas harus bilangan bulat 1–{n}").format(n=SEARCH_MAX_LIMIT))
        t0 = time.perf_counter()
        hits = queries.search(queries.release(), q, int(limit_text))
        # Names in the language the address asked for (?lang=en: the navigation bar's suggestions on an English page),
        # else Bahasa Indonesia whatever the browser's Accept-Language: a program's answer does not change under it.
        with use_language(in_address() or "id"):
            texts = [hit_texts(h) for h in hits]
        body = {"q": q, "hasil": [{"jenis": h.kind, "kode": h.key, "nama": label, "konteks": context, "url": h.href, "skor": round(h.score, 1)}
                                  for h, (label, _kind, context) in zip(hits, texts)], "milidetik": round(1000 * (time.perf_counter() - t0), 1)}
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")

    @server.route("/unduh/target.<fmt>")
    def target_download(fmt: str):
        rel = queries.release()
        state, refusal = parse_download(fmt, tracker_state, rel)
        if refusal:
            return refusal
        ind = rel.catalog[state.indikator]
        data = queries.tracker(rel, ind.id, state.tingkat)
        df = sort_regions(data["regions"], state.urut, ind.arah)
        df = df.assign(kode_bps=df["kode_wilayah"].str.replace(".", "", regex=False), kode_status=df["status_target"],
                       status_target=df["status_target"].map({k: _(v) for k, v in STATUS_LABELS.items()}), indicator_id=ind.id,
                       arah_perubahan=df["arah_perubahan"].map({k: _(v) for k, v in TREND_LABELS.items()}),
                       catatan=[_(n).format(year=data["region_years"][1]) if n else "" for n in df["catatan"]],
                       tahun=data["region_years"][1])
        df["sumber"] = row_sources(rel, df)
        df["periode"] = row_periods(rel, df)  # the period of nilai_akhir (the latest year), as its source line
        what = [("indikator", f"{indicator_name(ind)} ({ind.id})"), ("satuan", unit_name(ind.satuan)),
                ("sumber_angka", _("angka resmi BPS") if ind.official else _("register DTSEN")),
                ("target", _("{target} pada {year} ({document})").format(target=data["target"].text, year=data["target_year"],
                                                                      document=data["target_row"]["dokumen"])),
                ("tahun_dasar", str(data["region_years"][0])), ("tahun_terakhir", str(data["region_years"][1])), ("tingkat", LEVEL_NAMES[state.tingkat]),
                ("kode_status", _("tercapai = sudah tercapai; menuju = menuju target; perlu_perhatian = perlu perhatian khusus; "
                                  "tidak_diketahui = dilindungi/tidak tersedia")),
                ("urutan", _("seperti di halaman: menurut {sort}").format(sort=SORT_NAMES[state.urut]))]
        meta = release_meta(rel, what, _("Capaian target {name}").format(name=indicator_name(ind)), site_root() + target_url(state.query(), lang=in_address()),
                            official=ind.official, indicator_id=ind.id)
        decimals = {"nilai_awal": ind.desimal, "nilai_akhir": ind.desimal, "perubahan_teramati": ind.desimal + 1, "perubahan_dibutuhkan": ind.desimal + 1, "skor": 0}
        return download("target", df, meta, TARGET_COLUMNS, decimals, fmt, f"dtsen_target_{ind.id}_{state.tingkat}_{rel.id}")


def parse_download(fmt: str, parser, rel, args=None):
    """(state, None) for a good download URL; (None, a 404/400 with the reason) otherwise."""
    if fmt not in FORMATS:
        return None, unknown_format(fmt)
    try:
        return parser(request.args if args is None else args, rel), None
    except StateError as exc:
        return None, Response(exc.message + "\n", status=exc.status, mimetype="text/plain")


def bad_request(reason: str) -> Response:
    return Response(json.dumps({"galat": reason}, ensure_ascii=False), status=400, mimetype="application/json")


def unknown_format(fmt: str) -> Response:
    return Response(_("Format '{format}' tidak tersedia; pilih {choices}.").format(format=fmt, choices=", ".join(FORMATS)) + "\n",
                    status=404, mimetype="text/plain")


def download(view, df, meta, columns, decimals, fmt: str, stem: str) -> Response:
    """The view's rows in the format its URL asks for, written by the registry (components/formats.py):
    CSV (header row first; `?meta=1` puts the metadata above it as '#' lines), XLSX (metadata on sheet
    'keterangan'), the metadata alone (`.meta.json`), the ZIP of both, or Parquet."""
    f = FORMATS[fmt]
    # Headers, metadata keys and words in the request's language (?lang=en: English); values and codes as they are.
    table = Table(df, localised_meta(meta), columns, decimals, stem, meta_lines=request.args.get("meta") == "1")
    headers = {}
    if f.attachment:
        headers["Content-Disposition"] = attachment(f"{stem}.{fmt}")
    if f.describedby:
        headers["Link"] = f'<{download_url(view, "meta.json", request.query_string.decode())}>; rel="describedby"'
    return Response(f.write(table), mimetype=f.mimetype, headers=headers)
