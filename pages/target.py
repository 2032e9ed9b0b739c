"""Target: RPJMN 2025–2029 and SDG indicators against their targets, nationally and per region.

Every choice is a link (indicator, level, sort order), so the page is plain,
server-rendered HTML that needs no script to be read, sorted or navigated.
"""
from __future__ import annotations

from html import escape as esc

import dash
from dash import dcc, html

from components.charts import GRAPH_CONFIG, target_figure, trend_sentence
from components.choropleth import MAP_CONFIG, category_map_figure, map_extent
from components.formatting import format_number, format_value
from data import queries
from data.targets import METHOD_TEXT, STATUS_COLOURS, STATUS_LABELS, STATUS_OFF_TRACK, STATUS_ON_TRACK, STATUS_REACHED, STATUS_UNKNOWN
from web.state import LEVEL_NAMES, TRACKER_LEVELS, StateError, tracked_indicators, tracker_state

dash.register_page(
    __name__,
    path="/target",
    title="Pantau target RPJMN 2025–2029 dan SDG — Portal Data DTSEN Terbuka",
    description="Capaian indikator terhadap target RPJMN 2025–2029 dan SDG, nasional dan per provinsi serta kabupaten/kota.",
)

STATUS_ORDER = [STATUS_REACHED, STATUS_ON_TRACK, STATUS_OFF_TRACK, STATUS_UNKNOWN]
SORT_NAMES = {"skor": "skor capaian", "nama": "nama", "status": "status", "nilai": "nilai terakhir"}


def badge(status: str) -> html.Span:
    return html.Span(STATUS_LABELS[status], className=f"status-badge status-{status}")


def signed(v, decimals: int) -> str:
    if v is None:
        return "—"
    return ("+" if v > 0 else "") + format_number(v, decimals + 1) if v >= 0 else format_number(v, decimals + 1)


def overview(rel, current: str) -> html.Div:
    """Every tracked indicator's national status in one table (the planner's first look)."""
    rows = []
    for ind in tracked_indicators(rel.catalog, rel.targets):
        data = queries.tracker(rel.id, ind.id, "provinsi")
        if not data:
            continue
        p = data["national_progress"]
        nat = data["national"].set_index("tahun")
        last = nat["nilai"].get(data["last_year"]) if nat["status"].get(data["last_year"]) == "ok" else None
        name = html.Strong(ind.nama_id, **{"aria-current": "true"}) if ind.id == current else dcc.Link(ind.nama_id, href=f"/target?indikator={ind.id}")
        rows.append(html.Tr([
            html.Td([name, html.Br(), html.Small("angka resmi BPS" if ind.official else ("register DTSEN, sintetis" if rel.synthetic else "register DTSEN"),
                                                 className="text-muted")]),
            html.Td(format_value(last, ind.desimal, ind.satuan) if last is not None else "dilindungi", className="num"),
            html.Td(f"{format_number(data['target'].threshold(ind.arah), ind.desimal)} ({data['target_year']})", className="num"),
            html.Td(format_number(p.score, 0) if p.score is not None else "—", className="num"),
            html.Td(badge(p.status)),
        ], className="current-row" if ind.id == current else None))
    return html.Div(html.Table([
        html.Caption("Capaian nasional tiap indikator bertarget (tahun terakhir rilis)"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Indikator", "Nilai terakhir", "Target", "Skor capaian", "Status")])),
        html.Tbody(rows),
    ], className="table table-sm tracker-table", id="target-ringkasan"), className="table-responsive")


def region_table(df, ind, state, base_year: int, last_year: int) -> str:
    """The regions' status as one escaped HTML table (thousands of rows stay light)."""
    key = {"skor": ("skor", False), "nama": ("nama", True), "nilai": ("nilai_akhir", ind.arah == "turun"),
           "status": ("status_rank", True)}[state.urut]
    df = df.assign(status_rank=df["status_target"].map({s: i for i, s in enumerate(STATUS_ORDER)}))
    df = df.sort_values([key[0], "nama"], ascending=[key[1], True], na_position="last")
    wide = ' class="wide-only"'  # the two rates of change show from tablet width up
    head = "".join(
        f'<th scope="col"{wide if w else ""}>{"<a href=" + chr(34) + "/target?" + esc(state.query(urut=s)) + chr(34) + ">" + esc(label) + "</a>" if s and s != state.urut else esc(label)}'
        f'{" ▼" if s == state.urut else ""}</th>'
        for label, s, w in (("Wilayah", "nama", False), (f"{base_year}", None, False), (f"{last_year}", "nilai", False), ("Perubahan/tahun teramati", None, True),
                            ("Perubahan/tahun dibutuhkan", None, True), ("Skor", "skor", False), ("Status", "status", False)))
    body = []
    for r in df.itertuples():
        v0 = format_number(r.nilai_awal, ind.desimal) if r.nilai_awal is not None and r.nilai_awal == r.nilai_awal else "dilindungi"
        v1 = format_number(r.nilai_akhir, ind.desimal) if r.nilai_akhir is not None and r.nilai_akhir == r.nilai_akhir else "dilindungi"
        score = format_number(r.skor, 0) if r.skor is not None and r.skor == r.skor else "—"
        body.append(
            f'<tr><td><a href="/wilayah/{esc(r.kode_wilayah)}">{esc(r.nama)}</a></td><td class="num">{v0}</td><td class="num">{v1}</td>'
            f'<td class="num wide-only">{esc(signed(_num(r.perubahan_teramati), ind.desimal))}</td><td class="num wide-only">{esc(signed(_num(r.perubahan_dibutuhkan), ind.desimal))}</td>'
            f'<td class="num">{score}</td><td><span class="status-badge status-{r.status_target}">{esc(STATUS_LABELS[r.status_target])}</span></td></tr>')
    return (f'<div class="table-responsive"><table class="table table-sm tracker-table" id="target-tabel"><caption>Status per '
            f'{esc(LEVEL_NAMES[state.tingkat])}, diurutkan menurut {esc(SORT_NAMES[state.urut])}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _num(v):
    return None if v is None or v != v else float(v)


def status_sentence(df, level_name: str) -> str:
    counts = df["status_target"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {STATUS_LABELS[s].lower()}" for s in STATUS_ORDER if counts.get(s, 0)]
    return f"Dari {len(df)} {level_name}: " + ", ".join(parts) + "."


def layout(**args):
    rel = queries.release()
    try:
        state = tracker_state(args, rel)
    except StateError as exc:
        return html.Div([html.H1("Target tidak ditemukan"), html.P(exc.message, id="target-galat"),
                         html.P(dcc.Link("Lihat semua target", href="/target"))], className="not-found")
    ind = rel.catalog[state.indikator]
    data = queries.tracker(rel.id, ind.id, state.tingkat)
    intro = [
        html.H1("Pantau target RPJMN 2025–2029 dan SDG"),
        html.P("Seberapa jauh Indonesia, provinsi dan kabupaten/kota menuju target pembangunan nasional. Angka resmi BPS dan angka register "
               "DTSEN ditampilkan terpisah, masing-masing pada skalanya sendiri.", className="lead"),
        overview(rel, ind.id),
    ]
    if not data:
        return html.Div(intro + [html.P("Indikator ini tidak punya target setelah tahun dasarnya.")])
    p = data["national_progress"]
    target = data["target"]
    goal = data["target_row"]
    nat = data["national"]
    sumber = "angka resmi BPS" if ind.official else ("register DTSEN — DATA SINTETIS, bukan statistik resmi" if rel.synthetic else "register DTSEN")
    subject = ind.nama_id + (f" ({data['dimensi'].replace('_', ' ')} = {data['kategori']})" if data["dimensi"] != "total" else "")
    need = f"Perubahan per tahun yang dibutuhkan sampai {data['target_year']}: {signed(p.change_needed, ind.desimal)}; " \
           f"yang teramati {data['base_year']}–{data['last_year']}: {signed(p.change_observed, ind.desimal)} per tahun."
    regions = data["regions"]
    level_name = LEVEL_NAMES[state.tingkat]
    geo = f"/geo/{rel.id}/{state.tingkat}.geojson"
    info = rel.regions.loc[rel.regions.index.isin(regions["kode_wilayah"])]
    hover = [f"<b>{n}</b><br>{STATUS_LABELS[s]}" + (f"<br>skor {format_number(sc, 0)}" if sc == sc and sc is not None else "")
             for n, s, sc in zip(regions["nama"], regions["status_target"], regions["skor"])]
    level_links = [html.Li(html.Strong(LEVEL_NAMES[lv].capitalize(), **{"aria-current": "page"}) if lv == state.tingkat else
                           dcc.Link(LEVEL_NAMES[lv].capitalize(), href=f"/target?{state.query(tingkat=lv)}"))
                   for lv in TRACKER_LEVELS if ind.akses.get(lv) == "terbuka"]
    return html.Div(intro + [
        html.H2(subject, id="target-judul"),
        html.P([html.Span(sumber, className="source-badge official" if ind.official else "source-badge synthetic"),
                f" Target {data['target_year']}: {target.text} {goal['satuan']} ({goal['dokumen']}). Arah: "
                f"{'makin rendah makin baik' if ind.arah == 'turun' else 'makin tinggi makin baik'}."]),
        html.P([html.Strong("Nasional: "), badge(p.status), f" skor capaian {format_number(p.score, 0) if p.score is not None else '—'}. ", need],
               id="target-nasional"),
        dcc.Graph(figure=target_figure(nat, data["path_years"], data["path"], data["target_year"], target.low, target.high, ind.desimal, ind.satuan),
                  config=GRAPH_CONFIG, id="target-grafik") if data["path"] else None,
        html.P(trend_sentence("Nilai nasional teramati", nat, ind.desimal, ind.satuan) +
               (f" Jalur target lurus dari {format_number(data['path'][0], ind.desimal)} ({data['base_year']}) ke "
                f"{format_number(data['path'][-1], ind.desimal)} ({data['target_year']})." if data["path"] else ""),
               className="chart-alt", id="target-grafik-teks"),
        html.H2(f"Status per {level_name}"),
        html.Nav(html.Ul(level_links, className="level-links"), **{"aria-label": "Tingkat wilayah"}) if len(level_links) > 1 else None,
        html.P(status_sentence(regions, level_name), id="target-ringkasan-wilayah", className="coverage-sentence"),
        dcc.Graph(figure=category_map_figure(regions, geo, "status_target", STATUS_ORDER, STATUS_LABELS, STATUS_COLOURS, hover,
                                             map_extent(info["lat"], info["lng"], pad=0.05) if len(info) else None),
                  config=MAP_CONFIG, className="map-graph target-map", id="target-peta"),
        html.P([html.A("Unduh tabel (XLSX)", href=f"/unduh/target.xlsx?{state.query()}", id="target-unduh-xlsx"), " · ",
                html.A("CSV", href=f"/unduh/target.csv?{state.query()}", id="target-unduh")]),
        dcc.Markdown(region_table(regions, ind, state, *data["region_years"]), dangerously_allow_html=True, id="target-tabel-isi"),
        html.H2("Cara membaca"),
        html.P(METHOD_TEXT, id="target-metode"),
        html.H3("Semua target untuk indikator ini", className="h6"),
        html.Ul([html.Li(f"{r['target_tahun']}: {r['target_nilai']} {r['satuan']} — {r['dokumen']}") for r in data["all_targets"]]),
    ], className="target-page")
