"""The helpful 404 page (the HTTP status itself is set in app.py)."""
from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", title="Halaman tidak ditemukan — Portal Data DTSEN Terbuka")


def layout(**_):
    return html.Div(
        [
            html.H1("Halaman tidak ditemukan"),
            html.P("Alamat ini tidak ada di portal, atau kode wilayah atau indikator di dalamnya tidak dikenal.", id="not-found-text"),
            html.P("Kode wilayah memakai bentuk bertitik Kemendagri: 34 (provinsi), 34.71 (kabupaten/kota), 34.71.01 (kecamatan)."),
            html.Ul(
                [
                    html.Li(dcc.Link("Kembali ke Beranda", href="/")),
                    html.Li(dcc.Link("Buka peta indikator", href="/peta")),
                    html.Li(dcc.Link("Tentang data", href="/tentang")),
                ]
            ),
        ],
        className="not-found",
    )
