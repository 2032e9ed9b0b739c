"""Profil wilayah: every open indicator for one region, beside its parent and the nation, with
its trend, the welfare distribution by desil, its rank among its siblings and a small map."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from components.compare_view import TEXT as COMPARE_TEXT, profile_section, value_text
from components.i18n import N_, _
from components.choropleth import MAP_CONFIG, bounds_extent, legend_items, map_classes, map_extent, map_figure, status_label, with_links, with_outline
from components.formats import download_row
from components.formatting import format_number, format_value
from components.links import COMPARE, REGIONS, about_url, geo_url, home_url, indicator_url, map_url, region_url, search_url
from components.pemekaran import notice as pemekaran_notice, region_text as pemekaran_text
from components.share import embed_box, image_links, share_button
from components.sparkline import sparkline_svg, year_values
from components.formatting import unit_name
from components.texts import DESIL_PANELS, indicator_name, level_name
from data.catalog import DOMAIN_NAMES
from data import queries
from data.pemekaran import formed_by, split_from
from data.catalog import DOMAINS
from web.inputs import as_choice
from web.chart_images import chart_embed_code, chart_image_url
from web.chart_views import trend_view
from web.share_text import with_release
from web.similar import similar_block
from web.state import StateError

dash.register_page(
    __name__,
    path_template=f"{REGIONS}/<kode>",
    title=lambda kode=None, **_args: _("{name} — profil wilayah — Portal Data DTSEN Terbuka").format(name=region_name(kode)),
    description=N_("Semua indikator terbuka untuk satu wilayah, dibandingkan dengan wilayah induk dan nasional."),
    share_image=lambda kode=None, indikator=None, **_args: share_image(kode, indikator),
    share_description=lambda kode=None, **_args: share_description(kode),
)


def share_description(kode) -> str | None:
    rel = queries.release()
    info = rel.region(kode) if isinstance(kode, str) else None
    if info is None:
        return None
    return with_release(rel, _("Profil {name}: semua indikator terbuka, dibandingkan dengan wilayah induk dan nasional.").format(name=info["nama"]))


def _trend(rel, kode, ind_id):
    """The chart a journalist pastes from a profile: the indicator's trend here against every region above it; None if unpublished."""
    try:
        return trend_view(rel, ind_id if isinstance(ind_id, str) else DEFAULT_RANK_INDICATOR, {"wilayah": kode})
    except StateError:
        return None


def share_image(kode, indikator) -> str | None:
    rel = queries.release()
    view = _trend(rel, kode, indikator) if isinstance(kode, str) else None
    return chart_image_url(rel, view, "png", card=True) if view else None


def trend_images(rel, info: dict, ind_id: str) -> list:
    """The trend chart's PNG and SVG and its embed code, for the indicator chosen for the rank and map."""
    view = _trend(rel, info["kode"], ind_id)
    if view is None:
        return []
    subject = _("tren {indicator} di {region} dan wilayah di atasnya").format(indicator=indicator_name(rel.catalog[view.indikator]), region=info["nama"])
    return [html.P(_("Grafik: {subject}").format(subject=subject), className="small fw-semibold mb-1"),
            image_links(chart_image_url(rel, view, "png"), chart_image_url(rel, view, "svg"), "wilayah-tren-gambar", subject),
            embed_box(chart_embed_code(rel, view), "wilayah-sematkan", _("Sematkan grafik tren ini di situs Anda"))]

def status(args, kode=None, **_args) -> int:
    """404 for a region code not in the registry (the page then says so and offers a search)."""
    return 200 if queries.release().region(kode or "") is not None else 404


def map_link(info: dict, child_level: str | None) -> str:
    """The map that shows this region: its children, or for a kecamatan its kabupaten's kecamatan."""
    if info["kode"] == "00":
        return map_url()
    if child_level:
        return map_url(tingkat=child_level, induk=info["kode"])
    return map_url(tingkat=info["tingkat"], induk=info["kode_induk"])


def region_name(kode) -> str:
    """The tab title's name ('Kabupaten Garut'); the code itself when it is unknown."""
    info = queries.release().region(kode or "")
    return info["nama"] if info else _("Wilayah {code}").format(code=kode)


CHILD_LEVEL = {"nasional": "provinsi", "provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan"}
DEFAULT_RANK_INDICATOR = "persen_penduduk_miskin"
TARGETING = ["persen_desil_1_2_tanpa_bansos", "persen_penerima_di_luar_desil_1_4"]


def trend_cell(ind, series, years) -> html.Td:
    """A sparkline with its numbers as the alternative text (protected years say so)."""
    values, words = year_values(series, years, ind.desimal, _("dilindungi"), _("tidak ada"))
    src = sparkline_svg(values)
    alt = _("Tren {values}").format(values="; ".join(words))
    # On a phone the years' values are read as words beside the line (an alt text no sighted reader sees).
    shown = " → ".join(words)  # every year, protected ones said so
    return html.Td([html.Img(src=src, alt=alt, width=72, height=22) if src else html.Span("—", title=alt),
                    html.Span(shown, className="trend-words", **{"aria-hidden": "true"})], className="trend-cell", **{"data-label": _("Tren")})


def sibling_rank(rel, info: dict, ind_id: str, tahun: int) -> str:
    """'Peringkat 3 dari 5 kabupaten/kota di DIY (1 = nilai tertinggi).'"""
    if info["tingkat"] == "nasional" or ind_id not in rel.catalog:
        return ""
    ind = rel.catalog[ind_id]
    parent = info["kode_induk"] if info["kode_induk"] != "00" else None
    df = queries.map_values(rel, ind_id, tahun, info["tingkat"], "total", "total", parent)
    ok = df[df["status"] == "ok"].sort_values("nilai", ascending=False).reset_index(drop=True)
    where = rel.region(info["kode_induk"])["nama"] if parent else "Indonesia"
    level = level_name(info["tingkat"], plural=True)
    mine = ok.index[ok["kode_wilayah"] == info["kode"]]
    if not len(mine):
        row = df[df["kode_wilayah"] == info["kode"]]
        why = status_label(row.iloc[0]["status"]) if len(row) else _("tidak tersedia")
        return _("{indicator} {year}: nilai {region} {why}, jadi tidak diberi peringkat di antara {n} {level} lain di {where}.").format(
            indicator=indicator_name(ind), year=tahun, region=info["nama"], why=why, n=len(ok), level=level, where=where)
    direction = {"naik": _("; untuk indikator ini makin tinggi makin baik"), "turun": _("; untuk indikator ini makin rendah makin baik")}.get(ind.arah, "")
    return _("{indicator} {year}: {region} di peringkat {rank} dari {n} {level} di {where} yang nilainya dipublikasikan "
             "(peringkat 1 = nilai tertinggi{direction}).").format(indicator=indicator_name(ind), year=tahun, region=info["nama"],
                                                                   rank=int(mine[0]) + 1, n=len(ok), level=level, where=where, direction=direction)


def small_map(rel, info: dict, ind_id: str, tahun: int):
    """The region's children on a map (or, for a kecamatan, its siblings) and its legend; None if none."""
    ind = rel.catalog.get(ind_id)
    if ind is None:
        return None
    level = CHILD_LEVEL.get(info["tingkat"])
    parent = info["kode"] if level else info["kode_induk"]
    level = level or info["tingkat"]
    if not ind.is_open(level):
        return None
    induk = parent if parent != "00" else None
    df = queries.map_values(rel, ind_id, tahun, level, "total", "total", induk)
    if df.empty:
        return None
    geo = geo_url(rel.id, level, parent)
    regs = rel.regions.loc[rel.regions.index.isin(df["kode_wilayah"])]
    vals = map_classes(df, ind.desimal, ind.satuan, ind.arah, tahun)
    fig = map_figure(df, geo, ind.desimal, ind.satuan, ind.arah, tahun, indicator_name(ind),
                     bounds_extent(rel.region_bounds(geo, df["kode_wilayah"])) or map_extent(regs["lat"], regs["lng"]), vals)
    fig = with_links(fig, {k: region_url(k) for k in df["kode_wilayah"]})  # the served SVG map: each region its profile
    if info["kode"] in set(df["kode_wilayah"]):  # a kecamatan among its siblings: mark which one is this
        fig = with_outline(fig, geo, info["kode"])
    return fig, legend_items(vals, f"{indicator_name(ind)}, {tahun}")


def desil_panel(rel, ind_id: str, title: str, lead: str, kode: str, tahun: int):
    """title, lead: the panel's words as marked in components/texts.py (translated here)."""
    if ind_id not in rel.catalog:
        return None
    ind = rel.catalog[ind_id]
    df = queries.breakdown(rel, ind_id, kode, tahun, "desil")
    if df.empty:
        return None
    df = df.assign(d=df["kategori"].astype(int)).sort_values("d")
    ok = df[df["status"] == "ok"]
    peak = float(ok["nilai"].max()) if len(ok) else 1.0
    rows = []
    for r in df.itertuples():
        value = format_value(r.nilai, ind.desimal, ind.satuan) if r.status == "ok" else status_label(r.status)
        width = f"{100 * float(r.nilai) / peak:.0f}%" if r.status == "ok" and peak else "0%"
        bar = html.Div(html.Div(className="bar", style={"width": width}), className="bar-track", **{"aria-hidden": "true"})
        rows.append(html.Tr([html.Th(_("Desil {n}").format(n=r.d), scope="row"), html.Td(value, className="num"), html.Td(bar, className="bar-cell")]))
    return html.Section([
        html.H3(_(title), className="h5"), html.P(_(lead), className="text-muted"),
        html.Table([html.Thead(html.Tr([html.Th(_("Desil"), scope="col"), html.Th(unit_name(ind.satuan), scope="col"), html.Th("", scope="col")])), html.Tbody(rows)],
                   className="table table-sm desil-table"),
    ])


def layout(kode=None, indikator=None, **_args):
    rel = queries.release()
    if kode is None:  # only Dash calls this without a code (to learn every callback id): show Indonesia then
        kode = "00"
    info = rel.region(kode) if isinstance(kode, str) else None  # Dash's router passes a repeated ?kode= as a list
    if info is None:
        return html.Div([html.H1(_("Wilayah tidak ditemukan")),
                         html.P(_("Kode wilayah '{code}' tidak ada dalam daftar wilayah Kemendagri 2025.").format(code=kode), id="wilayah-galat"),
                         html.P([dcc.Link(_("Cari wilayah"), href=search_url()), " · ", dcc.Link(_("Lihat Indonesia"), href=region_url("00")), " · ",
                                 dcc.Link(_("Kembali ke Beranda"), href=home_url())])],
                        className="not-found")
    chain = rel.lineage(info["kode"])
    parent = chain[-2] if len(chain) > 1 else None
    years = rel.years
    tahun = years[-1]
    kodes = rel.comparison_codes(info["kode"])
    # Beside the region: every region above it, nearest first (a kecamatan: kabupaten, province, Indonesia).
    compared = list(reversed(chain[:-1]))
    df = queries.profile_cells(rel, kodes, tahun, subjects=(info["kode"],))
    by = {(r.indicator_id, r.kode_wilayah): r._asdict() for r in df.itertuples(index=False)}
    history = queries.region_series(rel, info["kode"])
    series_of = {i: g for i, g in history.groupby("indicator_id")}
    heads = [_("Indikator"), info["nama"], _("Tren")] + [c["nama"] for c in compared]
    sections = []
    for dom in DOMAINS:
        inds = [i for i in rel.catalog.values() if i.domain == dom and (i.id, info["kode"]) in by]
        if not inds:
            continue
        rows = []
        for ind in inds:
            cells = [html.Th(dcc.Link(indicator_name(ind), href=indicator_url(ind.id)), scope="row"),
                     html.Td(value_text(by.get((ind.id, info["kode"])), ind, tahun), className="num", **{"data-label": info["nama"]}),
                     trend_cell(ind, series_of.get(ind.id), years)]
            cells += [html.Td(value_text(by.get((ind.id, c["kode"])), ind, tahun), className="num", **{"data-label": c["nama"]}) for c in compared]
            rows.append(html.Tr(cells))
        # On a phone each indicator is a small card (CSS: .profile-table below 576 px): the region and the
        # regions above it one under another, each labelled, so no column hides or scrolls away.
        sections += [html.H2(_(DOMAIN_NAMES[dom])),
                     html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(rows)],
                                         className="table table-sm profile-table"), className="table-responsive")]

    child_level = CHILD_LEVEL.get(info["tingkat"])
    children = rel.regions[(rel.regions.tingkat == child_level) & (rel.regions.kode_induk.fillna("00") == info["kode"])] if child_level else []
    crumbs = html.Nav(html.Ol([html.Li(dcc.Link(c["nama"], href=region_url(c["kode"])) if c is not chain[-1] else c["nama"], className="crumb")
                               for c in chain], className="crumbs"), **{"aria-label": _("Jalur wilayah")}, id="wilayah-jalur")
    level = level_name(info["tingkat"]) if info["tingkat"] != "nasional" else _("nasional")
    rank_ind = as_choice(indikator, rel.catalog) or DEFAULT_RANK_INDICATOR
    rank_choices = [{"label": indicator_name(i), "value": i.id} for i in rel.catalog.values() if not i.official and (i.id, info["kode"]) in by]
    fig, legend = small_map(rel, info, rank_ind, tahun) or (None, None)
    map_caption = (_("Peta {level} di {region}").format(level=level_name(child_level, plural=True), region=info["nama"]) if child_level else
                   _("Peta kecamatan di {parent}; {region} bergaris tebal").format(parent=parent["nama"] if parent else "", region=info["nama"]))
    desil = [p for p in (desil_panel(rel, i, t, lead, info["kode"], tahun) for i, t, lead in DESIL_PANELS) if p is not None]
    targeting = [html.Li([dcc.Link(indicator_name(rel.catalog[i]), href=indicator_url(i)), ": ", value_text(by.get((i, info["kode"])), rel.catalog[i], tahun)])
                 for i in TARGETING if i in rel.catalog and (i, info["kode"]) in by]
    synthetic = html.P(_("Angka di halaman ini berasal dari data sintetis, bukan statistik resmi."), className="synthetic-inline") if rel.synthetic else None
    return html.Div([
        crumbs,
        html.H1(info["nama"], id="wilayah-judul"),
        html.P([_("{level} · kode {code} · angka tahun {year}.").format(level=level.capitalize(), code=info["kode"], year=tahun) + " "
                + _("“Dilindungi” tidak berarti nol: S1 = terlalu sedikit rumah tangga atau orang di sel, atau di antara yang dihitung atau tidak dihitung "
                    "(penekanan primer), S2 = ikut disembunyikan agar sel S1 tidak bisa dihitung dari selisih (penekanan komplementer). "),
                dcc.Link(_("Mengapa, dan bagaimana meminta data terbatas"), href=about_url("sel-kosong"))],
               className="text-muted", id="wilayah-keterangan"),
        synthetic,
        pemekaran_notice(pemekaran_text(info["kode"], info["nama"], formed_by(info["kode"]), split_from(info["kode"])), "wilayah-pemekaran"),
        html.P([dcc.Link(_("Lihat di peta"), href=map_link(info, child_level)), " · ",
                *download_row(_("Unduh profil"), ("wilayah", info["kode"]), id_prefix="wilayah-unduh"), " · ",
                html.A(COMPARE_TEXT["section_heading"], href="#wilayah-bandingkan"), " ", share_button()], className="download-links"),
        html.H2(_("Posisi wilayah ini")) if info["tingkat"] != "nasional" or fig is not None else None,
        html.Div([
            html.Label(_("Indikator untuk peringkat dan peta"), htmlFor="wilayah-indikator", className="form-label fw-semibold"),
            dbc.Select(id="wilayah-indikator", options=rank_choices, value=rank_ind, className="rank-select"),
        ]) if rank_choices else None,
        dcc.Store(id="wilayah-kode", data=info["kode"]),
        html.P(sibling_rank(rel, info, rank_ind, tahun), id="wilayah-peringkat", className="coverage-sentence"),
        html.Figure([dcc.Graph(id="wilayah-peta", figure=fig or {}, config=MAP_CONFIG, className="small-map", style={} if fig else {"display": "none"}),
                     html.Div(legend, id="wilayah-legenda", className="map-legend"),
                     html.Figcaption(map_caption + " " + _("(warna: kelas nilai; abu-abu: dilindungi). Nilai lengkapnya ada di peta besar dan tabel unduhan."),
                                     className="small text-muted")], className="small-map-figure"),
        html.Div(trend_images(rel, info, rank_ind), id="wilayah-grafik", className="chart-images"),
        *sections,
        *profile_section(info["nama"], COMPARE, info["kode"], similar_block(rel, info["kode"])),
        html.H2(_("Sebaran kesejahteraan dan bantuan sosial")) if desil or targeting else None,
        html.Ul(targeting, className="targeting-list") if targeting else None,
        html.Div(desil, className="row row-cols-1 row-cols-lg-2 desil-panels") if desil else None,
        html.H2(_("Wilayah di dalam {region}").format(region=info["nama"])) if len(children) else None,
        html.Ul([html.Li(dcc.Link(n, href=region_url(k))) for k, n in zip(children["kode"], children["nama"])], className="child-list", id="wilayah-anak") if len(children) else None,
    ], className="profile-page")


@callback(Output("wilayah-peringkat", "children"), Output("wilayah-peta", "figure"), Output("wilayah-peta", "style"), Output("wilayah-legenda", "children"),
          Output("wilayah-grafik", "children"),
          Input("wilayah-indikator", "value"), State("wilayah-kode", "data"), prevent_initial_call=True)
def on_rank_indicator(ind_id, kode):
    rel = queries.release()
    info = rel.region(kode) if isinstance(kode, str) else None
    ind_id = as_choice(ind_id, rel.catalog)
    if info is None or ind_id is None:
        return "", {}, {"display": "none"}, None, []
    tahun = rel.years[-1]
    fig, legend = small_map(rel, info, ind_id, tahun) or (None, None)
    return sibling_rank(rel, info, ind_id, tahun), fig or {}, {} if fig else {"display": "none"}, legend, trend_images(rel, info, ind_id)
