"""Profil wilayah: every open indicator for one region, beside its parent and the nation."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.choropleth import status_label
from components.formatting import format_value
from components.texts import DOMAIN_NAMES
from data import queries
from data.catalog import DOMAINS
from web.state import LEVEL_NAMES

dash.register_page(
    __name__,
    path_template="/wilayah/<kode>",
    title=lambda kode=None, **_: f"Profil wilayah {kode} — Portal Data DTSEN Terbuka",
    description="Semua indikator terbuka untuk satu wilayah, dibandingkan dengan wilayah induk dan nasional.",
)

CHILD_LEVEL = {"nasional": "provinsi", "provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan"}


def lineage(rel, kode: str) -> list[dict]:
    chain = []
    info = rel.region(kode)
    while info is not None:
        chain.append(info)
        info = rel.region(info["kode_induk"]) if info["kode_induk"] else None
    return list(reversed(chain))


def cell_text(ind, row) -> str:
    if row is None:
        return "tidak tersedia"
    if row["status"] != "ok":
        return status_label(row["status"])
    return format_value(row["nilai"], ind.desimal, ind.satuan)


def layout(kode=None, **_):
    rel = queries.release()
    info = rel.region(kode or "")
    if info is None:
        return html.Div([html.H1("Wilayah tidak ditemukan"),
                         html.P(f"Kode wilayah '{kode}' tidak ada dalam daftar wilayah Kemendagri 2025.", id="wilayah-galat"),
                         html.P([dcc.Link("Lihat Indonesia", href="/wilayah/00"), " · ", dcc.Link("Kembali ke Beranda", href="/")])],
                        className="not-found")
    chain = lineage(rel, info["kode"])
    parent = chain[-2] if len(chain) > 1 else None
    tahun = rel.years[-1]
    kodes = tuple(dict.fromkeys([info["kode"], parent["kode"] if parent else "00", "00"]))
    df = queries.profile_cells(rel.id, kodes, tahun)
    by = {(r.indicator_id, r.kode_wilayah): r._asdict() for r in df.itertuples(index=False)}
    sections = []
    for dom in DOMAINS:
        inds = [i for i in rel.catalog.values() if i.domain == dom and (i.id, info["kode"]) in by]
        if not inds:
            continue
        rows = []
        for ind in inds:
            cells = [html.Td(dcc.Link(ind.nama_id, href=f"/peta?indikator={ind.id}&tahun={tahun}"))]
            cells.append(html.Td(cell_text(ind, by.get((ind.id, info["kode"]))), className="num"))
            if parent:
                cells.append(html.Td(cell_text(ind, by.get((ind.id, parent["kode"]))), className="num"))
            if info["kode"] != "00" and (not parent or parent["kode"] != "00"):
                cells.append(html.Td(cell_text(ind, by.get((ind.id, "00"))), className="num"))
            rows.append(html.Tr(cells))
        heads = ["Indikator", info["nama"]] + ([parent["nama"]] if parent else []) + (["Indonesia"] if info["kode"] != "00" and (not parent or parent["kode"] != "00") else [])
        sections += [html.H2(DOMAIN_NAMES[dom]),
                     html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])), html.Tbody(rows)],
                                         className="table table-sm profile-table"), className="table-responsive")]
    child_level = CHILD_LEVEL.get(info["tingkat"])
    children = rel.regions[(rel.regions.tingkat == child_level) & (rel.regions.kode_induk.fillna("00") == info["kode"])] if child_level else []
    crumbs = html.Nav(html.Ol([html.Li(dcc.Link(c["nama"], href=f"/wilayah/{c['kode']}") if c is not chain[-1] else c["nama"], className="crumb")
                               for c in chain], className="crumbs"), **{"aria-label": "Jalur wilayah"}, id="wilayah-jalur")
    level = LEVEL_NAMES[info["tingkat"]] if info["tingkat"] != "nasional" else "nasional"
    return html.Div([
        crumbs,
        html.H1(info["nama"], id="wilayah-judul"),
        html.P(f"{level.capitalize()} · kode {info['kode']} · angka tahun {tahun}. Sel “dilindungi” tidak berarti nol.", className="text-muted"),
        html.P([dcc.Link("Lihat di peta", href=f"/peta?tingkat={child_level}&induk={info['kode']}" if child_level and info["kode"] != "00" else "/peta"),
                " · ", html.A("Unduh profil (CSV)", href=f"/unduh/wilayah/{info['kode']}.csv", id="wilayah-unduh")]),
        *sections,
        html.H2(f"Wilayah di dalam {info['nama']}") if len(children) else None,
        html.Ul([html.Li(dcc.Link(n, href=f"/wilayah/{k}")) for k, n in zip(children["kode"], children["nama"])], className="child-list", id="wilayah-anak") if len(children) else None,
    ])
