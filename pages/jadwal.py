"""Jadwal rilis: the release calendar (data/jadwal_rilis.toml), shown as the plan it is, beside the
release being served (its date from its manifest). The calendar's titles and notes are messages of the
catalogue (components/catalog_messages.py), so the English page reads them in English."""
from __future__ import annotations

import dash
from dash import html

from components.i18n import N_, Names, _
from components.facts import date_id
from components.links import SCHEDULE, release_url, report_url
from data import queries
from data.schedule import next_planned, schedule

TEXT = Names({
    "title": N_("Jadwal rilis"),
    "lead": N_("Rencana rilis Portal Data DTSEN Terbuka. Ini rencana, bukan janji: tanggal bisa bergeser, dan perubahan jadwal "
            "diumumkan di halaman ini. Rilis yang benar-benar terbit, dengan tanggal dan catatannya, tercatat di "),
    "releases": N_("daftar rilis"),
    "current": N_("Rilis yang sedang dilayani: {id}, terbit {date}."),
    "next": N_("Rilis berikutnya yang direncanakan: {date} — {what}."),
    "none": N_("Belum ada rilis berikutnya yang dijadwalkan."),
    "caption": N_("Rencana rilis"),
    "synthetic": N_("Rilis yang sedang dilayani memakai data sintetis: angkanya bukan statistik resmi."),
    "ask": N_("Ada pertanyaan tentang jadwal, atau menemukan masalah pada data? "),
    "report": N_("Hubungi kami atau laporkan masalah data"),
})

STATUS = Names({"direncanakan": N_("direncanakan"), "terbit": N_("terbit"), "dibatalkan": N_("dibatalkan")})

dash.register_page(
    __name__,
    path=SCHEDULE,
    title=lambda **_args: _("{title} — Portal Data DTSEN Terbuka").format(title=TEXT["title"]),
    description=N_("Rencana rilis: kapan data diperbarui berikutnya, dan rilis yang sedang dilayani."),
)


def layout(**_args):
    rel = queries.release()
    released = rel.manifest.get("dibuat", "")
    upcoming = next_planned(released) if released else None
    # A list, not a four-column table: it reads on a 360 px phone without scrolling sideways.
    items = [html.Li([html.Strong(date_id(p.tanggal)), f" — {_(p.judul)} ",
                      html.Span(f"({STATUS[p.status]})", className=f"jadwal-status jadwal-{p.status}"),
                      html.Br(), html.Span(_(p.keterangan), className="small text-muted") if p.keterangan else None],
                     className="mb-2") for p in schedule()]
    return html.Div([
        html.H1(TEXT["title"]),
        html.P([TEXT["lead"], html.A(TEXT["releases"], href=release_url()), "."], className="lead"),
        html.P(TEXT["current"].format(id=rel.id, date=date_id(released) if released else "–"), id="jadwal-sekarang"),
        html.P(TEXT["next"].format(date=date_id(upcoming.tanggal), what=_(upcoming.judul)) if upcoming else TEXT["none"], id="jadwal-berikutnya"),
        html.P(TEXT["synthetic"]) if rel.synthetic else None,
        html.H2(TEXT["caption"], className="h5"),
        html.Ol(items, id="jadwal-daftar", className="list-unstyled"),
        html.P([TEXT["ask"], html.A(TEXT["report"], href=report_url())]),
    ], className="jadwal-page")
