"""CSV exports: exactly the rows shown, with the release's identity and licence in the header."""
from __future__ import annotations

import csv
import io

import pandas as pd

EXPORT_COLUMNS = ["kode_wilayah", "kode_bps", "nama", "nilai", "status", "pembilang", "penyebut"]


def citation(release_id: str, title: str, url: str) -> str:
    return f"Portal Data DTSEN Terbuka, rilis {release_id}: {title}. {url}"


def csv_with_header(df: pd.DataFrame, meta: list[tuple[str, str]], columns: list[str] = EXPORT_COLUMNS) -> str:
    """Leading '# key: value' lines, then a plain CSV. A protected value is blank, never 0."""
    buf = io.StringIO()
    for key, value in meta:
        buf.write(f"# {key}: {value}\n")
    body = df[columns].copy()
    body["nilai"] = body["nilai"].astype(object).where(body["status"] == "ok", None)
    for col in ("pembilang", "penyebut"):
        if col in body:
            body[col] = [None if pd.isna(v) else int(v) for v in body[col]]
    body.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue()
