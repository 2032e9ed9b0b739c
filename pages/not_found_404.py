"""The helpful 404 page (the HTTP status itself is set in app.py)."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import _
from components.links import about_url, home_url, map_url

dash.register_page(__name__, path="/404", title=lambda **_args: _("Halaman tidak ditemukan — Portal Data DTSEN Terbuka"))


def layout(**_args):
    return html.Div(
        [
            html.H1(_("Halaman tidak ditemukan")),
            html.P(_("Alamat ini tidak ada di portal, atau kode wilayah atau indikator di dalamnya tidak dikenal."), id="not-found-text"),
            html.P(_("Kode wilayah memakai bentuk bertitik Kemendagri: 34 (provinsi), 34.71 (kabupaten/kota), 34.71.01 (kecamatan).")),
            html.Ul(
                [
                    html.Li(dcc.Link(_("Kembali ke Beranda"), href=home_url())),
                    html.Li(dcc.Link(_("Buka peta indikator"), href=map_url())),
                    html.Li(dcc.Link(_("Tentang data"), href=about_url())),
                ]
            ),
        ],
        className="not-found",
    )
