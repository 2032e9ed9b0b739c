"""Facts first (issue 20): the line under an indicator's or a map's title that says how fresh its
numbers are, and the words of the release calendar. Pure builders: the pages pass the dates and years.

Every word goes through the message catalogue (components/i18n.py)."""
from __future__ import annotations

import datetime as dt

from dash import html

from components.i18n import _, language
from components.links import schedule_url

def month_names() -> tuple[str, ...]:
    return (_("Januari"), _("Februari"), _("Maret"), _("April"), _("Mei"), _("Juni"), _("Juli"), _("Agustus"), _("September"),
            _("Oktober"), _("November"), _("Desember"))


def date_id(day: dt.date | str) -> str:
    """'2026-12-01' → '1 Desember 2026' (English: 'December 1, 2026')."""
    if not isinstance(day, dt.date):
        day = dt.date.fromisoformat(str(day)[:10])
    month = month_names()[day.month - 1]
    return f"{month} {day.day}, {day.year}" if language() == "en" else f"{day.day} {month} {day.year}"


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
    calendar = html.A(_("jadwal rilis"), href=schedule_url())
    planned = ([date_id(next_date), " (" + _("rencana") + ", ", calendar, ")"] if next_date else [_("belum dijadwalkan"), " (", calendar, ")"])
    # Whole messages with named fields (an f-string hides its words from pybabel: they stayed Indonesian in English).
    return html.P([_("Diperbarui {date} · Rilis berikutnya").format(date=date_id(released)) + " ", *planned,
                   " · " + _("Tahun tersedia {years}").format(years=years_text(years))],
                  id=id_, className="facts-line small text-muted")
