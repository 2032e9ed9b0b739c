"""What the comparison page (/bandingkan) and the profile's "Bandingkan" section draw: pure builders
over values already read (pages/bandingkan.py and pages/wilayah.py read them).

Every word the comparison shows is in TEXT below, one place to translate: each marked N_ for the
catalogue and read in the request's language (`Names`, so a message built at import is still
translated where it is shown). A protected cell reads exactly as on a region's profile
("dilindungi (S1)", "protected (S1)"): it never carries a number.
"""
from __future__ import annotations

from dash import dcc, html

from components.choropleth import status_label
from components.formatting import format_number, format_value
from components.i18n import N_, Names, _
from components.sparkline import sparkline_svg, year_values
from components.texts import indicator_name

TEXT = Names({
    # The page
    "page_title": N_("Bandingkan {names} — Portal Data DTSEN Terbuka"),
    "page_title_empty": N_("Bandingkan wilayah — Portal Data DTSEN Terbuka"),
    "heading": N_("Perbandingan: {names}"),
    "lead": N_("Angka tahun {tahun}, dengan trennya {first}–{last}. “Dilindungi” tidak berarti nol: S1 = sel terlalu kecil "
                "(penekanan primer), S2 = ikut disembunyikan agar sel S1 tidak bisa dihitung dari selisih (penekanan komplementer). "),
    "why_protected": N_("Mengapa, dan bagaimana meminta data terbatas"),
    "mixed_levels": N_("Wilayah ini dari tingkat yang berbeda: angkanya dihitung dengan cara yang sama, tetapi dari penduduk yang "
                        "jauh berbeda jumlahnya; makin kecil wilayahnya, makin sering selnya dilindungi, dan sebagian indikator "
                        "(angka resmi BPS) hanya terbit untuk provinsi dan nasional."),
    "synthetic": N_("Angka di halaman ini berasal dari data sintetis, bukan statistik resmi."),
    "download": N_("Unduh perbandingan"),
    "download_title": N_("Perbandingan {names}, {years}"),
    "download_order": N_("urutan bagian halaman perbandingan"),
    "level_nasional": N_("nasional"),
    "regions_heading": N_("Wilayah yang dibandingkan"),
    "remove_short": N_("hapus"),
    "profile": N_("profil"),
    "add_heading": N_("Tambah wilayah"),
    "add_label": N_("Cari wilayah untuk ditambahkan"),
    "add_placeholder": N_("mis. sleman atau 34.04"),
    "add_button": N_("Cari"),
    "full": N_("Sudah {max} wilayah, batas perbandingan: hapus satu untuk menambah yang lain."),
    "hits": N_("Pilih wilayah untuk ditambahkan ke perbandingan:"),
    "no_hits": N_("Tidak ada wilayah yang mirip dengan “{q}”. Periksa ejaan, atau coba nama kabupaten/kotanya."),
    "short_query": N_("Ketik paling sedikit dua huruf nama atau kode wilayah."),
    "add_link": N_("Tambahkan {name}"),
    "in_list": N_("sudah dibandingkan"),
    "indicator": N_("Indikator"),
    "trend_alt": N_("Tren {name}: {words}"),
    "not_available": N_("tidak tersedia"),
    "protected_word": N_("dilindungi"),
    "protected": N_("dilindungi ({status})"),
    "missing_year": N_("tidak ada"),
    # The landing page and the choosing step
    "start_heading": N_("Bandingkan wilayah"),
    "start_lead": N_("Letakkan dua sampai lima wilayah berdampingan, dari tingkat mana pun (provinsi, kabupaten/kota, kecamatan, "
                      "atau Indonesia): setiap indikator terbuka dengan trennya, dan unduhannya dalam CSV atau XLSX."),
    "start_label": N_("Cari wilayah pertama"),
    "start_example": N_("Contoh: "),
    "pick_heading": N_("Pilih wilayah pembanding untuk {name}"),
    "pick_lead": N_("Satu wilayah belum perbandingan: cari wilayah kedua."),
    "kept_lead": N_("Tetap dipilih: {names}. Cari wilayah berikutnya untuk ditambahkan."),
    "compare_kept": N_("Bandingkan {names}"),
    "kept_full": N_("{max} wilayah pertama yang sah tetap dipilih: {names}. Itu jumlah terbanyak untuk satu perbandingan."),
    # Errors (the reason comes from web/compare_state.py)
    "error_heading": N_("Perbandingan tidak dapat ditampilkan"),
    "error_help": N_("Alamat perbandingan berbentuk /bandingkan?wilayah=34.01,34.02 (2–5 kode wilayah dipisah koma, seperti ditulis di situs ini)."),
    "error_search": N_("Cari wilayah"),
    "error_start": N_("Mulai perbandingan baru"),
    "error_home": N_("Kembali ke Beranda"),
    # Errors of the address (web/compare_state.py)
    "err_empty_item": N_("Daftar wilayah berisi kode kosong (dua koma berurutan, atau koma di awal atau akhir): “{raw}”."),
    "err_junk": N_("“{item}” bukan kode wilayah. Kode ditulis seperti di situs ini: 34, 34.71 atau 34.71.01 (atau tanpa titik: 3471)."),
    "err_unknown": N_("Kode wilayah “{item}” tidak ada dalam daftar wilayah Kemendagri 2025."),
    "err_duplicate": N_("Wilayah {kode} disebut lebih dari sekali."),
    "err_too_few": N_("Perbandingan perlu paling sedikit {min} wilayah; alamat ini menyebut {n}."),
    "err_too_many": N_("Perbandingan paling banyak {max} wilayah; alamat ini menyebut {n}."),
    # The profile's section
    "section_heading": N_("Bandingkan dengan wilayah lain"),
    "section_lead": N_("Letakkan {name} berdampingan dengan sampai empat wilayah lain, dari tingkat mana pun."),
    "section_label": N_("Bandingkan {name} dengan…"),
    "similar_heading": N_("Wilayah yang mirip"),
    "similar_lead": N_("{level} lain di seluruh Indonesia yang angkanya paling dekat dengan {name}, tahun {tahun}, pada indikator ini: "),
    "similar_used": N_("Untuk {name} dipakai {n} dari {total} indikator itu: yang lain dilindungi di wilayah ini."),
    "similar_method": N_("Tiap indikator distandarkan (skor z di antara semua {level} yang nilainya terbuka); jaraknya adalah akar "
                          "rata-rata kuadrat selisih skor itu (0 = sama persis). Hanya wilayah yang nilainya terbuka untuk semua indikator "
                          "yang dipakai ikut dibandingkan; sel yang dilindungi tidak dipakai dan tidak ditaksir."),
    "similar_none": N_("Belum ada wilayah mirip yang dapat dihitung untuk {name}: wilayah ini (atau wilayah lain setingkatnya) punya "
                        "kurang dari {min} nilai terbuka pada indikator ini tahun {tahun}."),
    "similar_distance": N_("jarak {d}"),
    "similar_compare": N_("Bandingkan"),
    "similar_compare_whom": N_("dengan {other}"),
    "similar_all": N_("Bandingkan {name} dengan {n} wilayah termirip sekaligus"),
})


def labelled(visible: str, rest: str) -> list:
    """A short link's words ('hapus') and, for a screen reader, whom it is about ('hapus Kabupaten
    Bantul'): the visible words start the accessible name, as WCAG 2.5.3 asks."""
    return [visible, html.Span(f" {rest}", className="visually-hidden")]


def value_text(cell, ind, tahun: int | None = None) -> str:
    """A cell as the region profile writes it: the value with its unit, 'dilindungi (S1)', or why there
    is none; with the cell's year after it when that is not the page's `tahun` (a figure published a
    year later for provinces than for the nation is shown from its latest year, and says so)."""
    if cell is None:
        return TEXT["not_available"]
    if cell["status"] in ("S1", "S2"):
        text = TEXT["protected"].format(status=cell["status"])
    elif cell["status"] != "ok":
        text = status_label(cell["status"])
    else:
        text = format_value(cell["nilai"], ind.desimal, ind.satuan)
    year = cell.get("tahun")
    return f"{text} ({int(year)})" if tahun is not None and year is not None and int(year) != tahun else text


def trend(ind, series, years, name: str):
    """The region's line over the years and the same values in words (shown instead on a phone)."""
    values, words = year_values(series, years, ind.desimal, TEXT["protected_word"], TEXT["missing_year"])
    src = sparkline_svg(values)
    alt = TEXT["trend_alt"].format(name=name, words="; ".join(words))
    picture = html.Img(src=src, alt=alt, width=72, height=22, className="compare-spark") if src else None
    return [picture, html.Span(" → ".join(words), className="trend-words compare-trend", **{"aria-hidden": "true"} if src else {})]


def region_head(region: dict) -> html.Th:
    """A column's head: the region's name (its profile), level and code, and a way to take it out."""
    remove = region.get("remove_href")
    return html.Th([
        dcc.Link(region["nama"], href=region["href"]), html.Br(),
        html.Small(f"{region['level']} · {region['kode']}", className="text-muted"),
        *([html.Br(), dcc.Link(labelled(TEXT["remove_short"], region["nama"]), href=remove, className="compare-remove")] if remove else []),
    ], scope="col")


def compare_table(title: str, rows, regions: list[dict], series_of, years, indicator_href) -> list:
    """One domain's indicators, a column per region. On a phone (CSS: .compare-table below 576 px)
    each indicator is a card listing the regions one under another, each labelled by name."""
    body = []
    for ind, cells in rows:
        tds = []
        for region, cell in zip(regions, cells):
            shown = cell is not None and cell["status"] == "ok"  # protected or absent: set apart from numbers, in words
            tds.append(html.Td([html.Span(value_text(cell, ind, years[-1]), className="compare-value" if shown else "compare-value protected-cell"),
                                *trend(ind, series_of(region["kode"], ind.id), years, region["nama"])],
                               className="num", **{"data-label": region["nama"], "data-kode": region["kode"], "data-indikator": ind.id}))
        body.append(html.Tr([html.Th(dcc.Link(indicator_name(ind), href=indicator_href(ind.id)), scope="row"), *tds]))
    head = html.Thead(html.Tr([html.Th(TEXT["indicator"], scope="col"), *[region_head(r) for r in regions]]))
    return [html.H2(title), html.Div(html.Table([head, html.Tbody(body)], className="table table-sm compare-table"), className="table-responsive")]


def add_form(action: str, codes: list[str], query: str = "", id_prefix: str = "bandingkan", label: str | None = None,
             placeholder: str | None = None) -> html.Form:
    """A plain GET form (works without scripts): the regions so far ride along in a hidden field,
    the words typed are searched on the next page, whose hits each add one region."""
    field = f"{id_prefix}-cari"
    return html.Form([
        html.Label(label or TEXT["add_label"], htmlFor=field, className="form-label fw-semibold"),
        html.Div([
            dcc.Input(id=field, name="cari", type="search", value=query or None, maxLength=100, autoComplete="off",
                      className="form-control", placeholder=placeholder or TEXT["add_placeholder"]),
            html.Button(TEXT["add_button"], type="submit", className="btn btn-primary"),
        ], className="compare-search"),
        dcc.Input(type="hidden", name="wilayah", value=",".join(codes)) if codes else None,
    ], method="get", action=action, className="compare-form")


def hit_list(hits: list[dict], query: str) -> html.Div:
    """hits: nama, context, level, href (None: already compared)."""
    if len(query.strip()) < 2:
        return html.P(TEXT["short_query"], className="text-muted", id="bandingkan-hasil")
    if not hits:
        return html.P(TEXT["no_hits"].format(q=query), id="bandingkan-hasil")
    items = []
    for h in hits:
        what = html.Span(f" {h['level']}" + (f" · {h['context']}" if h["context"] else ""), className="result-context")
        items.append(html.Li([dcc.Link(TEXT["add_link"].format(name=h["nama"]), href=h["href"], className="result-link") if h["href"] else
                              html.Span([h["nama"], f" ({TEXT['in_list']})"]), what]))
    return html.Div([html.P(TEXT["hits"]), html.Ol(items, className="search-results")], id="bandingkan-hasil")


def similar_section(name: str, levels: str, tahun: int, indicators: list[tuple[str, str]], neighbours: list[dict], min_common: int,
                    together: tuple[str, int] | None) -> html.Section:
    """The profile's "similar regions": which indicators define the distance (each a link), how it is
    computed, then each neighbour with its profile and a comparison with it. levels: the level's name in
the plural ('kabupaten/kota', 'regencies/cities'); neighbours: nama, href,
    compare_href, distance, common; together: the comparison with the nearest few at once (its address, how many)."""
    named = [x for i, (label, href) in enumerate(indicators) for x in ([", "] if i else []) + [dcc.Link(label, href=href)]]
    used = neighbours[0]["common"] if neighbours else len(indicators)
    lead = TEXT["similar_lead"].format(level=levels, name=name, tahun=tahun)
    body = [html.P([lead[:1].upper() + lead[1:], *named, ".",
                    f" {TEXT['similar_used'].format(name=name, n=used, total=len(indicators))}" if used < len(indicators) else ""]),
            html.P(TEXT["similar_method"].format(level=levels), className="small text-muted")]
    if not neighbours:
        body.append(html.P(TEXT["similar_none"].format(name=name, min=min_common, tahun=tahun), id="wilayah-mirip-kosong"))
    else:
        body.append(html.Ol([html.Li([
            dcc.Link(n["nama"], href=n["href"]), " ",
            html.Span(f"({TEXT['similar_distance'].format(d=format_number(n['distance'], 2))})", className="result-context"), " · ",
            dcc.Link(labelled(TEXT["similar_compare"], TEXT["similar_compare_whom"].format(other=n["nama"])), href=n["compare_href"]),
        ]) for n in neighbours], className="similar-list", id="wilayah-mirip"))
        if together:
            href, n = together
            body.append(html.P(dcc.Link(TEXT["similar_all"].format(name=name, n=n), href=href, id="wilayah-mirip-semua")))
    return html.Section([html.H3(TEXT["similar_heading"], className="h5"), *body])


def profile_section(name: str, action: str, kode: str, similar: html.Section | None) -> list:
    """The profile's "Bandingkan dengan…": the add form with this region already in it, then the similar regions."""
    return [html.H2(TEXT["section_heading"], id="wilayah-bandingkan"),
            html.P(TEXT["section_lead"].format(name=name)),
            add_form(action, [kode], id_prefix="wilayah-bandingkan", label=TEXT["section_label"].format(name=name)),
            similar]
