"""The pemekaran notice (issue 20): a region inside a province formed by splitting an older one had
other codes before, and the older province covers less than it did. Pure builders: the pages pass the
splits (data/pemekaran.py) that touch the region; every word goes through the message catalogue."""
from __future__ import annotations

from dash import html

from components.i18n import _


def region_text(kode: str, nama: str, new, lost: list) -> str | None:
    """The notice's sentence for a region's own page or view, or None where no split touches it.
    new: the split that formed the region's province (or None); lost: the splits that took regions from it."""
    if new is not None and kode == new.kode:
        return _("Pemekaran: Provinsi {new} dibentuk pada {year} dari Provinsi {old} (kode {old_code}) berdasarkan {law}. "
                 "Sumber yang lebih lama mencatat wilayahnya di Provinsi {old}, dengan kode berawalan {old_code}.").format(
            new=new.nama, year=new.tahun, old=new.nama_asal, old_code=new.asal, law=new.dasar_hukum)
    if new is not None:
        return _("Pemekaran: {region} termasuk Provinsi {new}, yang dibentuk pada {year} dari Provinsi {old} (kode {old_code}) "
                 "berdasarkan {law}. Sebelumnya wilayah ini tercatat di Provinsi {old} dengan kode berawalan {old_code}; "
                 "kode di sini mengikuti Kepmendagri 2025.").format(
            region=nama, new=new.nama, year=new.tahun, old=new.nama_asal, old_code=new.asal, law=new.dasar_hukum)
    if lost:
        return _("Pemekaran: sejak {year} sebagian wilayah Provinsi {old} menjadi {provinces}. Angka provinsi ini tidak "
                 "sebanding dengan angka dari sebelum pemekaran, yang mencakup wilayah itu.").format(
            year=min(s.tahun for s in lost), old=nama, provinces=_joined(lost))
    return None


def nation_text(every: tuple | list) -> str | None:
    """For a map of every province: which provinces are new, so an older map's count is not a surprise."""
    if not every:
        return None
    return _("Pemekaran: {provinces} dibentuk pada {years}; sumber sebelum itu mencatat wilayahnya di provinsi asalnya.").format(
        provinces=_joined(every), years=", ".join(sorted({str(s.tahun) for s in every})))


def _joined(items) -> str:
    names = [_("Provinsi {name} ({code})").format(name=s.nama, code=s.kode) for s in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " " + _("dan") + " " + names[-1]


def notice(text: str | None, id_: str) -> html.P | None:
    return html.P(text, id=id_, className="pemekaran-notice small") if text else None
