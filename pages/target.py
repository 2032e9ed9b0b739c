"""Target: RPJMN 2025–2029 and SDG indicators against their targets, nationally and per region.

Every choice is a link (indicator, level, sort order), so the page is plain,
server-rendered HTML that needs no script to be read, sorted or navigated.
"""
from __future__ import annotations

from html import escape as esc

import dash
from dash import dcc, html

from components.i18n import N_, _
from components.charts import GRAPH_CONFIG, target_figure, trend_sentence
from components.choropleth import MAP_CONFIG, bounds_extent, category_map_figure, map_extent
from components.formats import download_row
from components.share import image_links, share_button
from components.formatting import format_number, format_target, format_value, unit_name
from components.links import TARGETS, geo_url, target_url
from components.texts import indicator_name, level_name as level_name_of
from data import queries
from data.targets import (METHOD_TEXT, STATUS_ORDER, STATUS_COLOURS, STATUS_LABELS, STATUS_OFF_TRACK, STATUS_ON_TRACK, STATUS_REACHED, STATUS_UNKNOWN,
                          TREND_LABELS, TREND_WORSE, assess, own_path, sort_regions)
from web.chart_images import chart_image_url
from web.chart_views import TargetView, target_view
from web.state import LEVEL_NAMES, SORT_NAMES, TRACKER_LEVELS, StateError, tracked_indicators, tracker_state
from web.share_text import with_release
from web.status import parsed_state_status

def target_subject(ind_id) -> str:
    """The title's indicator: the one the page will show (tracker_state's default when none is asked for)."""
    rel = queries.release()
    try:
        ind = rel.catalog[tracker_state({"indikator": ind_id} if ind_id else {}, rel).indikator]
    except (StateError, KeyError):
        return _("indikator")
    return indicator_name(ind)


dash.register_page(
    __name__,
    path=TARGETS,
    title=lambda indikator=None, **_args: _("Target {subject} — Pantau target RPJMN 2025–2029 dan SDG — Portal Data DTSEN Terbuka").format(
        subject=target_subject(indikator)),
    description=N_("Capaian indikator terhadap target RPJMN 2025–2029 dan SDG, nasional dan per provinsi serta kabupaten/kota."),
    share_image=lambda **args: share_view(args)[0],
    share_description=lambda **args: share_view(args)[1],
)


def share_view(args) -> tuple[str | None, str | None]:
    """A shared link's preview: the chart the view shows (a picked region's own trajectory, else the national
    path to the target) and its words with the release; (None, None) for a view that cannot be drawn."""
    rel = queries.release()
    try:
        state = tracker_state(args, rel)
    except StateError:
        return None, None
    ind = rel.catalog[state.indikator]
    region = rel.region(state.wilayah) if state.wilayah else None
    words = (_("{indicator} di {region}: lintasannya terhadap target RPJMN 2025–2029 dan SDG.").format(indicator=indicator_name(ind), region=region["nama"])
             if region else _("{indicator}: capaian terhadap target RPJMN 2025–2029 dan SDG, nasional dan per {level}.").format(
                 indicator=indicator_name(ind), level=LEVEL_NAMES[state.tingkat]))
    description = with_release(rel, words, official=ind.official)
    if not queries.tracker(rel, state.indikator, state.tingkat):
        return None, description
    try:
        view = target_view(rel, state.indikator, {"wilayah": state.wilayah} if state.wilayah else {})
    except StateError:  # a region without a published value: the national path
        view = TargetView(state.indikator)
    return chart_image_url(rel, view, "png", card=True), description


def badge(status: str) -> html.Span:
    return html.Span(_(STATUS_LABELS[status]), className=f"status-badge status-{status}")


def signed(v, decimals: int) -> str:
    if v is None:
        return "—"
    return ("+" if v > 0 else "") + format_number(v, decimals + 1) if v >= 0 else format_number(v, decimals + 1)


def overview(rel, current: str) -> html.Div:
    """Every tracked indicator's national status in one table (the planner's first look)."""
    rows = []
    for ind in tracked_indicators(rel.catalog, rel.targets):
        data = queries.tracker(rel, ind.id, "provinsi")
        if not data:
            continue
        p = data["national_progress"]
        nat = data["national"].set_index("tahun")
        last = nat["nilai"].get(data["last_year"]) if nat["status"].get(data["last_year"]) == "ok" else None
        label = indicator_name(ind) + subject_suffix(data["dimensi"], data["kategori"])
        name = html.Strong(label, **{"aria-current": "true"}) if ind.id == current else dcc.Link(label, href=target_url(indikator=ind.id))
        rows.append(html.Tr([
            html.Td([name, html.Br(), html.Small(_("angka resmi BPS") if ind.official else (_("register DTSEN, sintetis") if rel.synthetic
                                                                                               else _("register DTSEN")), className="text-muted")]),
            html.Td(format_value(last, ind.desimal, ind.satuan) if last is not None else _("dilindungi"), className="num",
                    **{"data-label": _("Nilai terakhir")}),
            html.Td(f"{format_target(data['target'], ind.desimal)} ({data['target_year']})", className="num", **{"data-label": _("Target")}),
            html.Td(format_number(p.score, 0) if p.score is not None else "—", className="num", **{"data-label": _("Skor capaian")}),
            html.Td(badge(p.status), **{"data-label": _("Status")}),
        ], className="current-row" if ind.id == current else None))
    return html.Div(html.Table([
        html.Caption(_("Capaian nasional tiap indikator bertarget (tahun terakhir rilis)")),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (_("Indikator"), _("Nilai terakhir"), _("Target"), _("Skor capaian"), _("Status"))])),
        html.Tbody(rows),
    ], className="table table-sm tracker-table", id="target-ringkasan"), className="table-responsive")


def subject_suffix(dimensi: str, kategori: str) -> str:
    """' — perempuan' when the target is set on one category (RPJMN's female labour participation)."""
    if dimensi == "total":
        return ""
    from components.texts import category_label

    return f" — {category_label(dimensi, kategori).lower()}"


def change_cell(value, trend, decimals: int) -> str:
    """The observed change per year with its direction in words (colour is never the only cue)."""
    if value is None:
        return "—"
    word = _(TREND_LABELS[trend]) if trend in TREND_LABELS else ""
    return f"{signed(value, decimals)} ({word})" if word else signed(value, decimals)


def region_table(df, ind, state, base_year: int, last_year: int) -> str:
    """The regions' status as one escaped HTML table (thousands of rows stay light)."""
    df = sort_regions(df, state.urut, ind.arah)
    wide = ' class="wide-only"'  # the two rates of change show from tablet width up
    one_year = base_year == last_year
    columns = [(_("Wilayah"), "nama", False)] + ([] if one_year else [(f"{base_year}", None, False)]) + [(f"{last_year}", "nilai", False)] + \
        ([] if one_year else [(_("Perubahan/tahun teramati"), None, True)]) + \
        [(_("Perubahan/tahun dibutuhkan"), None, True), (_("Skor"), "skor", False), (_("Status"), "status", False)]
    protected, not_needed, worse_word = _("dilindungi"), _("tidak perlu (sudah tercapai)"), esc(_("memburuk"))
    labels = {k: esc(_("Lintasan {name} terhadap target")) for k in ("title",)}
    data_labels = {k: esc(v) for k, v in (("change", _("Perubahan/tahun")), ("needed", _("Dibutuhkan/tahun")), ("score", _("Skor")),
                                           ("status", _("Status")))}
    status_words = {k: esc(_(v)) for k, v in STATUS_LABELS.items()}
    head = "".join(
        f'<th scope="col"{wide if w else ""}>{"<a href=" + chr(34) + esc(target_url(state.query(urut=s))) + chr(34) + ">" + esc(label) + "</a>" if s and s != state.urut else esc(label)}'
        f'{" ▼" if s == state.urut else ""}</th>'
        for label, s, w in columns)
    body = []
    for r in df.itertuples():
        v0 = format_number(r.nilai_awal, ind.desimal) if r.nilai_awal is not None and r.nilai_awal == r.nilai_awal else protected
        v1 = format_number(r.nilai_akhir, ind.desimal) if r.nilai_akhir is not None and r.nilai_akhir == r.nilai_akhir else protected
        score = format_number(r.skor, 0) if r.skor is not None and r.skor == r.skor else "—"
        needed = not_needed if r.status_target == STATUS_REACHED else signed(_num(r.perubahan_dibutuhkan), ind.desimal)
        worse = f' <span class="trend-worse">▼ {worse_word}</span>' if r.arah_perubahan == TREND_WORSE else ""
        track = esc(target_url(state.query(wilayah=r.kode_wilayah)) + "#target-lintasan")
        body.append(
            f'<tr><td><a href="{track}" title="{labels["title"].format(name=esc(r.nama))}">{esc(r.nama)}</a></td>'
            + ("" if one_year else f'<td class="num" data-label="{base_year}">{v0}</td>') + f'<td class="num" data-label="{last_year}">{v1}</td>'
            + ("" if one_year else f'<td class="num wide-only" data-label="{data_labels["change"]}">'
                                   f'{esc(change_cell(_num(r.perubahan_teramati), r.arah_perubahan, ind.desimal))}</td>')
            + f'<td class="num wide-only" data-label="{data_labels["needed"]}">{esc(needed)}</td>'
            f'<td class="num" data-label="{data_labels["score"]}">{score}</td><td data-label="{data_labels["status"]}">'
            f'<span class="status-badge status-{r.status_target}">{status_words[r.status_target]}</span>{worse}</td></tr>')
    years = (_("hanya {year} terbit untuk tingkat ini, jadi arah perubahan belum dapat dinilai").format(year=last_year) if one_year
             else _("{base} dan {last}").format(base=base_year, last=last_year))
    caption = _("Status per {level} ({years}), diurutkan menurut {sort}; pilih nama wilayah untuk melihat lintasannya terhadap target").format(
        level=LEVEL_NAMES[state.tingkat], years=years, sort=SORT_NAMES[state.urut])
    return (f'<div class="table-responsive"><table class="table table-sm tracker-table" id="target-tabel"><caption>{esc(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _num(v):
    return None if v is None or v != v else float(v)


def status_sentence(df, level_name: str) -> str:
    counts = df["status_target"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {_(STATUS_LABELS[s]).lower()}" for s in STATUS_ORDER if counts.get(s, 0)]
    return _("Dari {n} {level}: {counts}.").format(n=len(df), level=level_name, counts=", ".join(parts))


def region_trajectory(rel, ind, state, data):
    """One region's observed series against its own straight path to the national target (the
    planner's 'is my province on course?'), shown when a region is picked in the table."""
    if not state.wilayah:
        return None
    info = rel.region(state.wilayah)
    series = queries.series(rel, ind.id, state.wilayah, data["dimensi"], data["kategori"])
    ok = series[series["status"] == "ok"].set_index("tahun")["nilai"]
    heading = html.H2(_("Lintasan {region}").format(region=info["nama"]), id="target-lintasan")
    if len(ok) == 0:
        return html.Section([heading, html.P(_("{region} tidak punya nilai terbit untuk indikator ini (dilindungi atau tidak tersedia).").format(
                                                 region=info["nama"]),
                                             id="target-lintasan-teks")])
    years = sorted(ok.index)
    path_years, path = own_path(years[0], ok[years[0]], data["target"], data["target_year"], ind.arah)
    p = assess(years[0], ok[years[0]], years[-1], ok[years[-1]], data["target"], data["target_year"], ind.arah)
    sentence = (trend_sentence(_("Nilai {region} teramati").format(region=info["nama"]), series, ind.desimal, ind.satuan) + " " +
                (_("Sudah memenuhi target nasional ({target}) sejak {year}.").format(target=format_target(data["target"], ind.desimal), year=years[0])
                 if len(path) == 1 else
                 _("Jalur menuju target nasional: dari {start} ({start_year}) ke {end} ({end_year}).").format(
                     start=format_number(path[0], ind.desimal), start_year=years[0], end=format_number(path[-1], ind.desimal),
                     end_year=data["target_year"])) + " " +
                (_("Status: {status}, tetapi bergerak menjauh dari target.") if p.trend == TREND_WORSE else _("Status: {status}.")).format(
                    status=_(STATUS_LABELS[p.status]).lower()))
    return html.Section([
        heading,
        dcc.Graph(figure=target_figure(series, path_years, path, data["target_year"], data["target"].low, data["target"].high, ind.desimal, ind.satuan),
                  config=GRAPH_CONFIG, id="target-lintasan-grafik"),
        html.P(sentence, className="chart-alt", id="target-lintasan-teks"),
        *trajectory_images(rel, ind, info),
        html.P(dcc.Link(_("Tutup lintasan"), href=target_url(state.query(wilayah='')))),
    ])


def trajectory_images(rel, ind, info) -> list:
    """The region's trajectory as an image (PNG, SVG, copy), the one a shared link of this view previews."""
    try:
        view = target_view(rel, ind.id, {"wilayah": info["kode"]})
    except StateError:
        return []
    subject = _("lintasan {indicator} di {region} menuju target").format(indicator=indicator_name(ind), region=info["nama"])
    return [image_links(chart_image_url(rel, view, "png"), chart_image_url(rel, view, "svg"), "target-lintasan-gambar", subject)]


def status(args, **_args) -> int:
    """400 or 404 for a query string that names no view (the page then says why)."""
    return parsed_state_status(tracker_state, args)


def target_text(raw: str, decimals: int) -> str:
    from data.targets import parse_target

    try:
        return format_target(parse_target(raw), decimals)
    except ValueError:
        return raw


def layout(**args):
    rel = queries.release()
    try:
        state = tracker_state(args, rel)
    except StateError as exc:
        return html.Div([html.H1(_("Target tidak ditemukan")), html.P(exc.message, id="target-galat"),
                         html.P(dcc.Link(_("Lihat semua target"), href=target_url()))], className="not-found")
    ind = rel.catalog[state.indikator]
    data = queries.tracker(rel, ind.id, state.tingkat)
    intro = [
        html.H1(_("Pantau target RPJMN 2025–2029 dan SDG")),
        html.P(_("Seberapa jauh Indonesia, provinsi dan kabupaten/kota menuju target pembangunan nasional. Angka resmi BPS dan angka register "
               "DTSEN ditampilkan terpisah, masing-masing pada skalanya sendiri."), className="lead"),
        overview(rel, ind.id),
    ]
    if not data:
        return html.Div(intro + [html.P(_("Indikator ini tidak punya target setelah tahun dasarnya."))])
    p = data["national_progress"]
    target = data["target"]
    goal = data["target_row"]
    nat = data["national"]
    sumber = _("angka resmi BPS") if ind.official else (_("register DTSEN — DATA SINTETIS, bukan statistik resmi") if rel.synthetic else _("register DTSEN"))
    subject = indicator_name(ind) + subject_suffix(data["dimensi"], data["kategori"])
    observed = _("yang teramati {base}–{last}: {change} per tahun.").format(base=data["base_year"], last=data["last_year"],
                                                                           change=change_cell(p.change_observed, p.trend, ind.desimal))
    need = (_("Target sudah tercapai, tidak ada perubahan yang dibutuhkan; {observed}").format(observed=observed) if p.status == STATUS_REACHED else
            _("Perubahan per tahun yang dibutuhkan sampai {year}: {change}; {observed}").format(
                year=data["target_year"], change=signed(p.change_needed, ind.desimal), observed=observed))
    regions = data["regions"]
    level_name = level_name_of(state.tingkat, plural=True)
    geo = geo_url(rel.id, state.tingkat)
    info = rel.regions.loc[rel.regions.index.isin(regions["kode_wilayah"])]
    hover = [f"<b>{n}</b><br>{_(STATUS_LABELS[s])}" + ("<br>" + _("skor {score}").format(score=format_number(sc, 0)) if sc == sc and sc is not None else "")
             for n, s, sc in zip(regions["nama"], regions["status_target"], regions["skor"])]
    level_links = [html.Li(html.Strong(LEVEL_NAMES[lv].capitalize(), **{"aria-current": "page"}) if lv == state.tingkat else
                           dcc.Link(LEVEL_NAMES[lv].capitalize(), href=target_url(state.query(tingkat=lv))))
                   for lv in TRACKER_LEVELS if ind.akses.get(lv) == "terbuka"]
    return html.Div(intro + [
        html.H2(subject, id="target-judul"),
        html.P([html.Span(sumber, className="source-badge official" if ind.official else "source-badge synthetic"), " ",
                _("Target {year}: {target} {unit} ({document}). Arah: {direction}.").format(
                    year=data["target_year"], target=format_target(target, ind.desimal), unit=unit_name(goal["satuan"]), document=goal["dokumen"],
                    direction=_("makin rendah makin baik") if ind.arah == "turun" else _("makin tinggi makin baik"))]),
        html.P([html.Strong(_("Nasional: ")), badge(p.status),
                " " + _("skor capaian {score}.").format(score=format_number(p.score, 0) if p.score is not None else "—") + " ", need],
               id="target-nasional"),
        dcc.Graph(figure=target_figure(nat, data["path_years"], data["path"], data["target_year"], target.low, target.high, ind.desimal, ind.satuan),
                  config=GRAPH_CONFIG, id="target-grafik") if data["path"] else None,
        image_links(chart_image_url(rel, TargetView(ind.id), "png"), chart_image_url(rel, TargetView(ind.id), "svg"), "target-grafik-gambar",
                    _("jalur nasional {indicator} menuju target").format(indicator=subject)) if data["path"] else None,
        html.P(trend_sentence(_("Nilai nasional teramati"), nat, ind.desimal, ind.satuan) +
               (" " + _("Jalur target lurus dari {start} ({start_year}) ke {end} ({end_year}).").format(
                   start=format_number(data["path"][0], ind.desimal), start_year=data["base_year"],
                   end=format_number(data["path"][-1], ind.desimal), end_year=data["target_year"]) if data["path"] else ""),
               className="chart-alt", id="target-grafik-teks"),
        region_trajectory(rel, ind, state, data),
        html.H2(_("Status per {level}").format(level=LEVEL_NAMES[state.tingkat])),
        html.Nav(html.Ul(level_links, className="level-links"), **{"aria-label": _("Tingkat wilayah")}) if len(level_links) > 1 else None,
        html.P(status_sentence(regions, level_name), id="target-ringkasan-wilayah", className="coverage-sentence"),
        dcc.Graph(figure=category_map_figure(regions, geo, "status_target", STATUS_ORDER, {k: _(v) for k, v in STATUS_LABELS.items()}, STATUS_COLOURS, hover,
                                             bounds_extent(rel.region_bounds(geo, regions["kode_wilayah"]))
                                             or (map_extent(info["lat"], info["lng"], pad=0.05) if len(info) else None)),
                  config=MAP_CONFIG, className="map-graph target-map", id="target-peta"),
        html.P(download_row(_("Unduh tabel"), "target", state.query(), id_prefix="target-unduh") + [" ", share_button()]),
        dcc.Markdown(region_table(regions, ind, state, *data["region_years"]), dangerously_allow_html=True, id="target-tabel-isi"),
        html.H2(_("Cara membaca")),
        html.P(_(METHOD_TEXT), id="target-metode"),
        html.H3(_("Semua target untuk indikator ini"), className="h6"),
        html.Ul([html.Li(f"{r['target_tahun']}: {target_text(r['target_nilai'], ind.desimal)} {unit_name(r['satuan'])} — {r['dokumen']}")
                 for r in data["all_targets"]]),
    ], className="target-page")
