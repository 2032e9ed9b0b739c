"""The OpenAPI 3.1 description of /api/v1, and a plain HTML page that reads it (no CDN)."""
from __future__ import annotations

from html import escape

from components.links import api_url, home_url
from data.catalog import CATEGORIES, LEVELS
from data.contract import STATUSES

VALUE_COLUMNS = ["indicator_id", "tahun", "kode_wilayah", "kode_bps", "nama", "tingkat", "dimensi", "kategori", "nilai", "status",
                 "pembilang", "penyebut", "periode"]


def _param(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


RILIS = _param("rilis", f"Kode rilis (lihat {api_url('rilis')}); tanpa ini, rilis yang berlaku. Rilis yang ditarik menjawab 410.", {"type": "string"})
FORMAT = _param("format", "json (bawaan), csv, atau parquet (untuk bacaan besar: `batas` sampai 100.000 baris; token halaman berikut di "
                          "header `Link` dan `X-Next`)", {"type": "string", "enum": ["json", "csv", "parquet"]})
NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}


def _list_response(item: dict, extra: dict | None = None) -> dict:
    props = {"rilis": {"type": "string"}, "sintetis": {"type": "boolean"}, "data": {"type": "array", "items": item}, **(extra or {})}
    return {"description": "OK",
            "content": {"application/json": {"schema": {"type": "object", "required": ["rilis", "sintetis", "data"], "properties": props}},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}


ERROR = {"description": "Permintaan salah; alasannya di `galat`",
         "content": {"application/json": {"schema": {"type": "object", "required": ["galat"], "properties": {"galat": {"type": "string"}}}}}}
GONE = {"description": "Rilis ditarik; alasannya di `galat`", "content": ERROR["content"]}
NOT_FOUND = {"description": "Rilis tidak ada", "content": ERROR["content"]}


def openapi_document() -> dict:
    value_item = {"type": "object", "required": VALUE_COLUMNS, "properties": {
        "indicator_id": {"type": "string"}, "tahun": {"type": "integer"}, "kode_wilayah": {"type": "string"}, "kode_bps": {"type": "string"},
        "nama": {"type": "string"}, "tingkat": {"type": "string", "enum": list(LEVELS)}, "dimensi": {"type": "string", "enum": list(CATEGORIES)},
        "kategori": {"type": "string"}, "nilai": {**NULLABLE_NUMBER, "description": "null bila dilindungi (S1/S2) atau tidak berlaku (NA), tidak pernah 0"},
        "status": {"type": "string", "enum": STATUSES}, "pembilang": NULLABLE_NUMBER, "penyebut": NULLABLE_NUMBER, "periode": NULLABLE_STRING}}
    region_item = {"type": "object", "required": ["kode", "kode_bps", "nama", "tingkat", "kode_induk"], "properties": {
        "kode": {"type": "string", "description": "kode Kemendagri bertitik (32.05)"}, "kode_bps": {"type": "string", "description": "kode BPS tanpa titik (3205)"},
        "nama": {"type": "string"}, "tingkat": {"type": "string"}, "kode_induk": NULLABLE_STRING}}
    common = {"400": ERROR, "404": NOT_FOUND, "410": GONE}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Portal Data DTSEN Terbuka — API baca", "version": "1",
                 "description": "Data DTSEN tingkat terbuka: indikator agregat per wilayah dan tahun, dengan pengendalian pengungkapan. "
                                "Sel yang dilindungi berisi nilai null beserta statusnya. Rilis demo berisi data SINTETIS.",
                 "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"}},
        "servers": [{"url": "/"}],
        "paths": {
            api_url("rilis"): {"get": {"summary": "Semua rilis", "operationId": "rilis", "parameters": [FORMAT],
                                      "responses": {"200": _list_response({"type": "object", "required": ["id", "dibuat", "berlaku", "ditarik"]}), "400": ERROR}}},
            api_url("indikator"): {"get": {"summary": "Katalog indikator", "operationId": "indikator", "parameters": [RILIS, FORMAT],
                                          "responses": {"200": _list_response({"type": "object", "required": ["id", "nama", "satuan", "desimal"]}), **common}}},
            api_url("wilayah"): {"get": {"summary": "Wilayah dengan kedua kode (Kemendagri dan BPS)", "operationId": "wilayah",
                                        "parameters": [_param("tingkat", "tingkat wilayah", {"type": "string", "enum": list(LEVELS)}),
                                                       _param("induk", "kode wilayah induk", {"type": "string"}),
                                                       _param("kode", "satu kode wilayah", {"type": "string"}), RILIS, FORMAT],
                                        "responses": {"200": _list_response(region_item), **common}}},
            api_url("nilai"): {"get": {
                "summary": "Nilai indikator per wilayah, tahun dan rincian",
                "description": "Urutan tetap (tahun, kode_wilayah, dimensi, kategori); halaman berikutnya lewat `_next` (juga header `Link`).",
                "operationId": "nilai",
                "parameters": [
                    _param("indikator", f"id indikator (lihat {api_url('indikator')})", {"type": "string"}, required=True),
                    _param("tahun", "tahun", {"type": "integer"}),
                    _param("tingkat", "tingkat wilayah", {"type": "string", "enum": list(LEVELS)}),
                    _param("induk", "hanya wilayah di dalam kode ini", {"type": "string"}),
                    _param("kode", "satu wilayah", {"type": "string"}),
                    _param("dimensi", "rincian", {"type": "string", "enum": list(CATEGORIES)}),
                    _param("kategori", "kategori rincian", {"type": "string"}),
                    _param("batas", "baris per halaman: json/csv 1–1000 (bawaan 100); parquet 1–100.000 (bawaan 100.000)",
                           {"type": "integer", "minimum": 1, "maximum": 100000}),
                    _param("_next", "penanda halaman berikutnya dari jawaban sebelumnya", {"type": "string"}),
                    RILIS, FORMAT],
                "responses": {"200": _list_response(value_item, {"_next": NULLABLE_STRING, "jumlah": {"type": "integer"}}), "304": {"description": "Tidak berubah (ETag)"},
                              **common}}},
        },
    }


def render_docs(doc: dict) -> str:
    """A readable page of the API from its OpenAPI document (served locally; no Swagger CDN)."""
    parts = []
    for path, ops in doc["paths"].items():
        op = ops["get"]
        params = "".join(f"<li><code>{escape(p['name'])}</code>{' (wajib)' if p.get('required') else ''}: {escape(p['description'])}</li>"
                         for p in op.get("parameters", []))
        parts.append(f'<section><h2><code>GET {escape(path)}</code></h2><p>{escape(op["summary"])}. {escape(op.get("description", ""))}</p>'
                     f'<ul>{params}</ul><p>Contoh: <a href="{escape(path)}">{escape(path)}</a></p></section>')
    return ('<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>API baca — Portal Data DTSEN Terbuka</title><style>body{font-family:sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;'
            'line-height:1.5}code{background:#f1f3f5;padding:0 .2rem}a{color:#0a58ca}</style></head><body>'
            f'<h1>API baca, versi 1</h1><p>{escape(doc["info"]["description"])}</p>'
            '<p>Semua permintaan GET, terbuka untuk semua asal (CORS), dengan ETag. Tambahkan <code>rilis=&lt;kode&gt;</code> agar jawaban '
            'tidak pernah berubah. Permintaan yang salah dijawab 400 dengan alasannya (bahasa Inggris dengan <code>Accept-Language: en</code>). '
            f'Deskripsi mesin: <a href="{api_url("openapi.json")}">{api_url("openapi.json")}</a> (OpenAPI 3.1).</p>' + "".join(parts) +
            f'<p><a href="{home_url()}">Kembali ke portal</a></p></body></html>')
