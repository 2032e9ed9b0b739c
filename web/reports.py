"""Reports from readers (/lapor): a plain HTML form POSTed without any script, kept in a local SQLite
file. No e-mail service, no IP address, no user agent, no cookie: only what the reader typed, the
minute (UTC) and the release being served.

Safe without a CSRF cookie: a report changes nothing but adds a row, and a browser's POST from another
site is refused by its Origin (or Sec-Fetch-Site) header; a hidden honeypot field catches form-filling
bots (accepted silently, never stored); every field has a length cap; nginx rate-limits the stack.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, redirect, request

from components.i18n import N_, Names, _, language, use_language
from components.links import REPORT, report_url
from data import queries
from web.public_url import site_root

ENV = "DTSEN_REPORTS_DB"
KINDS = Names({"masalah_data": N_("Masalah pada data atau angka"), "batas_wilayah": N_("Batas atau kode wilayah"),
         "situs": N_("Masalah pada situs"), "pertanyaan": N_("Pertanyaan"), "lainnya": N_("Lainnya")})
LIMITS = {"jenis": 40, "halaman": 500, "pesan": 4000, "nama": 100, "kontak": 200}
REQUIRED = ("jenis", "pesan")
HONEYPOT = "situs_web"  # hidden from people; a bot filling every field fills it
NUMBER = "nomor"        # the thank-you page's query parameter: the report's reference number
NUMBER_LEN = 18         # LP-20261201-ab12cd
TEXT = Names({
    "too_long": N_("isian '{field}' paling panjang {limit} karakter (terkirim {got})"),
    "missing": N_("isian '{field}' wajib diisi"),
    "bad_kind": N_("jenis laporan tidak dikenal; pilih salah satu dari: {kinds}"),
    "bad_control": N_("isian '{field}' berisi karakter kendali"),
    "cross_site": N_("laporan hanya dapat dikirim dari formulir di situs ini"),
    "title": N_("Laporan belum terkirim"),
    "back": N_("Kembali ke formulir"),
    "unavailable": N_("Laporan sedang tidak dapat disimpan; coba lagi dalam beberapa menit."),
})


def db_path() -> Path:
    """DTSEN_REPORTS_DB, else laporan.sqlite3 beside the usage counts' file (git-ignored)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    from web.usage_store import DEFAULT_DB

    return Path(os.environ.get("DTSEN_USAGE_DB") or DEFAULT_DB).with_name("laporan.sqlite3")


SCHEMA = ("CREATE TABLE IF NOT EXISTS laporan (nomor TEXT PRIMARY KEY, waktu TEXT NOT NULL, jenis TEXT NOT NULL, halaman TEXT, "
          "pesan TEXT NOT NULL, nama TEXT, kontak TEXT, rilis TEXT)")
COLUMNS = ("nomor", "waktu", "jenis", "halaman", "pesan", "nama", "kontak", "rilis")


def connect(path: Path | None = None) -> sqlite3.Connection:
    path = path or db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=5)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(SCHEMA)
    return con


class Refused(ValueError):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Report:
    jenis: str
    halaman: str
    pesan: str
    nama: str
    kontak: str


def parse(form) -> Report:
    """The form's fields checked: required ones present, each within its cap, no control characters
    but line breaks in the message, a kind from KINDS. Raises Refused(400, reason)."""
    values = {}
    for field, limit in LIMITS.items():
        value = (form.get(field) or "").replace("\r\n", "\n").strip()
        if len(value) > limit:
            raise Refused(400, TEXT["too_long"].format(field=field, limit=limit, got=len(value)))
        if field in REQUIRED and not value:
            raise Refused(400, TEXT["missing"].format(field=field))
        if any(ord(c) < 32 and not (field == "pesan" and c in "\n\t") for c in value):
            raise Refused(400, TEXT["bad_control"].format(field=field))
        values[field] = value
    if values["jenis"] not in KINDS:
        raise Refused(400, TEXT["bad_kind"].format(kinds=", ".join(KINDS)))
    return Report(**values)


def same_origin(headers, served_at: str | None = None) -> bool:
    """A browser names where a POST comes from: Origin (or Sec-Fetch-Site). A form on another site is
    refused; a request naming neither (curl, an old browser) is let through: it is no cross-site forgery.
    served_at: the address this request reached (its scheme and Host): a form posted from the page it
    was served on is the site's own, even where the site runs under an address other than
    DTSEN_PUBLIC_URL (a gunicorn on another port). Another site's page cannot choose the Host its
    reader's browser sends, so this opens nothing to forgery."""
    origin = headers.get("Origin")
    if origin and origin != "null":
        theirs = urlsplit(origin)
        own = [urlsplit(site_root())] + ([urlsplit(served_at)] if served_at else [])
        return any((theirs.scheme, theirs.netloc) == (o.scheme, o.netloc) for o in own)
    return headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


def store(report: Report, release_id: str, path: Path | None = None) -> str:
    """Keep one report; its reference number (LP-<date>-<6 hex>)."""
    now = dt.datetime.now(dt.timezone.utc)
    with connect(path) as con:
        for _ in range(5):
            number = f"LP-{now:%Y%m%d}-{secrets.token_hex(3)}"
            try:
                con.execute(f"INSERT INTO laporan ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                            (number, now.strftime("%Y-%m-%dT%H:%MZ"), report.jenis, report.halaman, report.pesan, report.nama,
                             report.kontak, release_id))
                return number
            except sqlite3.IntegrityError:
                continue
    raise RuntimeError("no free reference number")


def valid_number(value) -> bool:
    return isinstance(value, str) and len(value) == NUMBER_LEN and value.startswith("LP-") and value[3:11].isdigit() \
        and value[11] == "-" and all(c in "0123456789abcdef" for c in value[12:])


def refusal_page(status: int, reason: str) -> Response:
    """The reason in a whole small page (no script), with the way back to the form."""
    title, site = escape(TEXT["title"]), escape(_("Portal Data DTSEN Terbuka"))
    back = report_url(lang=language()) if language() != "id" else report_url()
    body = (f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title} — {site}</title></head><body><main>'
            f'<h1>{title}</h1><p id="lapor-galat">{escape(reason)}.</p><p><a href="{escape(back)}">{escape(TEXT["back"])}</a></p>'
            f"</main></body></html>")
    return Response(body, status=status, mimetype="text/html")


def register_reports(server: Flask) -> None:
    @server.route(REPORT, methods=["POST"])
    def report_post():
        # The form carries its page's ?lang= as a hidden field (web/ssr.py): answer and thank in it.
        lang = request.form.get("lang")
        if lang not in ("id", "en"):
            return _report_post()
        with use_language(lang):
            resp = _report_post()
        if resp.status_code == 303:
            resp.location += f"&lang={lang}"
        return resp

    def _report_post():
        if not same_origin(request.headers, request.host_url):
            return refusal_page(403, TEXT["cross_site"])
        if request.form.get(HONEYPOT):  # a bot: thanked as anyone, nothing kept
            return redirect(report_url(**{NUMBER: f"LP-{dt.datetime.now(dt.timezone.utc):%Y%m%d}-{secrets.token_hex(3)}"}), code=303)
        try:
            report = parse(request.form)
        except Refused as exc:
            return refusal_page(exc.status, exc.reason)
        try:
            number = store(report, queries.release().id)
        except (sqlite3.Error, OSError):
            return refusal_page(503, TEXT["unavailable"])
        return redirect(report_url(**{NUMBER: number}), code=303)  # the thank-you page (a reload sends nothing twice)
