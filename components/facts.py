"""Facts first (issue 20): the line under an indicator's or a map's title that says how fresh its
numbers are, and the words of the release calendar. Pure builders: the pages pass the dates and years.

Every word of these pieces is in TEXT (one place, for a later message catalogue)."""
from __future__ import annotations

import datetime as dt

from dash import html

from components.links import schedule_url

TEXT = {
    "updated": "Diperbarui",
    "next": "Rilis berikutnya",
    "planned": "rencana",
    "none_planned": "belum dijadwalkan",
    "years": "Tahun tersedia",
    "calendar": "jadwal rilis",
}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")


def date_id(day: dt.date | str) -> str:
    """'2026-12-01' → '1 Desember 2026'."""
    if not isinstance(day, dt.date):
        day = dt.date.fromisoformat(str(day)[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def years_text(years: list[int]) -> str:
    """Consecutive years as a span (2023–2025), else listed (2019, 2023–2025)."""
    if not years:
        return "–"
    runs, start = [], years[0]
    for prev, y in zip(years, years[1:] + [None]):
        if y != prev + 1 if y is not None else True:
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            start = y
    return ", ".join(runs)


def facts_line(released: str, next_date: dt.date | None, years: list[int], id_: str) -> html.P:
    """'Diperbarui 1 Desember 2026 · Rilis berikutnya 1 Maret 2027 (rencana, jadwal rilis) · Tahun tersedia 2023–2025'."""
    planned = ([date_id(next_date), f" ({TEXT['planned']}, ", html.A(TEXT["calendar"], href=schedule_url()), ")"] if next_date
               else [TEXT["none_planned"], " (", html.A(TEXT["calendar"], href=schedule_url()), ")"])
    return html.P([f"{TEXT['updated']} {date_id(released)} · {TEXT['next']} ", *planned, f" · {TEXT['years']} {years_text(years)}"],
                  id=id_, className="facts-line small text-muted")
