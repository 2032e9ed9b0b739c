"""Plain Flask routes: release geometry (cacheable, immutable per release id) and CSV twins."""
from __future__ import annotations

from flask import Flask, Response, abort, request

from components.export import EXPORT_COLUMNS, citation, csv_with_header, xlsx_with_meta
from data import queries
from web.state import LEVEL_NAMES, StateError, state_from_release

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
        if fmt not in FORMATS:
            return unknown_format(fmt)
        rel = queries.release()
        try:
            state = state_from_release(request.args, rel)
        except StateError as exc:
            return Response(exc.message + "\n", status=exc.status, mimetype="text/plain")
        df = queries.map_values(rel.id, state.indikator, state.tahun, state.tingkat, state.dimensi, state.kategori, state.induk)
        meta = map_meta(rel, state, request.url_root.rstrip("/") + "/peta?" + state.query())
        filename = f"dtsen_{state.indikator}_{state.tahun}_{state.tingkat}{'_' + state.induk if state.induk else ''}_{rel.id}"
        return download(df, meta, EXPORT_COLUMNS, fmt, filename)


FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def unknown_format(fmt: str) -> Response:
    return Response(f"Format '{fmt}' tidak tersedia; pilih csv atau xlsx.\n", status=404, mimetype="text/plain")


def download(df, meta, columns, fmt: str, stem: str) -> Response:
    """The same rows and header lines as CSV (BOM, so Excel reads UTF-8) or as XLSX."""
    body = "\ufeff" + csv_with_header(df, meta, columns) if fmt == "csv" else xlsx_with_meta(df, meta, columns)
    return Response(body, mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
