"""Cari: regions and indicators by name, tolerant of typos; results as plain links.

The navigation bar's search box is a plain GET form to this page, so it works
before (and without) the scripts; here, results follow each keystroke.
"""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from components.i18n import N_, _
from components.links import SEARCH
from components.texts import hit_texts
from data import queries
from data.search import MAX_QUERY
from web.inputs import as_text

dash.register_page(
    __name__,
    path=SEARCH,
    title=lambda **_args: _("Cari wilayah atau indikator — Portal Data DTSEN Terbuka"),
    description=N_("Cari provinsi, kabupaten/kota, kecamatan atau indikator."),
)


def results(query: str) -> list:
    query = (query or "").strip()
    if len(query) < 2:
        return [html.P(_("Ketik paling sedikit dua huruf: nama wilayah (mis. “kab bandung”, “sleman”) atau indikator (mis. “kemiskinan”)."),
                       className="text-muted", id="cari-jumlah")]
    hits = queries.search(queries.release(), query)
    if not hits:
        return [html.P(_("Tidak ada wilayah atau indikator yang mirip dengan “{query}”. Periksa ejaan, atau coba nama kabupaten/kotanya.").format(query=query),
                       id="cari-jumlah")]
    return [
        html.P(_("{n} hasil teratas untuk “{query}”:").format(n=len(hits), query=query), id="cari-jumlah"),
        html.Ol([html.Li([dcc.Link(label, href=h.href, className="result-link"),
                          html.Span(f" {kind}" + (f" · {context}" if context else ""), className="result-context")])
                 for h in hits for label, kind, context in [hit_texts(h)]], className="search-results", id="cari-hasil"),
    ]


def layout(q=None, **_args):
    q = as_text(q, MAX_QUERY) or ""  # a URL's words, or nothing for a repeated ?q= (a list)
    return html.Div([
        html.H1(_("Cari wilayah atau indikator")),
        html.Label(_("Kata pencarian"), htmlFor="cari-q", className="form-label fw-semibold"),
        dcc.Input(id="cari-q", type="search", value=q, maxLength=MAX_QUERY, debounce=False, autoComplete="off", className="form-control filter-input",
                  placeholder=_("mis. kab bandung, jawa timur, kemiskinan")),
        html.Div(results(q), id="cari-wadah", **{"aria-live": "polite"}),
    ])


@callback(Output("cari-wadah", "children"), Input("cari-q", "value"), prevent_initial_call=True)
def on_type(value):
    query = as_text("" if value is None else value, MAX_QUERY)  # the words searched and shown back: at most what the field takes
    return dash.no_update if query is None else results(query)
