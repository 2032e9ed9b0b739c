"""Jadwal rilis: the release calendar (data/jadwal_rilis.toml), shown as the plan it is, beside the
release being served (its date from its manifest)."""
from __future__ import annotations

import dash
from dash import html

from components.facts import date_id
from components.links import SCHEDULE, release_url, report_url
from data import queries
from data.schedule import next_planned, schedule

TEXT = {
    "title": "Jadwal rilis",
    "lead": "Rencana rilis Portal Data DTSEN Terbuka. Ini rencana, bukan janji: tanggal bisa bergeser, dan perubahan jadwal "
            "diumumkan di halaman ini. Rilis yang benar-benar terbit, dengan tanggal dan catatannya, tercatat di ",
    "releases": "daftar rilis",
    "current": "Rilis yang sedang dilayani: {id}, terbit {date}.",
    "next": "Rilis berikutnya yang direncanakan: {date} — {what}.",
    "none": "Belum ada rilis berikutnya yang dijadwalkan.",
    "caption": "Rencana rilis (data/jadwal_rilis.toml)",
    "cols": ("Tanggal", "Rilis", "Status", "Keterangan"),
    "status": {"direncanakan": "direncanakan", "terbit": "terbit", "dibatalkan": "dibatalkan"},
    "synthetic": "Rilis yang sedang dilayani memakai data sintetis: angkanya bukan statistik resmi.",
    "ask": "Ada pertanyaan tentang jadwal, atau menemukan masalah pada data? ",
    "report": "Hubungi kami atau laporkan masalah data",
}

dash.register_page(
    __name__,
    path=SCHEDULE,
    title=f"{TEXT['title']} — Portal Data DTSEN Terbuka",
    description="Rencana rilis: kapan data diperbarui berikutnya, dan rilis yang sedang dilayani.",
)


def layout(**_):
    rel = queries.release()
    released = rel.manifest.get("dibuat", "")
    upcoming = next_planned(released) if released else None
    rows = [html.Tr([html.Td(date_id(p.tanggal)), html.Td(p.judul), html.Td(TEXT["status"][p.status], className=f"jadwal-{p.status}"),
                     html.Td(p.keterangan)]) for p in schedule()]
    return html.Div([
        html.H1(TEXT["title"]),
        html.P([TEXT["lead"], html.A(TEXT["releases"], href=release_url()), "."], className="lead"),
        html.P(TEXT["current"].format(id=rel.id, date=date_id(released) if released else "–"), id="jadwal-sekarang"),
        html.P(TEXT["next"].format(date=date_id(upcoming.tanggal), what=upcoming.judul) if upcoming else TEXT["none"], id="jadwal-berikutnya"),
        html.P(TEXT["synthetic"]) if rel.synthetic else None,
        html.Table([  # four columns that wrap: no scrolling box at 360 px
            html.Caption(TEXT["caption"]),
            html.Thead(html.Tr([html.Th(c, scope="col") for c in TEXT["cols"]])),
            html.Tbody(rows),
        ], className="table table-sm", id="jadwal-tabel"),
        html.P([TEXT["ask"], html.A(TEXT["report"], href=report_url())]),
    ], className="jadwal-page")
