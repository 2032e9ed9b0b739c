"""The download formats, in one place: each one's URL suffix, mimetype, words on the page and writer.

Every view's download URL takes any of them (/unduh/peta.<ext>, /unduh/wilayah/<kode>.<ext>,
/unduh/target.<ext>): web/routes.py dispatches through FORMATS, and the pages draw their
download links from it. A new format is one entry here. No Flask: the routes import it, not the reverse.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import pandas as pd
from dash import html

from components.export import column_headers, csv_text, meta_json, plain_values, public_body, view_zip_bytes, xlsx_bytes
from components.i18n import N_, _
from components.links import download_url


@dataclass
class Table:
    """One view's download: its rows, metadata, columns, decimals and the file name's stem."""
    df: pd.DataFrame
    meta: list[tuple[str, str]]
    columns: list[str]
    decimals: dict
    stem: str
    meta_lines: bool = False  # ?meta=1: the metadata above a CSV's header as '#' lines

    @cached_property
    def body(self) -> pd.DataFrame:
        """The rows every table format writes (protected values empty, decimals as the catalogue says),
        under headers in the request's language."""
        return public_body(self.df, self.columns, self.decimals).rename(columns=column_headers())

    @property
    def headers(self) -> list[str]:
        """The columns' headers as written (the metadata's list of columns names them so)."""
        names = column_headers()
        return [names.get(c, c) for c in self.columns]


def parquet_bytes(body: pd.DataFrame) -> bytes:
    """The CSV's rows, typed: a number column as numbers (a protected value null, never 0), the rest as text."""
    out = plain_values(body).replace("", None)
    for col in body.columns:
        if any(isinstance(v, tuple) for v in body[col]):  # a formatted number column (see public_body)
            out[col] = pd.to_numeric(out[col])
    buf = io.BytesIO()
    out.to_parquet(buf, index=False)
    return buf.getvalue()


@dataclass(frozen=True)
class Format:
    ext: str                      # the URL's suffix: /unduh/peta.<ext>
    mimetype: str
    label: str                    # a button's words (the map page), marked N_: shown as _(f.label)
    name: str                     # the short name in a sentence: "Unduh profil (XLSX) · CSV"
    write: Callable[[Table], bytes | str] = field(repr=False)
    id_suffix: str                # element ids: peta-unduh<suffix>, wilayah-unduh<suffix>, target-unduh<suffix>
    attachment: bool = True       # saved as a file (Content-Disposition), not shown in the browser
    describedby: bool = False     # the answer's Link header names its .meta.json twin


FORMATS: dict[str, Format] = {f.ext: f for f in (
    # CSV is each page's machine twin, so its element ids carry no suffix.
    Format("csv", "text/csv", N_("Unduh CSV"), "CSV", lambda t: csv_text(t.body, t.meta if t.meta_lines else None), "", describedby=True),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", N_("Unduh Excel (XLSX)"), "XLSX",
           lambda t: xlsx_bytes(t.body, t.meta), "-xlsx", describedby=True),
    Format("meta.json", "application/json", N_("metadata JSON"), "metadata JSON", lambda t: meta_json(t.meta, t.headers), "-meta",
           attachment=False),
    Format("zip", "application/zip", N_("ZIP (CSV + metadata)"), "ZIP", lambda t: view_zip_bytes(t.body, t.meta, t.headers, t.stem), "-zip"),
    Format("parquet", "application/vnd.apache.parquet", N_("Unduh Parquet"), "Parquet", lambda t: parquet_bytes(t.body), "-parquet",
           describedby=True),
)}
# What every page's download row offers, in its order: XLSX first (people open it in Excel), then
# CSV for programs. The other formats are served by URL (the map page names the ZIP and the metadata).
OFFERED = (FORMATS["xlsx"], FORMATS["csv"])


def download_row(lead: str, view, query: str = "", /, id_prefix: str | None = None, **params) -> list:
    """'<lead> (XLSX) · CSV': a link per offered format, the first named in full (ids <id_prefix><suffix>)."""
    row = []
    for n, f in enumerate(OFFERED):
        ids = {"id": f"{id_prefix}{f.id_suffix}"} if id_prefix else {}
        row += ([" · "] if n else []) + [html.A(f"{lead} ({f.name})" if n == 0 else f.name, href=download_url(view, f.ext, query, **params), **ids)]
    return row


def split_format(name: str) -> tuple[str, str]:
    """'34.71.meta.json' → ('34.71', 'meta.json'): the longest known format the name ends with,
    else its last suffix (an unknown format, answered 404 with the list)."""
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith("." + ext) and len(name) > len(ext) + 1:
            return name[: -len(ext) - 1], ext
    stem, _dot, ext = name.rpartition(".")
    return stem, ext
