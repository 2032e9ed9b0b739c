"""The open read API, /api/v1: releases, indicators, regions and values, as JSON or CSV.

GET only, CORS open, an ETag per release and query (304 on If-None-Match), caching long for a
pinned release and short for the current one. Values come in a stable order with keyset
pagination (`_next`, also a `Link: rel="next"` header) and a bounded page size. A protected
cell comes back as on the pages: `nilai`, `pembilang` and `penyebut` null, with its status.
Every malformed query gets 400 with the reason, in Bahasa Indonesia or, with
`Accept-Language: en`, in English. The OpenAPI 3.1 description is at /api/v1/openapi.json and a
readable page at /api/v1/dokumentasi (served from here, no CDN).
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json

import pandas as pd
from flask import Flask, Response, request

from components.i18n import N_, Names
from components.links import api_url, release_url
from data import queries
from data.cache import cache
from data.catalog import CATEGORIES, LEVELS
from web.openapi import VALUE_COLUMNS, openapi_document, render_docs

MAX_PAGE, DEFAULT_PAGE = 1000, 100
MAX_PAGE_PARQUET = 100_000  # a whole indicator at kecamatan level in one typed file
PARQUET = "application/vnd.apache.parquet"
VALUE_PARAMS = {"indikator", "tahun", "tingkat", "induk", "kode", "dimensi", "kategori", "rilis", "format", "batas", "_next"}
REGION_PARAMS = {"tingkat", "induk", "kode", "rilis", "format"}
LIST_PARAMS = {"rilis", "format"}
ORDER = ("tahun", "kode_wilayah", "dimensi", "kategori")  # the values' stable order (and the keyset)

# Each refusal's reason, in the language the request chose (web/lang.py: Accept-Language, or ?lang=
# on a page; the API takes no lang parameter). English lives in the message catalogue.
MESSAGES = Names({
    "unknown_param": N_("parameter tidak dikenal: {x}; yang dikenal: {ok}"),
    "need_indicator": N_("parameter indikator wajib diisi (lihat {url})"),
    "bad_indicator": N_("indikator '{x}' tidak ada di rilis ini"),
    "bad_year": N_("tahun harus salah satu dari {ok}, bukan '{x}'"),
    "bad_level": N_("tingkat harus salah satu dari {ok}, bukan '{x}'"),
    "bad_breakdown": N_("dimensi harus salah satu dari {ok}, bukan '{x}'"),
    "bad_category": N_("kategori '{x}' tidak ada dalam dimensi {d}; pilih {ok}"),
    "bad_category_any": N_("kategori '{x}' tidak ada dalam dimensi mana pun; pilih {ok}"),
    "repeated_param": N_("parameter {x} diberikan lebih dari sekali; berikan sekali"),
    "no_route": N_("tidak ada sumber {x}; lihat {ok}"),
    "get_only": N_("API ini hanya menjawab GET"),
    "bad_region": N_("kode wilayah '{x}' tidak dikenal"),
    "bad_format": N_("format harus json, csv atau parquet, bukan '{x}'"),
    "bad_page": N_("batas harus bilangan bulat 1–{ok}, bukan '{x}'"),
    "bad_token": N_("_next tidak sah: pakai nilai _next dari jawaban sebelumnya"),
})


class ApiError(ValueError):
    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, {k: str(v) for k, v in fields.items()}

    def text(self) -> str:
        return MESSAGES[self.key].format(**self.fields)


def _check_params(allowed: set[str]) -> None:
    for key in request.args:
        if key not in allowed:
            raise ApiError("unknown_param", x=key, ok=", ".join(sorted(allowed)))
        if len(request.args.getlist(key)) > 1:  # tahun=2025&tahun=2024 must not quietly mean 2025
            raise ApiError("repeated_param", x=key)


def _format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv", "parquet"):
        raise ApiError("bad_format", x=fmt)
    return fmt


def value_filters(rel) -> dict:
    """The query's filters, checked against this release (ApiError with the reason otherwise)."""
    a = request.args
    ind = a.get("indikator")
    if not ind:
        raise ApiError("need_indicator", url=api_url("indikator"))
    if ind not in rel.catalog:
        raise ApiError("bad_indicator", x=ind)
    out = {"indicator_id": ind}
    if "tahun" in a:
        years = queries.indicator_years(rel, ind)
        if not a["tahun"].isdigit() or int(a["tahun"]) not in years:
            raise ApiError("bad_year", x=a["tahun"], ok=", ".join(map(str, years)))
        out["tahun"] = int(a["tahun"])
    if "tingkat" in a:
        if a["tingkat"] not in LEVELS:
            raise ApiError("bad_level", x=a["tingkat"], ok=", ".join(LEVELS))
        out["tingkat"] = a["tingkat"]
    if "dimensi" in a:
        if a["dimensi"] not in CATEGORIES:
            raise ApiError("bad_breakdown", x=a["dimensi"], ok=", ".join(CATEGORIES))
        out["dimensi"] = a["dimensi"]
    if "kategori" in a:
        allowed = CATEGORIES[out.get("dimensi", "total")] if "dimensi" in out else tuple(c for cs in CATEGORIES.values() for c in cs)
        if a["kategori"] not in allowed:
            if "dimensi" in out:
                raise ApiError("bad_category", x=a["kategori"], d=out["dimensi"], ok=", ".join(allowed))
            raise ApiError("bad_category_any", x=a["kategori"], ok=", ".join(allowed))
        out["kategori"] = a["kategori"]
    for key in ("kode", "induk"):
        if key in a:
            if rel.region(a[key]) is None:
                raise ApiError("bad_region", x=a[key])
            out[key] = a[key]
    return out


def _page_size(fmt: str = "json") -> int:
    """Rows per page: up to MAX_PAGE as JSON or CSV; parquet is for large reads, up to MAX_PAGE_PARQUET."""
    most, default = (MAX_PAGE_PARQUET, MAX_PAGE_PARQUET) if fmt == "parquet" else (MAX_PAGE, DEFAULT_PAGE)
    text = request.args.get("batas", str(default))
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise ApiError("bad_page", x=text, ok=most)
    return int(text)


def _token(last: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps([last[k] for k in ORDER]).encode()).decode().rstrip("=")


def _after(token: str) -> list:
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not (isinstance(key, list) and len(key) == len(ORDER) and isinstance(key[0], int) and all(isinstance(k, str) for k in key[1:])):
            raise ValueError
        return key
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError("bad_token") from None


def value_rows(rel, filters: dict, limit: int, after: list | None) -> list[dict]:
    """One page of values in the stable order (tahun, kode_wilayah, dimensi, kategori)."""
    where, params = ["c.indicator_id = ?"], [filters["indicator_id"]]
    for col in ("tahun", "tingkat", "dimensi", "kategori"):
        if col in filters:
            where.append(f"c.{col} = ?")
            params.append(filters[col])
    if "kode" in filters:
        where.append("c.kode_wilayah = ?")
        params.append(filters["kode"])
    if "induk" in filters:
        where.append("(c.kode_wilayah LIKE ? OR ? = '00')")
        params += [filters["induk"] + ".%", filters["induk"]]
    if after:
        # Keyset: strictly after the last row of the previous page, in the same order.
        where.append("(c.tahun > ? OR (c.tahun = ? AND (c.kode_wilayah > ? OR (c.kode_wilayah = ? AND (c.dimensi > ? OR "
                     "(c.dimensi = ? AND c.kategori > ?))))))")
        t, k, d, cat = after
        params += [t, t, k, k, d, d, cat]
    sql = ("SELECT c.indicator_id, c.tahun::INTEGER, c.kode_wilayah, c.tingkat, c.dimensi, c.kategori, c.nilai, c.status, "
           "c.pembilang, c.penyebut, c.periode FROM cells c WHERE " + " AND ".join(where) +
           " ORDER BY c.tahun, c.kode_wilayah, c.dimensi, c.kategori LIMIT ?")
    cur = rel._con.cursor()  # tuples straight from DuckDB: a DataFrame round trip cost more than the query
    try:
        found = cur.execute(sql, params + [limit + 1]).fetchall()
    finally:
        cur.close()
    names = rel.names_by_code
    rows = []
    for ind, tahun, kode, tingkat, dim, cat, nilai, status, num, den, periode in found:
        shown = status == "ok"  # a protected or NA cell: null, never 0, as on the pages
        bps, nama = names.get(kode, (kode, "Indonesia"))
        rows.append({"indicator_id": ind, "tahun": tahun, "kode_wilayah": kode, "kode_bps": bps, "nama": nama, "tingkat": tingkat, "dimensi": dim,
                     "kategori": cat, "nilai": _finite(nilai) if shown else None, "status": status,
                     "pembilang": int(round(num)) if shown and _finite(num) is not None else None,
                     "penyebut": int(round(den)) if shown and _finite(den) is not None else None, "periode": periode})
    return rows


@cache.memoize()
def cached_value_rows(release_id: str, filters_json: str, limit: int, after_json: str) -> list[dict]:
    """value_rows through the shared query cache: a release never changes, so the same query has the
    same page (the key holds the release id; many readers ask for the same views)."""
    return value_rows(queries.release(), json.loads(filters_json), limit, json.loads(after_json))


def _finite(v):
    return None if v is None or v != v else float(v)


def _respond(rel, payload: dict, rows: list[dict], columns: list[str], fmt: str, next_url: str | None = None) -> Response:
    etag = hashlib.sha1(f"{rel.id}|{request.path}|{sorted(request.args.items(multi=True))}".encode()).hexdigest()
    headers = {"Access-Control-Allow-Origin": "*", "ETag": f'"{etag}"', "Vary": "Accept-Language"}  # Cache-Control: web/headers.py
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304, headers=headers)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
        return Response(buf.getvalue(), mimetype="text/csv", headers=headers)
    if fmt == "parquet":  # typed columns; the next page's token travels in the Link header
        out = io.BytesIO()
        pd.DataFrame(rows, columns=columns).to_parquet(out, index=False)
        if payload.get("_next"):
            headers["X-Next"] = payload["_next"]
        return Response(out.getvalue(), mimetype=PARQUET, headers=headers)
    body = {"rilis": rel.id, "sintetis": rel.synthetic, **payload, "data": rows}
    return Response(json.dumps(body, ensure_ascii=False, default=str), mimetype="application/json", headers=headers)


def _bad(exc: ApiError) -> Response:
    return Response(json.dumps({"galat": exc.text()}, ensure_ascii=False), status=400, mimetype="application/json",
                    headers={"Access-Control-Allow-Origin": "*"})


def register_api_v1(server: Flask) -> None:
    @server.after_request
    def _cors(resp: Response) -> Response:
        # Any site's scripts may read the API: the answer, and the headers paging relies on.
        if request.path.startswith("/api/v1"):
            resp.headers["Access-Control-Allow-Origin"] = "*"
            resp.headers["Access-Control-Expose-Headers"] = "Link, X-Next, ETag"
            if request.method == "OPTIONS":  # a preflight
                resp.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
                resp.headers["Access-Control-Allow-Headers"] = "If-None-Match, Accept-Language"
                resp.headers["Access-Control-Max-Age"] = "86400"
        return resp

    @server.route("/api/v1/")
    @server.route("/api/v1")
    def api_index():
        return Response(json.dumps({"openapi": api_url("openapi.json"), "dokumentasi": api_url("dokumentasi"),
                                    "sumber": [api_url(r) for r in ("rilis", "indikator", "wilayah", "nilai")]}),
                        mimetype="application/json", headers={"Access-Control-Allow-Origin": "*"})

    @server.route("/api/v1/<path:unknown>")
    def api_unknown(unknown: str):
        # Inside the API every answer is JSON, also for a path that is not there.
        exc = ApiError("no_route", x=f"/api/v1/{unknown}", ok=api_url("openapi.json"))
        return Response(json.dumps({"galat": exc.text()}, ensure_ascii=False), status=404, mimetype="application/json")

    @server.errorhandler(405)
    def _method_not_allowed(err):
        if request.path.startswith("/api/v1"):
            return Response(json.dumps({"galat": ApiError("get_only").text()}, ensure_ascii=False), status=405,
                            mimetype="application/json", headers={"Allow": "GET, OPTIONS"})
        return err

    @server.route("/api/v1/openapi.json")
    def api_openapi():
        return Response(json.dumps(openapi_document(), ensure_ascii=False, indent=1), mimetype="application/json",
                        headers={"Access-Control-Allow-Origin": "*"})

    @server.route("/api/v1/dokumentasi")
    def api_docs():
        return Response(render_docs(openapi_document()), mimetype="text/html")

    @server.route("/api/v1/rilis")
    def api_releases():
        try:
            _check_params(LIST_PARAMS)
            fmt = _format()
        except ApiError as exc:
            return _bad(exc)
        rows = [{"id": e["id"], "dibuat": e["manifest"].get("dibuat", ""), "berlaku": e["current"], "ditarik": bool(e["withdrawn"]),
                 "alasan_penarikan": (e["withdrawn"] or {}).get("alasan"), "sintetis": e["manifest"].get("sintetis", True),
                 "url": release_url(e["id"])} for e in queries.store().listing()]
        return _respond(queries.release(), {}, rows, list(rows[0]) if rows else ["id"], fmt)

    @server.route("/api/v1/indikator")
    def api_indicators():
        try:
            _check_params(LIST_PARAMS)
            fmt = _format()
        except ApiError as exc:
            return _bad(exc)
        rel = queries.release()
        rows = [{"id": i.id, "nama": i.nama_id, "nama_en": i.nama_en, "domain": i.domain, "definisi": i.definisi, "rumus": i.rumus,
                 "satuan": i.satuan, "desimal": i.desimal, "arah": i.arah, "kode_sdg": i.kode_sdg, "resmi_bps": i.official,
                 "dimensi": ",".join(i.dimensi), "tingkat": ",".join(queries.indicator_levels(rel, i.id)),
                 "tahun": ",".join(map(str, queries.indicator_years(rel, i.id)))} for i in rel.catalog.values()]
        return _respond(rel, {}, rows, list(rows[0]), fmt)

    @server.route("/api/v1/wilayah")
    def api_regions():
        rel = queries.release()
        try:
            _check_params(REGION_PARAMS)
            fmt = _format()
            df = rel.regions
            if "tingkat" in request.args:
                if request.args["tingkat"] not in LEVELS:
                    raise ApiError("bad_level", x=request.args["tingkat"], ok=", ".join(LEVELS))
                df = df[df["tingkat"] == request.args["tingkat"]]
            for key in ("induk", "kode"):
                if key in request.args and rel.region(request.args[key]) is None:
                    raise ApiError("bad_region", x=request.args[key])
            if "induk" in request.args and request.args["induk"] != "00":
                df = df[df["kode"].str.startswith(request.args["induk"] + ".")]
            if "kode" in request.args:
                df = df[df["kode"] == request.args["kode"]]
        except ApiError as exc:
            return _bad(exc)
        cols = ["kode", "kode_bps", "nama", "tingkat", "kode_induk"]
        rows = df[cols].astype(object).where(df[cols].notna(), None).to_dict("records")
        return _respond(rel, {}, rows, cols, fmt)

    @server.route("/api/v1/nilai")
    def api_values():
        rel = queries.release()
        try:
            _check_params(VALUE_PARAMS)
            fmt = _format()
            filters = value_filters(rel)
            limit = _page_size(fmt)
            after = _after(request.args["_next"]) if "_next" in request.args else None
        except ApiError as exc:
            return _bad(exc)
        rows = cached_value_rows(rel.id, json.dumps(filters, sort_keys=True), limit, json.dumps(after))
        next_url = token = None
        if len(rows) > limit:
            rows = rows[:limit]
            token = _token(rows[-1])
            args = {k: v for k, v in request.args.items() if k != "_next"}
            next_url = api_url("nilai", **args, _next=token)
        return _respond(rel, {"_next": token, "jumlah": len(rows)}, rows, VALUE_COLUMNS, fmt, next_url)
