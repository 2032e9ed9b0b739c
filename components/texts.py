"""Names the site shows for the release's codes (breakdowns, categories, the desil panels).

Marked with N_ for the message catalogue and translated where shown: `dimension_name(d)`,
`category_label(d, k)`, `_(title)`. Every other UI string is written in place as `_("…")`
(components/i18n.py)."""
from __future__ import annotations

from components.i18n import N_, _, pgettext, pick

DIMENSION_NAMES = {"total": N_("Total"), "jenis_kelamin": N_("Jenis kelamin"), "perkotaan_perdesaan": N_("Perkotaan/perdesaan"),
                   "desil": N_("Desil kesejahteraan"), "kelompok_umur": N_("Kelompok umur")}
CATEGORY_NAMES = {"total": N_("Total"), "L": N_("Laki-laki"), "P": N_("Perempuan"), "perkotaan": N_("Perkotaan"),
                  "perdesaan": N_("Perdesaan")}


def dimension_name(dimensi: str) -> str:
    return _(DIMENSION_NAMES[dimensi]) if dimensi in DIMENSION_NAMES else dimensi


def category_label(dimensi: str, kategori: str) -> str:
    """'Perempuan', 'Desil 1', or a raw age group ('15-24') as the site writes it."""
    if kategori in CATEGORY_NAMES:
        return _(CATEGORY_NAMES[kategori])
    if dimensi == "desil" or kategori.isdigit():
        return _("Desil {n}").format(n=kategori)
    return kategori


# The region profile's desil panels (indicator, heading, lead): the page and its download both show them.
DESIL_PANELS = [
    ("jumlah_rumah_tangga", N_("Rumah tangga menurut desil kesejahteraan"),
     N_("Berapa rumah tangga di tiap desil (desil 1 = 10 % termiskin secara nasional).")),
    ("cakupan_bansos_apa_pun", N_("Penerima bantuan sosial menurut desil"),
     N_("Persentase rumah tangga yang menerima bansos apa pun di tiap desil: siapa yang menerima, siapa yang terlewat.")),
]


def level_name(tingkat: str, plural: bool = False) -> str:
    """'kabupaten/kota'; plural=True where English counts them ('412 of 514 regencies/cities')."""
    if tingkat == "nasional":
        return "Indonesia"
    if plural:
        names = {"provinsi": pgettext("jamak", "provinsi"), "kabupaten_kota": pgettext("jamak", "kabupaten/kota"),
                 "kecamatan": pgettext("jamak", "kecamatan")}
    else:
        names = {"provinsi": _("provinsi"), "kabupaten_kota": _("kabupaten/kota"), "kecamatan": _("kecamatan")}
    return names.get(tingkat, tingkat)


def indicator_name(ind) -> str:
    """An indicator's name in the current language: the catalogue carries both (nama_id, nama_en)."""
    return pick(ind.nama_id, getattr(ind, "nama_en", ""))


def hit_texts(hit) -> tuple[str, str, str]:
    """A search hit's (name, level, context) in the current language: an indicator by the catalogue's
    English name, its domain and the level labels translated; a region's names stay as they are."""
    return pick(hit.label, hit.label_en), _(hit.kind_label), (_(hit.context) if hit.context_marked and hit.context else hit.context)


# The licences a release's manifest states (pipeline/release.py writes them, in Bahasa Indonesia): shown translated.
LICENCES = (N_("CC BY 4.0 (data sintetis demo); kode wilayah Kepmendagri 2025; batas wilayah MIT © 2024 Cahya DSN"),
            N_("CC BY 4.0; kode wilayah Kepmendagri 2025; batas wilayah MIT © 2024 Cahya DSN"))


def licence_text(licence: str) -> str:
    """A manifest's licence line in the current language (an unknown one as written)."""
    return _(licence) if licence in LICENCES else licence
