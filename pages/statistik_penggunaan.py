"""Statistik penggunaan: how often the portal is used, per day, by kind, and its most read indicators
(web/usage.py counts; web/usage_store.py keeps and sums). Says plainly what is counted and what is not."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask import current_app

from components.i18n import N_, Names, _
from components.texts import indicator_name
from components.formats import download_row
from components.formatting import format_number
from components.links import USAGE, indicator_url
from data import queries
from web.usage import tally
from web.usage_store import KINDS, as_frame, daily_totals, top_indicators

dash.register_page(
    __name__,
    path=USAGE,
    title=lambda **_args: _("Statistik penggunaan — Portal Data DTSEN Terbuka"),
    description=N_("Jumlah halaman dibuka, berkas diunduh dan pembacaan API per hari, menurut indikator, tingkat wilayah dan format. Tanpa alamat IP, tanpa cookie."),
)

KIND_NAMES = Names({"halaman": N_("Halaman dibuka"), "unduhan": N_("Berkas diunduh"), "api": N_("Pembacaan API")})
DAYS_SHOWN = 31


def explanation() -> list:
    return [
        html.P(_("Portal ini menghitung berapa kali halaman dibuka, berkas diunduh, dan API dibaca, per hari (UTC), sebagai pemantauan "
               "lalu lintas layanan data (Permen PPN/Bappenas 7/2025). Yang disimpan hanya jumlah per hari menurut jenis, indikator, "
               "tingkat wilayah dan format."), className="lead"),
        html.H2(_("Yang tidak disimpan")),
        html.Ul([
            html.Li(_("alamat IP, peramban (user agent), cookie, atau apa pun yang mengenali pembaca;")),
            html.Li(_("alamat lengkap yang dibuka, isi pencarian, dan kode wilayah;")),
            html.Li(_("waktu lebih rinci dari tanggal.")),
        ]),
        html.H2(_("Yang tidak dihitung")),
        html.P(_("Berkas pendukung halaman (skrip, gaya, geometri peta), saran kotak pencarian, pemeriksaan server, dan permintaan "
               "yang gagal atau tidak berubah (selain jawaban 200). Perubahan pilihan di peta dihitung sebagai satu kali halaman peta dibuka; "
               "perpindahan lewat tautan di dalam situs setelah skripnya berjalan belum terhitung. "
               "Tanda “-” berarti alamat tidak menyebut indikator, tingkat atau format (tampilan bawaan). "
               "Angka diperbarui setiap beberapa detik.")),
    ]


def daily_table(totals) -> html.Table:
    head = [html.Th(_("Tanggal (UTC)"), scope="col"), *(html.Th(KIND_NAMES[k], scope="col") for k in KINDS), html.Th(_("Jumlah"), scope="col")]
    rows = [html.Tr([html.Th(r["hari"], scope="row"), *(html.Td(format_number(r[k]), **{"data-label": KIND_NAMES[k]}) for k in KINDS),
                     html.Td(format_number(r["jumlah"]), **{"data-label": _("Jumlah")})]) for _n, r in totals.iterrows()]
    return html.Table([html.Caption(_("Jumlah per hari, {n} hari terakhir yang tercatat, terbaru lebih dulu").format(n=len(totals))),
                       html.Thead(html.Tr(head)), html.Tbody(rows)], className="table table-sm tracker-table", id="penggunaan-harian")


def indicator_table(df, catalog) -> html.Table | html.P:
    top = top_indicators(df)
    if top.empty:
        return html.P(_("Belum ada indikator yang dibuka, diunduh atau dibaca lewat API."), id="penggunaan-indikator")
    head = [html.Th(_("Indikator"), scope="col"), *(html.Th(KIND_NAMES[k], scope="col") for k in KINDS), html.Th(_("Jumlah"), scope="col")]
    rows = [html.Tr([html.Th(dcc.Link(indicator_name(catalog[r["indikator"]]) if r["indikator"] in catalog else r["indikator"],
                                      href=indicator_url(r["indikator"])), scope="row"),
                     *(html.Td(format_number(r[k]), **{"data-label": KIND_NAMES[k]}) for k in KINDS),
                     html.Td(format_number(r["jumlah"]), **{"data-label": _("Jumlah")})]) for _n, r in top.iterrows()]
    return html.Table([html.Caption(_("{n} indikator yang paling sering dipakai, {days} hari terakhir").format(n=len(top), days=DAYS_SHOWN)),
                       html.Thead(html.Tr(head)), html.Tbody(rows)], className="table table-sm tracker-table", id="penggunaan-indikator")


def layout(**_args):
    rows = tally(current_app).rows()
    body: list
    if rows is None:  # the store is down: say so, keep the page
        body = [html.P(_("Angka penggunaan sedang tidak dapat dibaca. Coba lagi beberapa saat lagi."), role="status", id="penggunaan-pesan")]
    elif not rows:
        body = [html.P(_("Belum ada angka tercatat."), role="status", id="penggunaan-pesan")]
    else:
        df = as_frame(rows)
        totals = daily_totals(df, DAYS_SHOWN)
        shown = df[df["hari"] >= totals["hari"].min()]  # the indicators of the days in the first table
        body = [html.H2(_("Per hari")), html.Div(daily_table(totals), className="table-responsive"),
                html.H2(_("Indikator")), html.Div(indicator_table(shown, queries.release().catalog), className="table-responsive")]
    return html.Div([
        html.H1(_("Statistik penggunaan")),
        *explanation(),
        *body,
        html.H2(_("Unduh")),
        html.P(download_row(_("Unduh semua angka per hari"), "statistik-penggunaan", id_prefix="penggunaan-unduh")
               + [_(": kolom hari, jenis (halaman, unduhan, api), indikator, tingkat, format, jumlah; sejak hari pertama tercatat.")]),
    ], className="usage-page")
