"""Peta: a choropleth of any indicator by province, kabupaten/kota or kecamatan.

Every control is a query parameter (web/state.py). A change of control pushes
the new URL into the browser history without re-rendering the page; the back
button re-renders the page from the URL, which restores that view.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape as esc

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from components.choropleth import (
    MAP_CONFIG,
    NumberTexts,
    bounds_extent,
    coverage_sentence,
    map_extent,
    legend_items,
    map_classes,
    map_figure,
    map_patch,
    regions_key,
    status_label,
    with_links,
)
from components.export import citation, citation_apa
from components.formats import FORMATS, OFFERED
from components.links import MAP, about_url, download_url, geo_url, home_url, indicator_url, map_url, region_url
from components.formatting import format_number
from components.share import copy_button, copy_image_button, share_button
from components.i18n import N_, _
from components.formatting import plotly_separators, unit_name
from components.texts import category_label, dimension_name, indicator_name, level_name
from data.catalog import DOMAIN_NAMES
from data import queries
from data.catalog import CATEGORIES, DOMAINS
from web.images import embed_code, map_heading, map_image_url
from web.inputs import as_choice, as_year
from web.public_url import site_root
from web.release_facts import release_facts
from components.pemekaran import nation_text, notice as pemekaran_notice, region_text as pemekaran_text
from data.pemekaran import formed_by, split_from, splits_in
from web.state import LEVEL_NAMES, MAP_LEVELS, MapState, StateError, state_from_release
from web.status import parsed_state_status

def view_name(ind_id) -> str:
    """The tab title's subject: the indicator shown (the default one when none is asked for)."""
    from web.state import DEFAULT_INDICATOR

    ind = queries.release().catalog.get(ind_id or DEFAULT_INDICATOR)
    return indicator_name(ind) if ind else _("Peta indikator")


dash.register_page(
    __name__,
    path=MAP,
    title=lambda indikator=None, **_args: _("{view} — peta — Portal Data DTSEN Terbuka").format(view=view_name(indikator)),
    description=N_("Peta indikator DTSEN per provinsi, kabupaten/kota dan kecamatan."),
    share_image=lambda **args: share_view(args)[0],
    share_description=lambda **args: share_view(args)[1],
)


def share_view(args) -> tuple[str | None, str | None]:
    """A shared link's preview: the view's PNG (pinned to its release) and a sentence naming the view,
    its release and, for a synthetic release, that it is synthetic. (None, None) for a view that cannot be drawn."""
    rel = queries.release()
    try:
        state = state_from_release(args, rel)
    except StateError:
        return None, None
    ind = rel.catalog[state.indikator]
    words = _("Peta {heading} ({unit}). Sumber: Portal Data DTSEN Terbuka, rilis {release}.").format(
        heading=map_heading(rel, state), unit=unit_name(ind.satuan), release=rel.id)
    if rel.synthetic and not ind.official:
        words += " " + _("DATA SINTETIS — bukan statistik resmi.")
    return map_image_url(rel, state, "png", card=True), words



NATION = "00"  # the "whole country" choice (a native <select> shows an empty value as blank)


def indicator_options(catalog) -> list[dict]:
    """Indicators under their domain's heading (a disabled option, as dbc.Select has no optgroup):
    the closed select then holds the bare name, which fits a 360 px phone (the longest is 42 letters)."""
    opts = []
    for dom in DOMAINS:
        members = [ind for ind in catalog.values() if ind.domain == dom]
        if members:
            domain = _(DOMAIN_NAMES[dom])
            opts.append({"label": f"— {domain} —", "value": f"_domain_{dom}", "disabled": True})
            opts += [{"label": indicator_name(ind), "value": ind.id, "title": f"{indicator_name(ind)} ({domain})"} for ind in members]
    return opts


def geojson_url(rel, state: MapState) -> str:
    return geo_url(rel.id, state.tingkat, state.induk)


def region_options(rel) -> list[dict]:
    r = rel.regions
    opts = [{"label": _("Seluruh Indonesia"), "value": NATION}]
    for kode, nama, tingkat in zip(r["kode"], r["nama"], r["tingkat"]):
        if tingkat == "provinsi":
            opts.append({"label": nama, "value": kode})
    for kode, nama, tingkat, induk in zip(r["kode"], r["nama"], r["tingkat"], r["kode_induk"]):
        if tingkat == "kabupaten_kota":
            opts.append({"label": f"{nama} ({r.at[induk, 'nama']})", "value": kode})
    return opts


@lru_cache(maxsize=20_000)
def _escaped_name(name: str) -> str:
    """Region names repeat on every switch; escape each once."""
    return esc(name)


def value_table(df, decimals: int, texts: NumberTexts | None = None) -> dcc.Markdown:
    """The map as text, and its ranking: every region with its rank, value, numerator and
    denominator, or its protection status. Each name leads to the region's profile.

    Sent as one HTML string (our own, every name escaped) rather than thousands of Dash
    components: for 514 kabupaten/kota that is about a sixth of the bytes and the time."""
    status = df["status"].tolist()
    ok = [s == "ok" for s in status]
    nilai = df["nilai"].to_numpy(dtype=float)
    codes, raw_names = df["kode_wilayah"].tolist(), df["nama"].tolist()
    names = [_escaped_name(n) for n in raw_names]
    texts = texts or NumberTexts.of(df, decimals)
    values, nums, dens = texts.nilai, texts.pembilang, texts.penyebut
    # Published rows from the highest value (ties share the lower rank number), then the rest by name.
    shown = sorted((i for i in range(len(df)) if ok[i]), key=lambda i: -nilai[i])
    rest = sorted((i for i in range(len(df)) if not ok[i]), key=lambda i: raw_names[i])
    rows, rank = [], 0
    for place, i in enumerate(shown):
        if place == 0 or nilai[i] != nilai[shown[place - 1]]:
            rank = place + 1
        rows.append(f'<tr><td>{rank}</td><td><a href="{esc(region_url(codes[i]))}">{names[i]}</a></td>'
                    f"<td>{values[i]}</td><td>{nums[i]}</td><td>{dens[i]}</td></tr>")
    # No per-cell classes or sort keys: alignment and the columns hidden on phones come from
    # CSS (nth-child) and the browser sorts by the numbers as shown, which keeps a 514-row
    # update small.
    protected = esc(about_url("sel-kosong"))
    why = {st: esc(status_label(st)) for st in set(status) if st != "ok"}
    rows += [f'<tr><td>–</td><td><a href="{esc(region_url(codes[i]))}">{names[i]}</a></td>'
             f'<td class="protected-cell" colspan="3"><a href="{protected}">{why[status[i]]}</a></td></tr>' for i in rest]
    # Each header is a button that sorts the column in the browser (assets/20-sortable.js).
    head = "".join(f'<th scope="col"{sort}><button type="button" class="sort-button">{t}</button></th>' for t, sort in
                   (("#", ' aria-sort="ascending"'), (esc(_("Wilayah")), ""), (esc(_("Nilai")), ""), (esc(_("Pembilang")), ""), (esc(_("Penyebut")), "")))
    caption = esc(_("Peringkat wilayah, dari nilai tertinggi; sel dilindungi di bawah. Tekan judul kolom untuk mengurutkan."))
    table = (f'<table class="table table-sm value-table sortable" id="peta-tabel-isi"><caption>{caption}</caption>'
             f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return dcc.Markdown(table, dangerously_allow_html=True, className="value-table-wrap")


def trend_figure(series, decimals: int, satuan: str, place: str) -> dict:
    """A small line of the selected region's value over the release's years (gaps where protected).
    A plain dict: plotly's validating objects would cost more than the data."""
    ok = [s == "ok" for s in series["status"]]
    trace = {
        "type": "scatter", "x": [str(y) for y in series["tahun"]], "y": [float(v) if o else None for v, o in zip(series["nilai"], ok)],
        "mode": "lines+markers+text", "text": [format_number(v, decimals) if o else _("dilindungi") for v, o in zip(series["nilai"], ok)],
        "textposition": "top center", "line": {"color": "#1f5f8b"}, "hoverinfo": "skip", "cliponaxis": False,
    }
    layout = {"height": 170, "margin": {"l": 44, "r": 8, "t": 28, "b": 24}, "showlegend": False, "plot_bgcolor": "white",
              "title": {"text": _("Tren {place} ({unit})").format(place=place, unit=unit_name(satuan)), "font": {"size": 13}, "x": 0},
              # The same axis rule as /indikator's trend (percentages from zero), so the two never disagree.
              "yaxis": {"gridcolor": "#e9ecef", "zeroline": False, "rangemode": "tozero" if satuan == "persen" else "normal",
                        "tickformat": f",.{decimals}f", "fixedrange": True, "nticks": 4},
              "separators": plotly_separators(), "xaxis": {"type": "category", "fixedrange": True}, "dragmode": False}
    return {"data": [trace], "layout": layout}


def trend_text(series, decimals: int, place: str) -> str:
    protected = _("dilindungi")
    parts = [f"{y}: {format_number(v, decimals) if s == 'ok' else protected}" for y, v, s in zip(series["tahun"], series["nilai"], series["status"])]
    return (_("Tren {place}: {values}.").format(place=place, values="; ".join(parts)) if parts
            else _("Tidak ada deret waktu untuk {place}.").format(place=place))


def label(formats, ext: str) -> str:
    """A format's words on a button, in the page's language."""
    words = formats[ext].label
    return _(words)


def downloads(rel, state: MapState, title: str):
    """XLSX (for Excel, whatever its locale) and CSV (the machine twin), and the citation to copy."""
    q = state.query()
    url = site_root() + map_url(q)
    cite = citation(rel.id, title, url, rel.manifest.get("dibuat", ""))
    apa = citation_apa(rel.id, title, url, rel.manifest.get("dibuat", ""), rel.synthetic, rel.catalog[state.indikator].official)
    return [
        release_facts(rel, queries.level_years(rel, state.indikator, state.tingkat), "peta-fakta"),
        pemekaran_notice(pemekaran_text(state.induk, rel.regions.at[state.induk, "nama"], formed_by(state.induk), split_from(state.induk))
                         if state.induk else nation_text(splits_in(rel.regions.index)) if state.tingkat == "provinsi" else None,
                         "peta-pemekaran"),
        # This year, then every year of the view in one file (tahun=semua), then the ZIP of every year.
        html.Div([html.A(_(f.label), href=download_url("peta", f.ext, q), id=f"peta-unduh{f.id_suffix}",
                         className="btn btn-primary btn-sm" if n == 0 else "btn btn-outline-primary btn-sm") for n, f in enumerate(OFFERED)]
                 + [html.A(_("Semua tahun ({format})").format(format=f.name), href=download_url("peta", f.ext, q, tahun="semua"), id=f"peta-unduh-semua{f.id_suffix}",
                           className="btn btn-outline-primary btn-sm") for f in OFFERED]
                 + [html.A(label(FORMATS, "zip"), href=download_url("peta", "zip", q, tahun="semua"), id=f"peta-unduh{FORMATS['zip'].id_suffix}",
                           className="btn btn-outline-primary btn-sm")],
                 className="download-buttons"),
        # The map as a picture (title, legend, source and release drawn in), pinned to this release.
        html.Div([html.A(_("Unduh gambar (PNG)"), href=map_image_url(rel, state, "png"), id="peta-unduh-png", download="",
                         className="btn btn-outline-primary btn-sm"),
                  html.A(_("Gambar SVG"), href=map_image_url(rel, state, "svg"), id="peta-unduh-svg", download="",
                         className="btn btn-outline-primary btn-sm"),
                  copy_image_button(map_image_url(rel, state, "png"), _("peta ini")),
                  share_button()],
                 className="download-buttons image-buttons"),
        html.P([_("XLSX terbaca benar di Excel berbahasa Indonesia; CSV (pemisah koma, desimal titik) untuk program: baris pertama adalah "
                  "judul kolom. Sel kosong berarti dilindungi, bukan nol; kolom keterangan_status menjelaskan sebabnya dan kolom sumber "
                  "asal angkanya. Keterangan rilis, lisensi dan kutipan ada di lembar 'keterangan' XLSX, di "),
                html.A(label(FORMATS, "meta.json"), href=download_url("peta", "meta.json", q), id=f"peta-unduh{FORMATS['meta.json'].id_suffix}"),
                _(", atau di atas CSV dengan "),
                html.Code("&meta=1"), "."], className="small text-muted"),
        # The live map for another site: an iframe of /sematkan/peta, pinned to this release.
        html.Details([
            html.Summary(_("Sematkan peta ini di situs Anda")),
            html.Label(_("Kode HTML (iframe) untuk ditempel di halaman berita atau situs Anda"), htmlFor="peta-sematkan-kode", className="form-label small"),
            html.Textarea(embed_code(rel, state), id="peta-sematkan-kode", readOnly=True, rows=3, className="form-control form-control-sm embed-code"),
            copy_button("peta-sematkan-kode", _("Salin kode")),
        ], className="small embed-box", id="peta-sematkan"),
        html.Div([
            html.Label(_("Kutip data ini"), htmlFor="peta-kutipan", className="form-label small fw-bold"),
            html.Div([
                dcc.Textarea(id="peta-kutipan", value=cite, readOnly=True, className="form-control form-control-sm", rows=3),
                # A real button (dcc.Clipboard is a div keyboards skip), and words when it worked.
                html.Button(_("Salin"), id="peta-salin", type="button", className="btn btn-outline-secondary btn-sm copy-button",
                            **{"aria-describedby": "peta-salin-status", "data-ok": _("Kutipan disalin."),
                               "data-fail": _("Tidak bisa menyalin otomatis: pilih teks kutipan lalu salin.")}),
            ], className="cite-row"),
            html.Span(id="peta-salin-status", role="status", className="small text-success"),
            html.Noscript(cite),
            html.Details([html.Summary(_("Gaya APA")), html.P(apa, id="peta-kutipan-apa", className="small")], className="small"),
        ], className="cite-box"),
    ]




def view(state: MapState, shown_key: str | None = None, served: bool = False):
    """Figure, heading, sentence, table, downloads, URL, breadcrumb, trend, legend and the
    regions' key for one state. When the browser already draws the same regions
    (`shown_key`), the figure is a values-only Patch: no codes, names or geometry again."""
    rel = queries.release()
    ind = rel.catalog[state.indikator]
    df = queries.map_values(rel, state.indikator, state.tahun, state.tingkat, state.dimensi, state.kategori, state.induk)
    title = f"{indicator_name(ind)} ({unit_name(ind.satuan)})"
    geo = geojson_url(rel, state)
    key = regions_key(geo, df["kode_wilayah"])
    texts = NumberTexts.of(df, ind.desimal)
    vals = map_classes(df, ind.desimal, ind.satuan, ind.arah, state.tahun, texts)
    if key == shown_key:
        fig = map_patch(vals)
    else:
        shown = rel.regions.loc[df["kode_wilayah"]] if len(df) else rel.regions[rel.regions.tingkat == "provinsi"]
        extent = bounds_extent(rel.region_bounds(geo, df["kode_wilayah"])) or map_extent(shown["lat"].tolist(), shown["lng"].tolist())
        fig = map_figure(df, geo, ind.desimal, ind.satuan, ind.arah, state.tahun, title, extent, vals)
        if served:  # the served HTML's SVG map: each region a link to where a click on it leads
            fig = with_links(fig, {k: map_url(d.query()) if (d := drill_target(state, k, ind)) else region_url(k) for k in df["kode_wilayah"]})
    scope = "Indonesia" if not state.induk else rel.regions.at[state.induk, "nama"]
    heading = map_heading(rel, state)
    note = _("Statistik resmi BPS, bukan data register.") if ind.official else (_("Data sintetis, bukan statistik resmi.") if rel.synthetic else "")
    sentence = coverage_sentence(df, level_name(state.tingkat, plural=True))
    # The trend of the region the map is inside (Indonesia at the top), in the same breakdown.
    series = queries.series(rel, state.indikator, state.induk or "00", state.dimensi, state.kategori)
    trend = trend_figure(series, ind.desimal, ind.satuan, scope)
    return (fig, heading, f"{sentence} {note}".strip(), value_table(df, ind.desimal, texts), downloads(rel, state, heading),
            "?" + state.query(), breadcrumb(rel, state), trend, trend_text(series, ind.desimal, scope), legend_items(vals, title), key)


def controls(rel, state: MapState):
    """The view's selects, in a plain GET form: without JavaScript (or before it starts) a reader
    picks and presses Tampilkan; with it, each change updates the page at once."""
    ind = rel.catalog[state.indikator]
    return html.Form(method="get", action=map_url(), className="map-controls", children=[
            html.Div([html.Label(_("Indikator"), htmlFor="peta-indikator"), dbc.Select(id="peta-indikator", name="indikator", options=indicator_options(rel.catalog), value=state.indikator)], className="control"),
            html.Div([html.Label(_("Tahun"), htmlFor="peta-tahun"), dbc.Select(id="peta-tahun", name="tahun", options=[{"label": str(y), "value": str(y)} for y in queries.level_years(rel, state.indikator, state.tingkat)], value=str(state.tahun))], className="control control-narrow"),
            html.Div([html.Label(_("Tingkat wilayah"), htmlFor="peta-tingkat"), dbc.Select(id="peta-tingkat", name="tingkat", options=[{"label": level_name(lv).capitalize(), "value": lv} for lv in MAP_LEVELS if lv in queries.indicator_levels(rel, state.indikator)], value=state.tingkat)], className="control"),
            html.Div([html.Label(_("Di dalam wilayah"), htmlFor="peta-induk"), dbc.Select(id="peta-induk", name="induk", options=region_options(rel), value=state.induk or NATION)], className="control"),
            html.Div([html.Label(_("Rincian"), htmlFor="peta-dimensi"), dbc.Select(id="peta-dimensi", name="dimensi", options=breakdown_options(ind, state.tingkat, state.tahun), value=state.dimensi)], className="control"),
            html.Div([html.Label(_("Kategori"), htmlFor="peta-kategori"), dbc.Select(id="peta-kategori", name="kategori", options=category_options(ind, state.tingkat, state.tahun, state.dimensi), value=state.kategori)], className="control control-narrow"),
            html.Button(_("Tampilkan"), type="submit", className="btn btn-primary no-js-only"),
        ])


def breadcrumb(rel, state: MapState):
    """Indonesia › Provinsi › Kabupaten/kota: each step a link to the map one level up."""
    base = {"indikator": state.indikator, "tahun": state.tahun, "dimensi": state.dimensi, "kategori": state.kategori}
    crumbs = [("Indonesia", MapState(**base, tingkat="provinsi", induk=None))]
    if state.induk:
        prov = state.induk[:2]
        crumbs.append((rel.regions.at[prov, "nama"], MapState(**base, tingkat="kabupaten_kota", induk=prov)))
        if len(state.induk) > 2:
            crumbs.append((rel.regions.at[state.induk, "nama"], MapState(**base, tingkat="kecamatan", induk=state.induk)))
    items = []
    for i, (name, target) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        items.append(html.Li(name if last else dcc.Link(name, href=map_url(target.query())), className="crumb", **({"aria-current": "page"} if last else {})))
    ind = rel.catalog[state.indikator]
    about = [dcc.Link(_("Definisi dan sumber {name}").format(name=indicator_name(ind)), href=indicator_url(ind.id), id="peta-definisi")]
    hint = ([_("Klik (atau ketuk) wilayah di peta untuk melihat wilayah di dalamnya. ")] if state.tingkat != "kecamatan" else
            [_("Kecamatan adalah tingkat terendah: pilih namanya di tabel di bawah untuk profilnya. ")])
    return [html.Nav(html.Ol(items, className="crumbs"), **{"aria-label": _("Jalur wilayah")}, id="peta-jalur"),
            html.P(hint + about, className="text-muted small map-hint", id="peta-petunjuk")]


def drill_target(state: MapState, kode: str, ind=None) -> MapState | None:
    """Where a click on region `kode` leads: one level down, inside it (None at kecamatan). A breakdown
    not published one level down (desil stops at the province) falls back to the total."""
    if state.tingkat == "kecamatan":
        return None
    tingkat = "kabupaten_kota" if state.tingkat == "provinsi" else "kecamatan"
    keep = ind.publishes(tingkat, state.dimensi) if ind is not None else tingkat != "kecamatan"
    return MapState(state.indikator, state.tahun, tingkat, kode, state.dimensi if keep else "total", state.kategori if keep else "total")


def breakdown_options(ind, tingkat: str, tahun: int) -> list[dict]:
    """Only the breakdowns published at this level (the catalogue's rule) with some published value
    there in this year: a choice that exists, never an empty or all-grey map. Total is always offered."""
    shown = queries.published_categories(queries.release(), ind.id, tingkat, tahun)
    return [{"label": dimension_name(d), "value": d} for d in ind.dimensi if ind.publishes(tingkat, d) and (d == "total" or d in shown)]


def category_options(ind, tingkat: str, tahun: int, dimensi: str) -> list[dict]:
    """The breakdown's categories with a published value at this level in this year (all of them when none has)."""
    shown = queries.published_categories(queries.release(), ind.id, tingkat, tahun).get(dimensi, frozenset())
    cats = [c for c in CATEGORIES[dimensi] if c in shown] or list(CATEGORIES[dimensi])
    return [{"label": category_label(dimensi, c), "value": c} for c in cats]


def error_panel(message: str):
    return html.Div(
        [html.H1(_("Tampilan peta tidak bisa dibuat")), html.P(message, id="peta-galat"),
         html.P([dcc.Link(_("Buka peta bawaan"), href=map_url()), " · ", dcc.Link(_("Kembali ke Beranda"), href=home_url())])],
        className="not-found",
    )


def status(args, **_args) -> int:
    """400 or 404 for a query string that names no view (the page then says why)."""
    return parsed_state_status(state_from_release, args)


def layout(**query):
    rel = queries.release()
    try:
        state = state_from_release(query, rel)
    except StateError as exc:
        return error_panel(exc.message)
    fig, heading, sentence, table, download_panel, search, crumbs, trend, trend_alt, legend, key = view(state, served=True)
    return html.Div(
        [
            html.Div(crumbs, id="peta-jalur-wadah"),
            html.H1(heading, id="peta-judul"),
            html.Div([
                # Phones: the six selectors fold away under one button, so the map comes first.
                html.Button(_("Ubah pilihan peta"), id="peta-pilihan-tombol", type="button", className="btn btn-outline-primary controls-toggle",
                            **{"aria-expanded": "false", "aria-controls": "peta-pilihan"}),
                html.Div(controls(rel, state), id="peta-pilihan", className="controls-panel"),
            ], className="controls-wrap"),
            html.P(id="peta-pesan", role="status", className="text-danger"),
            dcc.Graph(id="peta-grafik", figure=fig, config=MAP_CONFIG,
                      className="map-graph"),
            html.Div(legend, id="peta-legenda", className="map-legend"),
            dcc.Store(id="peta-kunci", data=key),
            html.P(sentence, id="peta-kalimat", className="coverage-sentence"),
            html.Div(download_panel, id="peta-unduhan", className="download-panel"),
            html.Figure([
                dcc.Graph(id="peta-tren", figure=trend, config={"displayModeBar": False, "staticPlot": True, "responsive": True}, className="trend-graph"),
                html.Figcaption(trend_alt, id="peta-tren-teks", className="visually-hidden"),
            ], className="trend"),
            html.Div(table, id="peta-tabel"),
            dcc.Store(id="peta-search", data=search),
        ],
        className="peta-page",
    )


@callback(
    Output("peta-tahun", "options"), Output("peta-tahun", "value"),
    Output("peta-tingkat", "options"), Output("peta-tingkat", "value"),
    Output("peta-dimensi", "options"), Output("peta-dimensi", "value"),
    Input("peta-indikator", "value"), Input("peta-tingkat", "value"), Input("peta-tahun", "value"),
    State("peta-dimensi", "value"),
    prevent_initial_call=True,
)
def on_indicator(ind_id, tingkat, tahun, dimensi):
    """The choices that exist for this indicator, at this level, in this year: the level's years, and
    no breakdown without a published value there."""
    rel = queries.release()
    ind_id = as_choice(ind_id, rel.catalog)
    levels = [lv for lv in MAP_LEVELS if lv in queries.indicator_levels(rel, ind_id)] if ind_id else []
    if not levels:  # not an indicator on any map: nothing to offer (on_controls says why)
        return (dash.no_update,) * 6
    tingkat = as_choice(tingkat, levels) or levels[0]
    years = queries.level_years(rel, ind_id, tingkat)
    tahun = as_year(tahun, years) or years[-1]
    dims = breakdown_options(rel.catalog[ind_id], tingkat, tahun)
    return (
        [{"label": str(y), "value": str(y)} for y in years], str(tahun),
        [{"label": level_name(lv).capitalize(), "value": lv} for lv in levels], tingkat,
        dims, as_choice(dimensi, [d["value"] for d in dims]) or "total",
    )


@callback(Output("peta-kategori", "options"), Output("peta-kategori", "value"), Input("peta-dimensi", "value"), Input("peta-tahun", "value"),
          State("peta-kategori", "value"), State("peta-indikator", "value"), State("peta-tingkat", "value"), prevent_initial_call=True)
def on_dimension(dimensi, tahun, kategori, ind_id, tingkat):
    rel = queries.release()
    ind_id, tingkat, dimensi = as_choice(ind_id, rel.catalog), as_choice(tingkat, MAP_LEVELS), as_choice(dimensi, CATEGORIES)
    tahun = as_year(tahun, queries.indicator_years(rel, ind_id)) if ind_id else None
    if None in (tingkat, dimensi, tahun):  # not a view the map can show: on_controls says why
        return dash.no_update, dash.no_update
    cats = category_options(rel.catalog[ind_id], tingkat, tahun, dimensi)
    values = [c["value"] for c in cats]
    return cats, as_choice(kategori, values) or values[0]


@callback(
    Output("peta-grafik", "figure"), Output("peta-judul", "children"), Output("peta-kalimat", "children"),
    Output("peta-tabel", "children"), Output("peta-unduhan", "children"), Output("peta-search", "data"), Output("peta-jalur-wadah", "children"),
    Output("peta-tren", "figure"), Output("peta-tren-teks", "children"), Output("peta-legenda", "children"), Output("peta-kunci", "data"),
    Output("peta-pesan", "children"),
    Input("peta-indikator", "value"), Input("peta-tahun", "value"), Input("peta-tingkat", "value"),
    Input("peta-induk", "value"), Input("peta-dimensi", "value"), Input("peta-kategori", "value"),
    State("peta-kunci", "data"),
    prevent_initial_call=True,
)
def on_controls(indikator, tahun, tingkat, induk, dimensi, kategori, shown_key):
    rel = queries.release()
    args = control_args(indikator, tahun, tingkat, induk, dimensi, kategori)
    if tingkat == "kecamatan" and not args["induk"]:  # the user's words, not the URL's (induk=34)
        return (*(dash.no_update,) * 11, _("Pilih provinsi atau kabupaten/kota di “Di dalam wilayah” untuk melihat peta kecamatannya."))
    try:
        state = state_from_release(args, rel)
    except StateError as exc:
        return (*(dash.no_update,) * 11, exc.message)
    return (*view(state, shown_key), "")


def control_args(indikator, tahun, tingkat, induk, dimensi, kategori) -> dict:
    """The controls' values as the URL's parameters, for web/state.py to check (it refuses
    anything but text, whatever JSON a request carries)."""
    return {"indikator": indikator, "tahun": tahun, "tingkat": tingkat, "induk": "" if induk in (None, NATION) else induk,
            "dimensi": dimensi, "kategori": kategori}


# Write the state into the address bar (a new history entry) without a page re-render (assets/40-peta.js,
# like every clientside function: the CSP runs no inline script).
clientside_callback(
    ClientsideFunction("peta", "pushSearch"),
    Output("peta-pesan", "title"),
    Input("peta-search", "data"),
)


@callback(
    Output("peta-tingkat", "value", allow_duplicate=True), Output("peta-induk", "value", allow_duplicate=True),
    Output("peta-dimensi", "value", allow_duplicate=True), Output("peta-kategori", "value", allow_duplicate=True),
    Input("peta-grafik", "clickData"),
    State("peta-indikator", "value"), State("peta-tahun", "value"), State("peta-tingkat", "value"),
    State("peta-induk", "value"), State("peta-dimensi", "value"), State("peta-kategori", "value"),
    prevent_initial_call=True,
)
def on_map_click(click, indikator, tahun, tingkat, induk, dimensi, kategori):
    """Drill down: a click on a province shows its kabupaten/kota, on a kabupaten its kecamatan."""
    unchanged = (dash.no_update,) * 4
    kode = clicked_region(click)
    if kode is None:
        return unchanged
    rel = queries.release()
    try:
        state = state_from_release(control_args(indikator, tahun, tingkat, induk, dimensi, kategori), rel)
    except StateError:  # the controls name no view (on_controls says why): nothing to drill from
        return unchanged
    info = rel.region(kode)
    if info is None or info["tingkat"] != state.tingkat:  # not a region of the map shown
        return unchanged
    target = drill_target(state, kode, rel.catalog[state.indikator])
    return unchanged if target is None else (target.tingkat, target.induk, target.dimensi, target.kategori)


def clicked_region(click) -> str | None:
    """The region code a map click names (plotly's clickData: {"points": [{"location": ...}]}), if any."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    location = point.get("location") if isinstance(point, dict) else None
    return location if isinstance(location, str) and location else None


CHILD_LEVEL = {"provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan"}


@callback(Output("peta-tingkat", "value", allow_duplicate=True), Input("peta-induk", "value"), State("peta-tingkat", "value"), prevent_initial_call=True)
def on_region(induk, tingkat):
    """Picking a region shows what is inside it: a province's kabupaten/kota, a kabupaten's kecamatan."""
    if induk in (None, NATION):
        return "provinsi" if tingkat == "kecamatan" else dash.no_update
    info = queries.release().region(induk) if isinstance(induk, str) else None
    inside = CHILD_LEVEL.get(info["tingkat"]) if info else None  # none for an unknown code: on_controls says so
    return inside if inside and tingkat != inside else dash.no_update


clientside_callback(
    ClientsideFunction("peta", "copyCitation"),
    Output("peta-salin-status", "children"), Input("peta-salin", "n_clicks"), State("peta-kutipan", "value"), prevent_initial_call=True,
)


clientside_callback(
    ClientsideFunction("peta", "togglePanel"),
    Output("peta-pilihan", "className"), Output("peta-pilihan-tombol", "aria-expanded"),
    Input("peta-pilihan-tombol", "n_clicks"), prevent_initial_call=True,
)
