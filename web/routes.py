"""Plain Flask routes: release geometry (cacheable, immutable per release id) and CSV twins."""
from __future__ import annotations

import json
import time

from flask import Flask, Response, abort, request

from components.export import EXPORT_COLUMNS, citation, csv_with_header, xlsx_with_meta
from data import queries
from web.state import LEVEL_NAMES, StateError, state_from_release, tracker_state

ONE_YEAR = 365 * 24 * 3600
PROFILE_COLUMNS = ["indicator_id", "indikator", "satuan", "tahun", "kode_wilayah", "kode_bps", "nama", "nilai", "status", "periode"]


STATUS_LEGEND = ("ok = dipublikasikan; S1 = dilindungi (penekanan primer); S2 = dilindungi (penekanan komplementer); "
                 "NA = tidak berlaku. Nilai kosong berarti dilindungi atau tidak berlaku, bukan nol.")


def release_meta(rel, what: list[tuple[str, str]], title: str, url: str) -> list[tuple[str, str]]:
    """The header lines every download carries: warning, what it is, release, licence, citation."""
    warning = [("PERINGATAN", "DATA SINTETIS, bukan statistik resmi")] if rel.synthetic else []
    return warning + what + [
        ("rilis", rel.id),
        ("tanggal_rilis", rel.manifest.get("dibuat", "")),
        ("lisensi", rel.manifest.get("lisensi", "")),
        ("kutipan", citation(rel.id, title, url)),
        ("status", STATUS_LEGEND),
    ]


def map_meta(rel, state, url: str) -> list[tuple[str, str]]:
    ind = rel.catalog[state.indikator]
    what = [
        ("indikator", f"{ind.nama_id} ({ind.id})"),
        ("satuan", ind.satuan),
        ("tahun", str(state.tahun)),
        ("tingkat", LEVEL_NAMES[state.tingkat]),
        ("wilayah_induk", state.induk or "Indonesia"),
        ("rincian", f"{state.dimensi}={state.kategori}"),
    ]
    return release_meta(rel, what, f"{ind.nama_id}, {state.tahun}", url)


def register_routes(server: Flask) -> None:
    @server.route("/geo/<release_id>/<path:name>")
    def geo(release_id: str, name: str):
        rel = queries.release()
        if release_id != rel.id:
            abort(404)
        path = rel.geo_path(name)
        if path is None:
            abort(404)
        etag = f"{release_id}/{name}"
        headers = {"Cache-Control": f"public, max-age={ONE_YEAR}, immutable"}
        # flask-compress appends ":gzip" / ":br" to the ETag it sends; a browser echoes that back.
        if any(tag.split(":")[0] == etag for tag in request.if_none_match.as_set()):
            resp = Response(status=304, headers=headers)
            resp.set_etag(etag)
            return resp
        # A plain response (not send_file's passthrough) so flask-compress can gzip it.
        resp = Response(path.read_bytes(), mimetype="application/geo+json", headers=headers)
        resp.set_etag(etag)
        return resp

    register_api(server)

    @server.route("/unduh/wilayah/<kode>.<fmt>")
    def region_download(kode: str, fmt: str):
        """The region profile's twin: every open total cell of the region, its parent and the nation."""
        if fmt not in FORMATS:
            return unknown_format(fmt)
        rel = queries.release()
        info = rel.region(kode)
        if info is None:
            return Response(f"Kode wilayah '{kode}' tidak dikenal.\n", status=404, mimetype="text/plain")
        kodes = tuple(dict.fromkeys([kode] + ([info["kode_induk"]] if info["kode_induk"] else []) + ["00"]))
        tahun = rel.years[-1]
        df = queries.profile_cells(rel.id, kodes, tahun)
        names = {**rel.regions["nama"].to_dict(), "00": "Indonesia"}
        df = df.assign(
            indikator=df["indicator_id"].map(lambda i: rel.catalog[i].nama_id),
            satuan=df["indicator_id"].map(lambda i: rel.catalog[i].satuan),
            nama=df["kode_wilayah"].map(names),
            kode_bps=df["kode_wilayah"].str.replace(".", "", regex=False),
            tahun=tahun,
        )
        df = df.sort_values(["indicator_id", "kode_wilayah"])
        meta = release_meta(rel, [("wilayah", f"{names[kode]} ({kode})"), ("tahun", str(tahun))],
                            f"Profil {names[kode]}, {tahun}", request.url_root.rstrip("/") + f"/wilayah/{kode}")
        return download(df, meta, PROFILE_COLUMNS, fmt, f"dtsen_profil_{kode}_{tahun}_{rel.id}")

    @server.route("/unduh/peta.<fmt>")
    def map_download(fmt: str):
        rel = queries.release()
        state, refusal = parse_download(fmt, state_from_release, rel)
        if refusal:
            return refusal
        df = queries.map_values(rel.id, state.indikator, state.tahun, state.tingkat, state.dimensi, state.kategori, state.induk)
        meta = map_meta(rel, state, request.url_root.rstrip("/") + "/peta?" + state.query())
        filename = f"dtsen_{state.indikator}_{state.tahun}_{state.tingkat}{'_' + state.induk if state.induk else ''}_{rel.id}"
        return download(df, meta, EXPORT_COLUMNS, fmt, filename)


TARGET_COLUMNS = ["kode_wilayah", "kode_bps", "nama", "nilai_awal", "nilai_akhir", "perubahan_teramati", "arah_perubahan", "perubahan_dibutuhkan", "skor", "status_target", "catatan"]
SEARCH_MAX_QUERY, SEARCH_MAX_LIMIT = 100, 50


def register_api(server: Flask) -> None:
    @server.route("/api/cari")
    def search_api():
        """Regions and indicators matching q, best first (the search box's machine twin)."""
        q = request.args.get("q", "")
        limit_text = request.args.get("batas", "10")
        if len(q.strip()) < 2:
            return bad_request("parameter q wajib diisi, paling sedikit 2 huruf")
        if len(q) > SEARCH_MAX_QUERY:
            return bad_request(f"parameter q paling panjang {SEARCH_MAX_QUERY} huruf")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= SEARCH_MAX_LIMIT:
            return bad_request(f"parameter batas harus bilangan bulat 1–{SEARCH_MAX_LIMIT}")
        t0 = time.perf_counter()
        hits = queries.search(q, int(limit_text))
        body = {"q": q, "hasil": [{"jenis": h.kind, "kode": h.key, "nama": h.label, "konteks": h.context, "url": h.href, "skor": round(h.score, 1)}
                                  for h in hits], "milidetik": round(1000 * (time.perf_counter() - t0), 1)}
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")

    @server.route("/unduh/target.<fmt>")
    def target_download(fmt: str):
        rel = queries.release()
        state, refusal = parse_download(fmt, tracker_state, rel)
        if refusal:
            return refusal
        ind = rel.catalog[state.indikator]
        data = queries.tracker(rel.id, ind.id, state.tingkat)
        df = data["regions"].assign(kode_bps=lambda d: d["kode_wilayah"].str.replace(".", "", regex=False))
        what = [("indikator", f"{ind.nama_id} ({ind.id})"), ("satuan", ind.satuan), ("sumber_angka", "angka resmi BPS" if ind.official else "register DTSEN"),
                ("target", f"{data['target'].text} pada {data['target_year']} ({data['target_row']['dokumen']})"),
                ("tahun_dasar", str(data["region_years"][0])), ("tahun_terakhir", str(data["region_years"][1])), ("tingkat", LEVEL_NAMES[state.tingkat]),
                ("status_target", "tercapai = sudah tercapai; menuju = menuju target; perlu_perhatian = perlu perhatian khusus; tidak_diketahui = dilindungi/tidak tersedia")]
        meta = release_meta(rel, what, f"Capaian target {ind.nama_id}", request.url_root.rstrip("/") + "/target?" + state.query())
        return download(df, meta, TARGET_COLUMNS, fmt, f"dtsen_target_{ind.id}_{state.tingkat}_{rel.id}")


def parse_download(fmt: str, parser, rel):
    """(state, None) for a good download URL; (None, a 404/400 with the reason) otherwise."""
    if fmt not in FORMATS:
        return None, unknown_format(fmt)
    try:
        return parser(request.args, rel), None
    except StateError as exc:
        return None, Response(exc.message + "\n", status=exc.status, mimetype="text/plain")


def bad_request(reason: str) -> Response:
    return Response(json.dumps({"galat": reason}, ensure_ascii=False), status=400, mimetype="application/json")


FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def unknown_format(fmt: str) -> Response:
    return Response(f"Format '{fmt}' tidak tersedia; pilih csv atau xlsx.\n", status=404, mimetype="text/plain")


def download(df, meta, columns, fmt: str, stem: str) -> Response:
    """The same rows and header lines as CSV (BOM, so Excel reads UTF-8) or as XLSX."""
    body = "\ufeff" + csv_with_header(df, meta, columns) if fmt == "csv" else xlsx_with_meta(df, meta, columns)
    return Response(body, mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
