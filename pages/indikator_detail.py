"""Halaman indikator: definition, national trend, spread across provinces and kabupaten/kota."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import N_, _
from components.charts import (
    GRAPH_CONFIG,
    distribution_sentence,
    ranked_dots,
    strip_plot,
    trend_figure,
    trend_sentence,
)
from components.formats import download_row
from components.share import embed_box, image_links, share_button
from components.formatting import format_target, format_value
from components.links import INDICATORS, home_url, indicator_url, map_url, region_url, target_url
from data.catalog import DOMAIN_NAMES
from data import queries
from components.formatting import unit_name
from components.texts import category_label, indicator_name, level_name
from data.targets import parse_target
from web.chart_images import chart_embed_code, chart_image_url
from web.chart_views import RankingView, SpreadView, TrendView
from web.release_facts import release_facts
from web.share_text import with_release
from web.state import LEVEL_NAMES

def status(args, ind_id=None, **_args) -> int:
    return 200 if (ind_id or "") in queries.release().catalog else 404


def indicator_title(ind_id) -> str:
    ind = queries.release().catalog.get(ind_id or "")
    return indicator_name(ind) if ind else _("Indikator {id}").format(id=ind_id)


dash.register_page(
    __name__,
    path_template=f"{INDICATORS}/<ind_id>",
    title=lambda ind_id=None, **_args: _("{name} — indikator — Portal Data DTSEN Terbuka").format(name=indicator_title(ind_id)),
    description=N_("Definisi, rumus, sumber, target, tren nasional dan sebaran antarwilayah satu indikator."),
    share_image=lambda ind_id=None, **_args: share_image(ind_id),
    share_description=lambda ind_id=None, **_args: share_description(ind_id),
)


def share_description(ind_id) -> str | None:
    rel = queries.release()
    ind = rel.catalog.get(ind_id) if isinstance(ind_id, str) else None
    if ind is None:
        return None
    return with_release(rel, _("{name}: definisi, rumus, sumber, tren nasional dan sebaran antarwilayah.").format(name=indicator_name(ind)),
                        official=ind.official)


def share_image(ind_id) -> str | None:
    """A shared link's preview: the national trend's PNG, or the provinces ranked when there is no
    national figure (None for an unknown indicator)."""
    rel = queries.release()
    ind = rel.catalog.get(ind_id) if isinstance(ind_id, str) else None
    if ind is None:
        return None
    if not queries.series(rel, ind.id, "00").empty:
        return chart_image_url(rel, TrendView(ind.id), "png", card=True)
    years = queries.level_years(rel, ind.id, "provinsi") if ind.is_open("provinsi") else []
    return chart_image_url(rel, RankingView(ind.id, years[-1]), "png", card=True) if years else None

LEVEL_ORDER = ("nasional", "provinsi", "kabupaten_kota", "kecamatan")


def disclosure_rule(ind, params: dict) -> str:
    k, k_stat = params.get("k", 10), params.get("k_stat", 30)
    if ind.official:
        return _("Angka resmi BPS yang sudah dipublikasikan; disalin apa adanya, tidak melalui register.")
    unit = {"orang": _("orang"), "rumah_tangga": _("rumah tangga"), "wilayah": _("wilayah")}.get(ind.unit, ind.unit.replace("_", " "))
    rule = {
        "count": _("Sel dengan kurang dari {k} {unit} dilindungi (S1).").format(k=k, unit=unit),
        "proporsi": _("Dilindungi (S1) bila penyebut, pembilang atau sisanya kurang dari {k} {unit}.").format(k=k, unit=unit),
        "rasio": _("Dilindungi (S1) bila pembagi atau yang dibagi kurang dari {k}: nilainya hasil bagi dua hitungan yang terbit.").format(k=k),
        "statistik": _("Dilindungi (S1) bila dihitung dari kurang dari {k} {unit}.").format(k=k_stat, unit=unit),
    }.get(ind.aturan, "")
    if params.get("perlindungan") == "komplementer":
        rule += " " + _("Sel lain dapat ikut dilindungi (S2) agar sel S1 tidak bisa dihitung dari selisih.")
    return rule


def comparability_notes(ind, years: list[int], synthetic: bool) -> list[str]:
    notes = []
    if ind.official:
        period = _("bulan {month}").format(month=ind.bulan) if ind.bulan else _("tahunan")
        notes.append(_("Angka resmi BPS periode {period}; jangan dibandingkan langsung dengan indikator register DTSEN yang serupa: "
                       "sumber, cakupan dan metodenya berbeda.").format(period=period))
    else:
        notes.append(_("Definisi dan rumus sama untuk semua tahun dalam rilis ini ({years}), sehingga angka antartahun dapat dibandingkan.").format(
            years=", ".join(map(str, years))))
        notes.append(_("Angka register mencakup rumah tangga yang tercatat di DTSEN, bukan survei sampel; bedanya dengan angka BPS sebagian karena cakupan."))
        if synthetic:
            notes.append(_("Rilis ini memakai data sintetis: tren dan sebarannya menunjukkan cara kerja portal, bukan keadaan sebenarnya."))
    return notes


def _dl(pairs) -> html.Dl:
    items = []
    for term, value in pairs:
        if value:
            items += [html.Dt(term), html.Dd(value)]
    return html.Dl(items, className="meta-list")


def top_bottom(df, n: int, decimals: int, satuan: str) -> html.Div:
    ok = df[df["status"] == "ok"].sort_values("nilai", ascending=False)
    if ok.empty:
        return html.Div()

    def items(part):
        return html.Ol([html.Li([dcc.Link(r.nama, href=region_url(r.kode_wilayah)), f": {format_value(r.nilai, decimals, satuan)}"])
                        for r in part.itertuples()])
    return html.Div([
        html.Div([html.H3(_("Tertinggi"), className="h6"), items(ok.head(n))], className="col"),
        html.Div([html.H3(_("Terendah"), className="h6"), items(ok.tail(n).iloc[::-1])], className="col"),
    ], className="row row-cols-1 row-cols-md-2 top-bottom")


def level_downloads(lead: str, ind_id: str, tahun: int, tingkat: str) -> list:
    """The level's map as files: this year, then every year (tahun=semua)."""
    return (download_row(lead, "peta", indikator=ind_id, tahun=tahun, tingkat=tingkat) + [" · "]
            + download_row(_("semua tahun"), "peta", indikator=ind_id, tahun="semua", tingkat=tingkat))


def layout(ind_id=None, **_args):
    rel = queries.release()
    ind = rel.catalog.get(ind_id) if isinstance(ind_id, str) else None  # the router passes a repeated ?ind_id= as a list
    if ind is None:
        return html.Div([html.H1(_("Indikator tidak ditemukan")),
                         html.P(_("Tidak ada indikator dengan kode '{id}' dalam rilis ini.").format(id=ind_id), id="indikator-galat"),
                         html.P([dcc.Link(_("Lihat katalog indikator"), href=indicator_url()), " · ", dcc.Link(_("Beranda"), href=home_url())])],
                        className="not-found")
    years = queries.indicator_years(rel, ind.id)
    tahun = years[-1]
    levels = [lv for lv in LEVEL_ORDER if lv in queries.indicator_levels(rel, ind.id)]
    params = rel.manifest.get("pengungkapan", {})
    targets = rel.targets[rel.targets["indikator"] == ind.target] if ind.target else rel.targets.iloc[0:0]
    target_text = [f"{r.target_tahun}: {_target_value(r.target_nilai, ind.desimal)} {unit_name(r.satuan)} ({r.dokumen})" for r in targets.itertuples()]
    target_dim, target_cat = ind.target_kategori.split(":") if ind.target_kategori else ("total", "total")
    if ind.target_kategori:
        target_text.append(_("Target ini untuk {category}, bukan untuk total; {url} membandingkannya dengan nilai {category}.").format(
            category=category_label(target_dim, target_cat).lower(), url=target_url()))
    kind = _("Angka resmi BPS") if ind.official else (_("Register DTSEN — data sintetis") if rel.synthetic else _("Register DTSEN"))

    national = queries.series(rel, ind.id, "00")
    blocks = [
        html.Nav(html.Ol([html.Li(dcc.Link(_("Katalog indikator"), href=indicator_url()), className="crumb"),
                          html.Li(_(DOMAIN_NAMES[ind.domain]), className="crumb")], className="crumbs"), **{"aria-label": _("Jalur")}),
        html.H1(indicator_name(ind), id="indikator-judul"),
        release_facts(rel, years, "indikator-fakta"),
        html.P(share_button(), className="share-line"),
        html.P([html.Span(kind, className="source-badge official" if ind.official else "source-badge synthetic"), " ", _(ind.definisi)],
               className="lead"),
        _dl([
            (_("Rumus"), _(ind.rumus)), (_("Satuan"), _("{unit} ({n} desimal)").format(unit=unit_name(ind.satuan), n=ind.desimal)),
            (_("Sumber"), official_sources(rel, ind) or _(ind.sumber)),
            (_("Aturan kerahasiaan"), disclosure_rule(ind, params)), (_("Kode SDG"), ind.kode_sdg),
            (_("Target RPJMN 2025–2029 / SDG"), html.Ul([html.Li(t) for t in target_text]) if target_text else None),
            (_("Arah"), {"naik": _("makin tinggi makin baik"), "turun": _("makin rendah makin baik"), "netral": _("tidak ada arah baik/buruk")}[ind.arah]),
            (_("Tingkat wilayah"), ", ".join(LEVEL_NAMES.get(lv, lv) for lv in levels)),
            (_("Tahun"), ", ".join(map(str, years))),
        ]),
        html.P([dcc.Link(_("Lihat di peta"), href=map_url(indikator=ind.id))]
               + ([" · ", dcc.Link(_("Pantau target"), href=target_url(indikator=ind.id))] if ind.target else [])),
        html.H2(_("Tren nasional")),
    ]
    if len(national):
        blocks += [dcc.Graph(figure=trend_figure(national, ind.desimal, ind.satuan), config=GRAPH_CONFIG, className="trend-graph-lg",
                             id="indikator-tren", responsive=True),
                   html.P(trend_sentence("Indonesia", national, ind.desimal, ind.satuan), id="indikator-tren-teks", className="chart-alt"),
                   image_links(chart_image_url(rel, TrendView(ind.id), "png"), chart_image_url(rel, TrendView(ind.id), "svg"), "indikator-tren-gambar",
                               _("tren nasional {indicator}").format(indicator=indicator_name(ind))),
                   embed_box(chart_embed_code(rel, TrendView(ind.id)), "indikator-sematkan", _("Sematkan grafik tren ini di situs Anda"))]
        if ind.target_kategori:  # the figure /target judges, so the two pages can be compared
            part = queries.series(rel, ind.id, "00", target_dim, target_cat)
            blocks.append(html.P(trend_sentence(f"Indonesia, {category_label(target_dim, target_cat).lower()}", part, ind.desimal, ind.satuan),
                                 id="indikator-tren-target-teks", className="chart-alt"))
    else:
        blocks.append(html.P(_("Indikator ini tidak diterbitkan untuk tingkat nasional.")))

    if "provinsi" in levels:
        tahun = queries.level_years(rel, ind.id, "provinsi")[-1]  # BPS may publish a year nationally first
        prov = queries.map_values(rel, ind.id, tahun, "provinsi", "total", "total", None)
        blocks += [
            html.H2(_("Sebaran antarprovinsi, {year}").format(year=tahun)),
            html.P(distribution_sentence(prov, level_name("provinsi", plural=True), ind.desimal, ind.satuan), className="chart-alt", id="indikator-sebaran-prov"),
            html.Details([html.Summary(_("Grafik peringkat provinsi")),
                          dcc.Graph(figure=ranked_dots(prov, ind.desimal, ind.satuan), config=GRAPH_CONFIG, id="indikator-peringkat")],
                         open=True, className="chart-details"),
            image_links(chart_image_url(rel, RankingView(ind.id, tahun), "png"), chart_image_url(rel, RankingView(ind.id, tahun), "svg"),
                        "indikator-peringkat-gambar", _("peringkat provinsi {indicator}, {year}").format(indicator=indicator_name(ind), year=tahun))
            if (prov["status"] == "ok").any() else None,
            top_bottom(prov, 5, ind.desimal, ind.satuan),
            html.P(level_downloads(_("Unduh nilai per provinsi"), ind.id, tahun, "provinsi")),
        ]
    if "kabupaten_kota" in levels:
        tahun = queries.level_years(rel, ind.id, "kabupaten_kota")[-1]
        kab = queries.map_values(rel, ind.id, tahun, "kabupaten_kota", "total", "total", None)
        ok = kab[kab["status"] == "ok"]["nilai"]
        blocks += [
            html.H2(_("Sebaran antarkabupaten/kota, {year}").format(year=tahun)),
            html.P(distribution_sentence(kab, level_name("kabupaten_kota", plural=True), ind.desimal, ind.satuan), className="chart-alt", id="indikator-sebaran-kab"),
            dcc.Graph(figure=strip_plot(kab, ind.desimal, ind.satuan), config=GRAPH_CONFIG, id="indikator-sebaran") if len(ok) else None,
            image_links(chart_image_url(rel, SpreadView(ind.id, tahun), "png"), chart_image_url(rel, SpreadView(ind.id, tahun), "svg"),
                        "indikator-sebaran-gambar", _("sebaran kabupaten/kota {indicator}, {year}").format(indicator=indicator_name(ind), year=tahun))
            if len(ok) else None,
            top_bottom(kab, 5, ind.desimal, ind.satuan),
            html.P(level_downloads(_("Unduh nilai per kabupaten/kota"), ind.id, tahun, "kabupaten_kota")),
        ]
    blocks += [html.H2(_("Catatan keterbandingan")), html.Ul([html.Li(n) for n in comparability_notes(ind, years, rel.synthetic)])]
    return html.Div(blocks, className="indicator-page")


def _target_value(text: str, decimals: int) -> str:
    try:
        return format_target(parse_target(text), decimals)
    except ValueError:
        return text


def official_sources(rel, ind):
    """An official figure's BPS tables, links and periods, one line per source (None for register data)."""
    if not ind.official:
        return None
    src = rel.source_of(ind.id)
    if not len(src):
        return None
    lines = src.groupby("sumber", sort=False).agg(tahun=("tahun", lambda t: ", ".join(str(int(y)) for y in sorted(set(t)))),
                                                  periode=("periode", lambda p: ", ".join(sorted(set(p))))).reset_index()
    return html.Ul([html.Li(_("{year} (periode {period}): {source}").format(year=r.tahun, period=r.periode, source=r.sumber)) for r in lines.itertuples()], id="indikator-sumber-resmi")
