"""Bandingkan: two to five regions of any level side by side, every open indicator with its trend.

Every control is a link or a plain GET form, so the served HTML is the whole page and works
without scripts: a region is added by searching (data/search.py) and following a hit, taken out by
a link. The values are the profile's (/wilayah/<kode>) cell for cell; the words are in
components/compare_view.py.
"""
from __future__ import annotations

import dash
from dash import dcc, html

from components.share import image_links, share_button
from components.texts import indicator_name
from components.compare_view import TEXT, add_form, compare_table, hit_list, labelled
from components.formats import download_row
from components.i18n import N_, _
from components.links import COMPARE, about_url, compare_url, home_url, indicator_url, region_url, search_url
from data import queries
from data.catalog import DOMAIN_NAMES, DOMAINS
from data.comparison import MAX_REGIONS, MIN_REGIONS, compare_sections
from web.compare_state import CompareState, compare_state
from web.chart_images import DEFAULT_REGION_INDICATOR, chart_image_url
from web.chart_views import compare_view
from web.share_text import with_release
from web.similar import similar_block
from web.state import LEVEL_NAMES, StateError

SEARCH_HITS = 10
EXAMPLE_LEVEL = "kabupaten_kota"  # the start page's example: the first three of these in the release


def _state(args) -> CompareState:
    return compare_state(args, queries.release())


def title(**args) -> str:
    """'Bandingkan Kabupaten Sleman, Kota Yogyakarta — …' (the tab and a shared link's title)."""
    try:
        state = _state(args)
    except StateError:
        return TEXT["page_title_empty"]
    rel = queries.release()
    names = ", ".join(rel.region(k)["nama"] for k in state.wilayah)
    return TEXT["page_title"].format(names=names) if names else TEXT["page_title_empty"]


def share_view(args) -> tuple[str | None, str | None]:
    """A shared comparison's preview: the regions' trends side by side (the headline indicator) and a
    sentence naming them; (None, None) before two regions are chosen."""
    rel = queries.release()
    try:
        state = _state(args)
        view = compare_view(rel, DEFAULT_REGION_INDICATOR, {"wilayah": ",".join(state.wilayah)}) if state.complete else None
    except StateError:
        return None, None
    if view is None:
        return None, None
    names = ", ".join(rel.region(k)["nama"] for k in state.wilayah)
    return (chart_image_url(rel, view, "png", card=True),
            with_release(rel, _("{names} berdampingan: setiap indikator terbuka dengan trennya.").format(names=names)))


dash.register_page(__name__, path=COMPARE, title=title,
                   description=N_("Dua sampai lima wilayah (provinsi, kabupaten/kota, kecamatan) berdampingan: setiap indikator terbuka dengan trennya."),
                   share_image=lambda **args: share_view(args)[0], share_description=lambda **args: share_view(args)[1])


def status(args, **_) -> int:
    """200, or the parser's 400/404 (a repeated ?wilayah= is one list too many: 400)."""
    if hasattr(args, "getlist") and len(args.getlist("wilayah")) > 1:
        return 400
    try:
        _state(args)
    except StateError as exc:
        return exc.status
    return 200


def level_label(tingkat: str) -> str:
    return TEXT["level_nasional"] if tingkat == "nasional" else LEVEL_NAMES[tingkat]


def region_hits(rel, query: str, chosen: tuple[str, ...]) -> list[dict]:
    """The search's regions for `query`, each a link that adds it (None when already compared)."""
    if len(query.strip()) < 2:
        return []
    hits = [h for h in queries.search(rel, query, SEARCH_HITS) if h.kind in LEVEL_NAMES]
    return [{"nama": h.label, "context": h.context, "level": _(h.kind_label),
             "href": None if h.key in chosen else compare_url([*chosen, h.key]) if chosen else compare_url([h.key], cari="")}
            for h in hits]


def region_list(rel, kodes: tuple[str, ...]) -> html.Ol:
    """The regions compared, each with its profile and (while more than two remain) a way to take it out."""
    items = []
    for k in kodes:
        info = rel.region(k)
        rest = [c for c in kodes if c != k]
        remove = (" · ", dcc.Link(labelled(TEXT["remove_short"], info["nama"]), href=compare_url(rest), className="compare-remove")
                  ) if len(rest) >= MIN_REGIONS else ()
        items.append(html.Li([html.Strong(info["nama"]), f" ({level_label(info['tingkat'])} · {k}) · ",
                              dcc.Link(labelled(TEXT["profile"], info["nama"]), href=region_url(k)), *remove]))
    return html.Ol(items, className="compare-regions", id="bandingkan-wilayah")


def comparison(rel, state: CompareState):
    kodes = state.wilayah
    infos = [rel.region(k) for k in kodes]
    years = rel.years
    tahun = years[-1]
    cells = queries.profile_cells(rel, kodes, tahun)  # the profile's own query: the same cells, the same year
    sections = compare_sections(cells, kodes, [(i.id, i.domain) for i in rel.catalog.values()], DOMAINS)
    histories = {k: {i: g for i, g in queries.region_series(rel, k).groupby("indicator_id")} for k in kodes}
    heads = [{"kode": i["kode"], "nama": i["nama"], "level": level_label(i["tingkat"]), "href": region_url(i["kode"])} for i in infos]
    tables = []
    for dom, rows in sections:
        tables += compare_table(_(DOMAIN_NAMES[dom]), [(rel.catalog[i], cs) for i, cs in rows], heads,
                                lambda k, i: histories[k].get(i), years, indicator_url)
    names = ", ".join(i["nama"] for i in infos)
    mixed = len({i["tingkat"] for i in infos}) > 1
    query = compare_url(kodes).partition("?")[2]
    if len(kodes) < MAX_REGIONS:  # folded until asked for; open while its search's hits are shown
        adding = html.Details([html.Summary(TEXT["add_heading"]), add_form(COMPARE, list(kodes), state.cari),
                               hit_list(region_hits(rel, state.cari, kodes), state.cari) if state.cari else None],
                              open=True if state.cari else None, className="compare-add", id="bandingkan-tambah")
    else:
        adding = html.P(TEXT["full"].format(max=MAX_REGIONS), className="text-muted", id="bandingkan-tambah")
    return html.Div([
        html.H1(TEXT["heading"].format(names=names), id="bandingkan-judul"),
        html.P([TEXT["lead"].format(tahun=tahun, first=years[0], last=years[-1]), dcc.Link(TEXT["why_protected"], href=about_url("sel-kosong"))],
               className="text-muted", id="bandingkan-keterangan"),
        html.P(TEXT["synthetic"], className="synthetic-inline") if rel.synthetic else None,
        html.P(TEXT["mixed_levels"], className="coverage-sentence") if mixed else None,
        html.H2(TEXT["regions_heading"], className="h5"),
        region_list(rel, kodes),
        adding,
        html.P(download_row(TEXT["download"], "bandingkan", query, id_prefix="bandingkan-unduh") + [" ", share_button()], className="download-links"),
        *chart_links(rel, kodes),
        *tables,
    ], className="compare-page")


def chart_links(rel, kodes) -> list:
    """The regions' trends of the headline indicator as an image (the comparison's shared picture)."""
    try:
        view = compare_view(rel, DEFAULT_REGION_INDICATOR, {"wilayah": ",".join(kodes)})
    except StateError:
        return []
    subject = _("tren {indicator} di wilayah-wilayah ini").format(indicator=indicator_name(rel.catalog[view.indikator]))
    return [html.P(_("Grafik: {subject}").format(subject=subject), className="small fw-semibold mb-1"),
            image_links(chart_image_url(rel, view, "png"), chart_image_url(rel, view, "svg"), "bandingkan-gambar", subject)]


def choosing(rel, state: CompareState):
    """One region chosen: search for the second, or take one of its similar regions."""
    kode = state.wilayah[0]
    info = rel.region(kode)
    return html.Div([
        html.H1(TEXT["pick_heading"].format(name=info["nama"]), id="bandingkan-judul"),
        html.P(TEXT["pick_lead"]),
        add_form(COMPARE, [kode], state.cari),
        hit_list(region_hits(rel, state.cari, (kode,)), state.cari) if state.cari else None,
        similar_block(rel, kode),
    ], className="compare-page")


def start(rel, state: CompareState):
    """No region yet: what the page does, an example, and the search for the first region."""
    example = list(rel.regions.index[rel.regions["tingkat"] == EXAMPLE_LEVEL][:3])
    return html.Div([
        html.H1(TEXT["start_heading"], id="bandingkan-judul"),
        html.P(TEXT["start_lead"], className="lead"),
        html.P([TEXT["start_example"], dcc.Link(", ".join(rel.region(k)["nama"] for k in example), href=compare_url(example))])
        if len(example) >= MIN_REGIONS else None,
        add_form(COMPARE, [], state.cari, label=TEXT["start_label"]),
        hit_list(region_hits(rel, state.cari, ()), state.cari) if state.cari else None,
    ], className="compare-page")


def refused(message: str, kept: tuple[str, ...] = ()):
    """kept: the good regions of a list that cannot be compared; the page goes on from them."""
    names = ", ".join(queries.release().region(k)["nama"] for k in kept)
    return html.Div([
        html.H1(TEXT["error_heading"]),
        html.P(message, id="bandingkan-galat"),
        html.P((TEXT["kept_full"] if len(kept) >= MAX_REGIONS else TEXT["kept_lead"]).format(names=names, max=MAX_REGIONS), id="bandingkan-tetap")
        if kept else html.P(TEXT["error_help"], className="text-muted"),
        html.P(dcc.Link(TEXT["compare_kept"].format(names=names), href=compare_url(kept)), id="bandingkan-tetap-tautan")
        if len(kept) >= MIN_REGIONS else None,
        # a full list is compared as it is (the link above); its form starts a new one
        add_form(COMPARE, list(kept), "", label=None if kept else TEXT["start_label"]) if len(kept) < MAX_REGIONS else
        add_form(COMPARE, [], "", label=TEXT["start_label"]),
        html.P([dcc.Link(TEXT["error_start"], href=compare_url()), " · ", dcc.Link(TEXT["error_search"], href=search_url()), " · ",
                dcc.Link(TEXT["error_home"], href=home_url())]),
    ], className="not-found")


def layout(wilayah=None, cari=None, **_):
    rel = queries.release()
    args = {k: v for k, v in (("wilayah", wilayah), ("cari", cari)) if v is not None}
    try:
        state = compare_state(args, rel)
    except StateError as exc:
        return refused(exc.message, getattr(exc, "wilayah", ()))
    if not state.wilayah:
        return start(rel, state)
    if not state.complete:
        return choosing(rel, state)
    return comparison(rel, state)
