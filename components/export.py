"""Downloads: exactly the rows shown, with the release's identity and licence alongside.

Two formats of the same rows. CSV is the machine twin (RFC 4180: comma-separated,
decimal point), what scripts read. XLSX is the one for Excel: a CSV opened in Excel
set to Indonesian locale splits on ';' and reads '.' as a thousands separator,
while an XLSX stores numbers as numbers whatever the locale, so the page offers
XLSX first for people and CSV for programs.
"""
from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

EXPORT_COLUMNS = ["kode_wilayah", "kode_bps", "nama", "nilai", "status", "pembilang", "penyebut"]


def citation(release_id: str, title: str, url: str) -> str:
    return f"Portal Data DTSEN Terbuka, rilis {release_id}: {title}. {url}"


def csv_with_header(df: pd.DataFrame, meta: list[tuple[str, str]], columns: list[str] = EXPORT_COLUMNS) -> str:
    """Leading '# key: value' lines, then a plain CSV. A protected value is blank, never 0."""
    buf = io.StringIO()
    for key, value in meta:
        buf.write(f"# {key}: {value}\n")
    body = _public_body(df, columns)
    body.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue()


def _public_body(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    body = df[columns].copy()
    if "nilai" in body and "status" in body:
        body["nilai"] = body["nilai"].astype(object).where(body["status"] == "ok", None)
    for col in ("pembilang", "penyebut"):
        if col in body:
            body[col] = [None if pd.isna(v) else int(v) for v in body[col]]
    return body


def xlsx_with_meta(df: pd.DataFrame, meta: list[tuple[str, str]], columns: list[str] = EXPORT_COLUMNS) -> bytes:
    """A workbook: sheet 'data' (the rows; a protected value is an empty cell, never 0) and
    sheet 'keterangan' (the same header lines as the CSV). The warning, when there is one,
    is also the first row of 'data', so nobody copies the numbers without it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    warning = [v for k, v in meta if k == "PERINGATAN"]
    if warning:
        ws.append([f"PERINGATAN: {warning[0]}"])
        ws["A1"].font = Font(bold=True, color="9C0006")
    ws.append(columns)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    body = _public_body(df, columns)
    for row in body.itertuples(index=False):
        ws.append([None if (v is None or (isinstance(v, float) and pd.isna(v))) else v for v in row])
    ws.freeze_panes = ws.cell(row=ws.max_row - len(body) + 1, column=1)
    info = wb.create_sheet("keterangan")
    for key, value in meta:
        info.append([key, value])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
