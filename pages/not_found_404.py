"""The helpful 404 page (the HTTP status itself is set in app.py)."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.links import about_url, home_url, map_url

dash.register_page(__name__, path="/404", title="Halaman tidak ditemukan — Portal Data DTSEN Terbuka")


def layout(**_):
    return html.Div(
        [
            html.H1("Halaman tidak ditemukan"),
            html.P("Alamat ini tidak ada di portal, atau kode wilayah atau indikator di dalamnya tidak dikenal.", id="not-found-text"),
            html.P("Kode wilayah memakai bentuk bertitik Kemendagri: 34 (provinsi), 34.71 (kabupaten/kota), 34.71.01 (kecamatan)."),
            html.Ul(
                [
                    html.Li(dcc.Link("Kembali ke Beranda", href=home_url())),
                    html.Li(dcc.Link("Buka peta indikator", href=map_url())),
                    html.Li(dcc.Link("Tentang data", href=about_url())),
                ]
            ),
        ],
        className="not-found",
    )
