"""Downloads: exactly the rows shown, in files a program reads with its defaults.

Every file starts with its header row, so `pandas.read_csv(url)` and
`pandas.read_excel(url)` give the table as it is on the page. What a file is
(release, licence, citation, the synthetic warning) travels two ways: a `sumber`
column on every row (so the warning cannot be cut off the numbers) and a metadata
record: the XLSX's second sheet 'keterangan', the same URL with `.meta.json`, or,
for people who want one text file, `?meta=1` puts it above the CSV as `#` lines.

Numbers are written as the catalogue says: a value with the indicator's decimals
("3.80", not "3.8"), counts as whole numbers ("5373200", never "5373200.0"), and
a protected value as an empty cell, never 0. CSV uses a decimal point (RFC 4180);
the XLSX stores numbers as numbers with the same decimals shown, whatever Excel's
locale, so the page offers XLSX first for people and CSV for programs.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from urllib.parse import quote

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from components.i18n import N_, _, pgettext

STATUS_WORDS = {
    "ok": N_("dipublikasikan"),
    "S1": N_("dilindungi: terlalu sedikit rumah tangga atau orang di sel, atau di antara yang dihitung atau yang tidak dihitung indikator (S1)"),
    "S2": N_("dilindungi: agar sel kecil lain tidak bisa dihitung dari selisih (S2)"),
    "NA": N_("tidak berlaku: tidak ada yang termasuk di dalam sel (NA)"),
}
COUNT_COLUMNS = ("pembilang", "penyebut")
NOT_APPLICABLE = "tidak_berlaku"  # the release's status NA, as a download writes it


def not_applicable() -> str:
    """The status NA as a download in the current language writes it (a word, never 'NA')."""
    return pgettext("status", "tidak_berlaku")


def column_headers() -> dict[str, str]:
    """Each download column's header in the current language. The Indonesian names are the default
    every program reads (README); ?lang=en gives English headers. Context 'kolom' in the catalogue."""
    return {
        "tahun": pgettext("kolom", "tahun"), "kode_wilayah": pgettext("kolom", "kode_wilayah"), "kode_bps": pgettext("kolom", "kode_bps"),
        "nama": pgettext("kolom", "nama"), "indicator_id": pgettext("kolom", "indicator_id"), "indikator": pgettext("kolom", "indikator"),
        "rincian": pgettext("kolom", "rincian"), "kategori": pgettext("kolom", "kategori"), "nilai": pgettext("kolom", "nilai"),
        "satuan": pgettext("kolom", "satuan"), "status": pgettext("kolom", "status"), "keterangan_status": pgettext("kolom", "keterangan_status"),
        "pembilang": pgettext("kolom", "pembilang"), "penyebut": pgettext("kolom", "penyebut"), "periode": pgettext("kolom", "periode"),
        "sumber": pgettext("kolom", "sumber"), "bagian": pgettext("kolom", "bagian"), "nilai_awal": pgettext("kolom", "nilai_awal"),
        "nilai_akhir": pgettext("kolom", "nilai_akhir"), "perubahan_teramati": pgettext("kolom", "perubahan_teramati"),
        "arah_perubahan": pgettext("kolom", "arah_perubahan"), "perubahan_dibutuhkan": pgettext("kolom", "perubahan_dibutuhkan"),
        "skor": pgettext("kolom", "skor"), "status_target": pgettext("kolom", "status_target"), "kode_status": pgettext("kolom", "kode_status"),
        "catatan": pgettext("kolom", "catatan"), "hari": pgettext("kolom", "hari"), "jenis": pgettext("kolom", "jenis"),
        "tingkat": pgettext("kolom", "tingkat"), "format": pgettext("kolom", "format"), "jumlah": pgettext("kolom", "jumlah"),
    }


def meta_keys() -> dict[str, str]:
    """The metadata's keys (XLSX sheet 'keterangan', .meta.json, CSV '#' lines) in the current language."""
    return {
        "PERINGATAN": pgettext("kunci", "PERINGATAN"), "indikator": pgettext("kunci", "indikator"), "satuan": pgettext("kunci", "satuan"),
        "desimal": pgettext("kunci", "desimal"), "tahun": pgettext("kunci", "tahun"), "tingkat": pgettext("kunci", "tingkat"),
        "wilayah_induk": pgettext("kunci", "wilayah_induk"), "rincian": pgettext("kunci", "rincian"), "sumber": pgettext("kunci", "sumber"),
        "rilis": pgettext("kunci", "rilis"), "tanggal_rilis": pgettext("kunci", "tanggal_rilis"), "lisensi": pgettext("kunci", "lisensi"),
        "kutipan": pgettext("kunci", "kutipan"), "kutipan_apa": pgettext("kunci", "kutipan_apa"), "status": pgettext("kunci", "status"),
        "wilayah": pgettext("kunci", "wilayah"), "bagian": pgettext("kunci", "bagian"), "judul": pgettext("kunci", "judul"),
        "keterangan": pgettext("kunci", "keterangan"), "alamat": pgettext("kunci", "alamat"), "sumber_angka": pgettext("kunci", "sumber_angka"),
        "target": pgettext("kunci", "target"), "tahun_dasar": pgettext("kunci", "tahun_dasar"), "tahun_terakhir": pgettext("kunci", "tahun_terakhir"),
        "kode_status": pgettext("kunci", "kode_status"), "urutan": pgettext("kunci", "urutan"), "kolom": pgettext("kunci", "kolom"),
    }


def localised_meta(meta: list[tuple[str, str]]) -> list[tuple[str, str]]:
    keys = meta_keys()
    return [(keys.get(k, k), v) for k, v in meta]


def pinned_url(url: str, release_id: str) -> str:
    """The URL with ?rilis=<id>: it opens the same numbers after any later release."""
    if "rilis=" in url:
        return url
    return url + ("&" if "?" in url else "?") + f"rilis={release_id}"


def attachment(filename: str) -> str:
    """A Content-Disposition header that every server accepts: an ASCII name (gunicorn refuses
    a header with an en dash, answering 500), and the exact name as RFC 5987's filename*."""
    plain = filename.encode("ascii", "replace").decode().replace("?", "-").replace('"', "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"


def citation(release_id: str, title: str, url: str, created: str = "") -> str:
    """Plain text, pinned to the release (its id, date and a URL that keeps opening it)."""
    date = f", {created[:10]}" if created else ""
    return _("Portal Data DTSEN Terbuka (rilis {release}{date}): {title}. {url}").format(
        release=release_id, date=date, title=title, url=pinned_url(url, release_id))


def citation_apa(release_id: str, title: str, url: str, created: str = "", synthetic: bool = True, official: bool = False) -> str:
    """APA 7 style for a data set: author. (year). title [Data set, release]. publisher. URL
    An official BPS figure is BPS's data set, republished here: never called synthetic."""
    year = created[:4] or _("t.t.")
    if official:
        return _("Badan Pusat Statistik. ({year}). {title} [Data set; statistik resmi, disajikan ulang di rilis {release}]. "
                 "Portal Data DTSEN Terbuka. {url}").format(year=year, title=title, release=release_id, url=pinned_url(url, release_id))
    kind = _("Data set sintetis") if synthetic else _("Data set")
    return _("Kementerian PPN/Bappenas. ({year}). {title} [{kind}, rilis {release}]. Portal Data DTSEN Terbuka. {url}").format(
        year=year, title=title, kind=kind, release=release_id, url=pinned_url(url, release_id))


def _decimal_text(value, decimals: int) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.{int(decimals)}f}"


def _count_text(value) -> str:
    return "" if value is None or pd.isna(value) else str(int(round(float(value))))


def public_body(df: pd.DataFrame, columns: list[str], decimals: dict[str, object]) -> pd.DataFrame:
    """The rows to write: a protected `nilai` emptied, `keterangan_status` in words.
    `decimals` maps a numeric column to its decimals (an int, or a Series per row)."""
    body = df.copy()
    if "nilai" in body and "status" in body:
        body["nilai"] = body["nilai"].astype(object).where(body["status"] == "ok", None)
    if "status" in body:
        body["keterangan_status"] = body["status"].map({k: _(v) for k, v in STATUS_WORDS.items()}).fillna("")
        # 'NA' is read as a missing value by pandas, R and Excel alike: write the words instead.
        body["status"] = body["status"].replace({"NA": not_applicable()})
    body = body[columns]
    for col, dec in decimals.items():
        if col in body:
            per_row = dec if isinstance(dec, pd.Series) else pd.Series(dec, index=body.index)
            body[col] = [(_decimal_text(v, d), int(d)) for v, d in zip(body[col], per_row)]
    for col in COUNT_COLUMNS:
        if col in body and col not in decimals:
            body[col] = [(_count_text(v), 0) for v in body[col]]
    return body


def _plain(value):
    """A formatted cell (text, decimals) → its text; anything else as it is."""
    if isinstance(value, tuple):
        return value[0]
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


def plain_values(body: pd.DataFrame) -> pd.DataFrame:
    """The body as the CSV writes it: each formatted number its text."""
    return body.map(_plain)


def csv_text(body: pd.DataFrame, meta: list[tuple[str, str]] | None = None) -> str:
    """Header row first; with `meta`, the '# key: value' lines go above it (opt-in, ?meta=1)."""
    buf = io.StringIO()
    for key, value in meta or []:
        buf.write(f"# {key}: {value}\n")
    plain_values(body).to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue()


def view_zip_bytes(body: pd.DataFrame, meta: list[tuple[str, str]], columns: list[str], stem: str) -> bytes:
    """One view as Our World in Data packs a chart: the CSV, its metadata as JSON, and a README."""
    readme_text = ("\n".join(f"{k}: {v}" for k, v in meta) + "\n\n"
                   + _("Berkas: data.csv (baris pertama judul kolom; sel kosong = dilindungi, bukan nol), metadata.json.") + "\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}/data.csv", csv_text(body))
        z.writestr(f"{stem}/metadata.json", meta_json(meta, columns))
        z.writestr(f"{stem}/README.txt", readme_text)
    return buf.getvalue()


def meta_json(meta: list[tuple[str, str]], columns: list[str]) -> str:
    """The metadata record of a download (the `.meta.json` twin of every CSV/XLSX URL)."""
    record: dict = {meta_keys()["kolom"]: columns}
    for key, value in meta:  # a key given more than once (an official figure's sources, one per year) is a list
        if key in record:
            record[key] = (record[key] if isinstance(record[key], list) else [record[key]]) + [value]
        else:
            record[key] = value
    return json.dumps(record, ensure_ascii=False, indent=1)


def xlsx_bytes(body: pd.DataFrame, meta: list[tuple[str, str]]) -> bytes:
    """Sheet 'data' (header on row 1, numbers as numbers shown with their decimals, a protected
    value an empty cell) and sheet 'keterangan' (the metadata, the warning first). Written in
    openpyxl's streaming mode: a cell's format is set as it is written (a whole level in seconds)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(pgettext("lembar", "data"))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in body.columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    formats = {}
    for row in body.itertuples(index=False):
        out = []
        for v in row:
            if isinstance(v, tuple):
                text, dec = v
                if text == "":
                    out.append(None)
                    continue
                cell = WriteOnlyCell(ws, value=int(text) if dec == 0 else float(text))
                cell.number_format = formats.setdefault(dec, "0" if dec == 0 else "0." + "0" * dec)
                out.append(cell)
            else:
                out.append(None if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else v)
        ws.append(out)
    info = wb.create_sheet(pgettext("lembar", "keterangan"))
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 110
    info.append([pgettext("lembar", "kunci"), pgettext("lembar", "isi")])
    for key, value in meta:
        info.append([key, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()