"""Katalog indikator: every indicator by domain, with a filter that works as you type."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from components.links import INDICATORS, indicator_url
from data.catalog import DOMAIN_NAMES
from data import queries
from data.catalog import DOMAINS
from data.search import MAX_QUERY, normalise
from web.inputs import as_text

dash.register_page(
    __name__,
    path=INDICATORS,
    title="Katalog indikator — Portal Data DTSEN Terbuka",
    description="Semua indikator DTSEN terbuka per bidang: definisi, rumus, sumber dan target.",
)


def catalogue_sections(catalog, query: str = "") -> list:
    q = normalise(query)
    sections = []
    for dom in DOMAINS:
        inds = [i for i in catalog.values() if i.domain == dom and (not q or q in normalise(f"{i.nama_id} {DOMAIN_NAMES[dom]} {i.id} {i.definisi}"))]
        if not inds:
            continue
        items = [html.Li([dcc.Link(i.nama_id, href=indicator_url(i.id)), html.Span(f" — {i.satuan}", className="text-muted"),
                          html.Span(" · target RPJMN/SDG", className="badge-target") if i.target else None]) for i in inds]
        sections += [html.H2(DOMAIN_NAMES[dom]), html.Ul(items, className="indicator-list")]
    if not sections:
        sections = [html.P(f"Tidak ada indikator yang cocok dengan “{query}”. Coba kata lain, misalnya “miskin” atau “sekolah”.")]
    return sections


def layout(**_):
    rel = queries.release()
    official = sum(1 for i in rel.catalog.values() if i.official)
    return html.Div([
        html.H1("Katalog indikator"),
        html.P(f"{len(rel.catalog)} indikator: {len(rel.catalog) - official} dari register DTSEN (rilis ini: data sintetis) "
               f"dan {official} angka resmi BPS sebagai pembanding. Pilih satu untuk melihat definisi, tren dan sebarannya.", className="lead"),
        html.Label("Saring indikator", htmlFor="indikator-saring", className="form-label fw-semibold"),
        dcc.Input(id="indikator-saring", type="search", placeholder="mis. miskin, sekolah, sanitasi", debounce=False, maxLength=MAX_QUERY,
                  className="form-control filter-input", autoComplete="off"),
        html.Div(catalogue_sections(rel.catalog), id="indikator-daftar", **{"aria-live": "polite"}),
    ])


@callback(Output("indikator-daftar", "children"), Input("indikator-saring", "value"), prevent_initial_call=True)
def filter_catalogue(query):
    query = as_text("" if query is None else query, MAX_QUERY)
    return dash.no_update if query is None else catalogue_sections(queries.release().catalog, query)
