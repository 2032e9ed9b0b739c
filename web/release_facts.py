"""The facts line of a page (components/facts.py) for the release it serves: this release's date from
its manifest, the next planned date from the release calendar (data/schedule.py), the years shown."""
from __future__ import annotations

from components.facts import facts_line
from data.schedule import next_planned


def release_facts(rel, years: list[int], id_: str):
    """Diperbarui <this release's date> · Rilis berikutnya <the calendar's next planned date> · Tahun tersedia <years>."""
    released = rel.manifest.get("dibuat", "")
    if not released:
        return None
    upcoming = next_planned(released)
    return facts_line(released, upcoming.tanggal if upcoming else None, years, id_)
