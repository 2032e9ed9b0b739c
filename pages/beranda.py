"""Beranda: national headline figures for the latest year, and ways in."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import N_, _
from components.choropleth import status_label
from components.formatting import format_compact, format_value
from components.links import HOME, about_url, map_url
from components.texts import indicator_name
from data import queries

dash.register_page(
    __name__,
    path=HOME,
    title=lambda **_args: _("Beranda — Portal Data DTSEN Terbuka"),
    description=N_("Angka utama kesejahteraan sosial ekonomi Indonesia dari register DTSEN tingkat terbuka."),
    share_image=lambda **_args: default_map_image(),
)


def default_map_image() -> str | None:
    """A shared home page previews the default map. Imported when asked: by then Dash has loaded
    pages.peta itself (a module-level import here would run that page, and its callbacks, twice)."""
    from pages.peta import share_view

    return share_view({})[0]

HEADLINES = [
    "jumlah_penduduk", "persen_penduduk_miskin", "gini", "tpt",
    "cakupan_jkn", "cakupan_bansos_apa_pun", "persen_rt_sanitasi_layak", "persen_anak_tidak_sekolah",
]


def headline_card(rel, ind_id: str, tahun: int) -> html.Div:
    ind = rel.catalog[ind_id]
    c = queries.cell(rel, ind_id, "00", tahun)
    if c and c["status"] == "ok":
        big = ind.aturan == "count" and c["nilai"] >= 1e4
        value = format_compact(c["nilai"], ind.satuan) if big else format_value(c["nilai"], ind.desimal, ind.satuan)
    else:
        value = status_label(c["status"]) if c else _("tidak tersedia")
    return html.Div(
        className="headline-card",
        children=[
            html.H3(indicator_name(ind), className="headline-title"),
            html.P(value, className="headline-value"),
            dcc.Link([_("Lihat peta"), html.Span(f" {indicator_name(ind)}", className="visually-hidden")],
                     href=map_url(indikator=ind_id, tahun=tahun), className="headline-link"),
        ],
    )


def layout(**_args):
    rel = queries.release()
    tahun = rel.years[-1]
    official = queries.cell(rel, "bps_persen_penduduk_miskin", "00", tahun)
    bps_text = (
        _("Sebagai pembanding, angka resmi BPS (Maret {year}): {value} penduduk miskin.").format(
            year=tahun, value=format_value(official["nilai"], 2, "persen"))
        if official and official["status"] == "ok" else ""
    )
    return html.Div(
        [
            html.H1(_("Kesejahteraan sosial ekonomi Indonesia, terbuka untuk semua")),
            html.P(
                _("Angka nasional tahun {year} dari register DTSEN tingkat terbuka: agregat per provinsi, "
                  "kabupaten/kota dan kecamatan, dilindungi agar tidak ada rumah tangga yang bisa dikenali.").format(year=tahun),
                className="lead",
            ),
            html.H2(_("Angka nasional {year}").format(year=tahun), className="h5 mt-3"),
            html.Div([headline_card(rel, i, tahun) for i in HEADLINES if i in rel.catalog], className="headline-grid"),
            html.P(bps_text, className="text-muted"),
            html.H2(_("Mulai dari sini")),
            html.Ul(
                [
                    html.Li(dcc.Link(_("Peta kemiskinan per kabupaten/kota"), href=map_url(indikator="persen_penduduk_miskin", tahun=tahun, tingkat="kabupaten_kota"))),
                    html.Li(dcc.Link(_("Cakupan bansos di desil terbawah"), href=map_url(indikator="cakupan_bansos_apa_pun", tahun=tahun, dimensi="desil", kategori=1))),
                    html.Li(dcc.Link(_("Tingkat pengangguran terbuka per provinsi"), href=map_url(indikator="tpt", tahun=tahun))),
                    html.Li(dcc.Link(_("Tentang data, perlindungan kerahasiaan dan rilis"), href=about_url())),
                ]
            ),
        ]
    )
