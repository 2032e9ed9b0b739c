"""UI text in one message catalogue: Bahasa Indonesia by default, English as a switch."""
from __future__ import annotations

MESSAGES = {
    "id": {
        "site_name": "Portal Data DTSEN Terbuka",
        "nav_home": "Beranda",
        "nav_map": "Peta",
        "nav_about": "Tentang data",
        "nav_indicators": "Indikator",
        "nav_targets": "Target",
        "search_label": "Cari wilayah atau indikator",
        "search_placeholder": "Cari wilayah/indikator",
        "search_button": "Cari",
        "synthetic_banner": "DATA SINTETIS — bukan statistik resmi. Rilis demo ini dibangkitkan dari register tiruan yang dikalibrasi ke angka BPS, untuk mencoba portal.",
        "protected": "dilindungi",
        "not_found_title": "Halaman tidak ditemukan",
        "footer_release": "Rilis",
        "footer_licence": "Lisensi",
    },
    "en": {
        "site_name": "DTSEN Open Data Portal",
        "nav_home": "Home",
        "nav_map": "Map",
        "nav_about": "About the data",
        "nav_indicators": "Indicators",
        "nav_targets": "Targets",
        "search_label": "Search regions or indicators",
        "search_placeholder": "Search",
        "search_button": "Search",
        "synthetic_banner": "SYNTHETIC DATA — not official statistics. This demo release is generated from a simulated register calibrated to BPS figures.",
        "protected": "protected",
        "not_found_title": "Page not found",
        "footer_release": "Release",
        "footer_licence": "Licence",
    },
}


def t(key: str, lang: str = "id") -> str:
    return MESSAGES.get(lang, MESSAGES["id"]).get(key) or MESSAGES["id"][key]




DIMENSION_NAMES = {"total": "Total", "jenis_kelamin": "Jenis kelamin", "perkotaan_perdesaan": "Perkotaan/perdesaan", "desil": "Desil kesejahteraan",
                   "kelompok_umur": "Kelompok umur"}
CATEGORY_NAMES = {"total": "Total", "L": "Laki-laki", "P": "Perempuan", "perkotaan": "Perkotaan", "perdesaan": "Perdesaan",
                  **{str(d): f"Desil {d}" for d in range(1, 11)}}


def category_label(dimensi: str, kategori: str) -> str:
    """'Perempuan', 'Desil 1', or a raw age group ('15-24') as the site writes it."""
    return CATEGORY_NAMES.get(kategori, kategori)

# The region profile's desil panels (indicator, heading, lead): the page and its download both show them.
DESIL_PANELS = [
    ("jumlah_rumah_tangga", "Rumah tangga menurut desil kesejahteraan", "Berapa rumah tangga di tiap desil (desil 1 = 10 % termiskin secara nasional)."),
    ("cakupan_bansos_apa_pun", "Penerima bantuan sosial menurut desil", "Persentase rumah tangga yang menerima bansos apa pun di tiap desil: siapa yang menerima, siapa yang terlewat."),
]
