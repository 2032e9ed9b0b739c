"""Katalog indikator: every indicator by domain, with a filter that works as you type."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from components.i18n import N_, _
from components.formatting import unit_name
from components.links import INDICATORS, indicator_url
from components.texts import indicator_name
from data.catalog import DOMAIN_NAMES
from data import queries
from data.catalog import DOMAINS
from data.search import MAX_QUERY, normalise
from web.inputs import as_text

dash.register_page(
    __name__,
    path=INDICATORS,
    title=lambda **_args: _("Katalog indikator — Portal Data DTSEN Terbuka"),
    description=N_("Semua indikator DTSEN terbuka per bidang: definisi, rumus, sumber dan target."),
)


def catalogue_sections(catalog, query: str = "") -> list:
    q = normalise(query)
    sections = []
    for dom in DOMAINS:
        # The filter finds an indicator by its words in either language.
        inds = [i for i in catalog.values() if i.domain == dom and (not q or q in normalise(
            f"{i.nama_id} {i.nama_en} {DOMAIN_NAMES[dom]} {_(DOMAIN_NAMES[dom])} {i.id} {i.definisi} {_(i.definisi)}"))]
        if not inds:
            continue
        items = [html.Li([dcc.Link(indicator_name(i), href=indicator_url(i.id)), html.Span(f" — {unit_name(i.satuan)}", className="text-muted"),
                          html.Span(_(" · target RPJMN/SDG"), className="badge-target") if i.target else None]) for i in inds]
        sections += [html.H2(_(DOMAIN_NAMES[dom])), html.Ul(items, className="indicator-list")]
    if not sections:
        sections = [html.P(_("Tidak ada indikator yang cocok dengan “{query}”. Coba kata lain, misalnya “miskin” atau “sekolah”.").format(query=query))]
    return sections


def layout(**_args):
    rel = queries.release()
    official = sum(1 for i in rel.catalog.values() if i.official)
    return html.Div([
        html.H1(_("Katalog indikator")),
        html.P(_("{n} indikator: {register} dari register DTSEN (rilis ini: data sintetis) dan {official} angka resmi BPS sebagai "
                 "pembanding. Pilih satu untuk melihat definisi, tren dan sebarannya.").format(
                     n=len(rel.catalog), register=len(rel.catalog) - official, official=official), className="lead"),
        html.Label(_("Saring indikator"), htmlFor="indikator-saring", className="form-label fw-semibold"),
        dcc.Input(id="indikator-saring", type="search", placeholder=_("mis. miskin, sekolah, sanitasi"), debounce=False, maxLength=MAX_QUERY,
                  className="form-control filter-input", autoComplete="off"),
        html.Div(catalogue_sections(rel.catalog), id="indikator-daftar", **{"aria-live": "polite"}),
    ])


@callback(Output("indikator-daftar", "children"), Input("indikator-saring", "value"), prevent_initial_call=True)
def filter_catalogue(query):
    query = as_text("" if query is None else query, MAX_QUERY)
    return dash.no_update if query is None else catalogue_sections(queries.release().catalog, query)
