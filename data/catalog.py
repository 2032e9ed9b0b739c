"""The indicator catalogue (data/katalog_indikator.toml): loading and checking.

Shared by the pipeline (what to compute and publish) and the app (how to show it).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CATALOG_PATH = Path(__file__).with_name("katalog_indikator.toml")

LEVELS = ("nasional", "provinsi", "kabupaten_kota", "kecamatan")
BREAKDOWNS = ("total", "jenis_kelamin", "perkotaan_perdesaan", "desil", "kelompok_umur")
RULES = ("count", "proporsi", "rasio", "statistik", "resmi")  # rasio: a mean that is a quotient of two published counts
DIRECTIONS = ("naik", "turun", "netral")
ACCESS = ("terbuka", "terbatas", "tertutup")
DOMAINS = ("demografi", "kemiskinan", "ketimpangan", "pendidikan", "kesehatan", "ketenagakerjaan", "perumahan", "bansos", "statistik_resmi")


def N_(text: str) -> str:
    """Marks a name for the site's message catalogue (babel.cfg): data keeps Bahasa Indonesia and the
    UI translates it where it is shown (`_(DOMAIN_NAMES[d])`). No UI import here: the pipeline reads this file."""
    return text


# Each domain's name as the site writes it (section headings, the indicator's context in search).
DOMAIN_NAMES = {
    "demografi": N_("Demografi"), "kemiskinan": N_("Kemiskinan"), "ketimpangan": N_("Ketimpangan"), "pendidikan": N_("Pendidikan"),
    "kesehatan": N_("Kesehatan"), "ketenagakerjaan": N_("Ketenagakerjaan"), "perumahan": N_("Perumahan"), "bansos": N_("Bantuan sosial"),
    "statistik_resmi": N_("Statistik resmi BPS"),
}

CATEGORIES = {
    "total": ("total",),
    "jenis_kelamin": ("L", "P"),
    "perkotaan_perdesaan": ("perkotaan", "perdesaan"),
    "desil": tuple(str(d) for d in range(1, 11)),
    "kelompok_umur": ("0-14", "15-24", "25-44", "45-64", "65+"),
}

# The lowest level each breakdown is published at, unless an indicator says otherwise
# (`rincian_terendah = { desil = "provinsi" }` in its catalogue entry). Kecamatan get totals only:
# a breakdown there would be mostly protected cells. Desil stop at the province: in the demo three in
# four kabupaten × desil cells fail the primary rules, so they would inform nobody.
LOWEST_LEVEL = {"total": "kecamatan", "jenis_kelamin": "kabupaten_kota", "perkotaan_perdesaan": "kabupaten_kota",
                "kelompok_umur": "kabupaten_kota", "desil": "provinsi"}


@dataclass(frozen=True)
class Indicator:
    id: str
    domain: str
    nama_id: str
    nama_en: str
    definisi: str
    satuan: str
    rumus: str
    desimal: int
    arah: str
    kode_sdg: str
    target: str
    sumber: str
    aturan: str
    unit: str
    dimensi: tuple[str, ...]
    akses: dict = field(hash=False, compare=False)
    target_kategori: str = ""
    sumber_indikator: str = ""
    bulan: str = ""
    rincian_terendah: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def official(self) -> bool:
        return self.aturan == "resmi"

    def is_open(self, tingkat: str) -> bool:
        return self.akses.get(tingkat) == "terbuka"

    def lowest_level(self, dimensi: str) -> str:
        return self.rincian_terendah.get(dimensi, LOWEST_LEVEL[dimensi])

    def publishes(self, tingkat: str, dimensi: str) -> bool:
        """Whether this breakdown exists at this level (the controls offer only what does)."""
        return (self.is_open(tingkat) and dimensi in self.dimensi
                and LEVELS.index(tingkat) <= LEVELS.index(self.lowest_level(dimensi)))

    def name(self, lang: str = "id") -> str:
        return self.nama_en if lang == "en" else self.nama_id


class CatalogError(ValueError):
    pass


def check_entry(raw: dict) -> list[str]:
    """Problems with one raw catalogue entry (empty when it is sound)."""
    problems = []
    required = ("id", "domain", "nama_id", "nama_en", "definisi", "satuan", "rumus", "desimal", "arah", "kode_sdg", "target", "sumber", "aturan", "unit", "dimensi", "akses")
    for key in required:
        if key not in raw:
            problems.append(f"{raw.get('id', '?')}: kolom '{key}' tidak ada")
    if problems:
        return problems
    i = raw["id"]
    if not i.replace("_", "").isalnum() or i != i.lower():
        problems.append(f"{i}: id harus huruf kecil, angka dan garis bawah")
    if raw["domain"] not in DOMAINS:
        problems.append(f"{i}: domain '{raw['domain']}' tidak dikenal")
    if raw["aturan"] not in RULES:
        problems.append(f"{i}: aturan '{raw['aturan']}' tidak dikenal")
    if raw["arah"] not in DIRECTIONS:
        problems.append(f"{i}: arah '{raw['arah']}' tidak dikenal")
    if not isinstance(raw["desimal"], int) or not 0 <= raw["desimal"] <= 4:
        problems.append(f"{i}: desimal harus bilangan bulat 0–4")
    if not raw["dimensi"] or raw["dimensi"][0] != "total" or any(d not in BREAKDOWNS for d in raw["dimensi"]):
        problems.append(f"{i}: dimensi harus diawali 'total' dan dari {BREAKDOWNS}")
    if any(d not in BREAKDOWNS or lv not in LEVELS for d, lv in raw.get("rincian_terendah", {}).items()):
        problems.append(f"{i}: rincian_terendah harus memetakan rincian ke tingkat {LEVELS}")
    if any(t not in LEVELS or a not in ACCESS for t, a in raw["akses"].items()):
        problems.append(f"{i}: akses harus memetakan tingkat ke {ACCESS}")
    for key in ("nama_id", "nama_en", "definisi", "satuan", "rumus", "sumber"):
        if not str(raw[key]).strip():
            problems.append(f"{i}: '{key}' kosong")
    return problems


def parse_catalog(text: str) -> dict[str, Indicator]:
    raw = tomllib.loads(text)
    entries = raw.get("indikator", [])
    problems = [p for e in entries for p in check_entry(e)]
    ids = [e.get("id") for e in entries]
    problems += [f"{i}: id ganda" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise CatalogError("; ".join(problems))
    return {e["id"]: Indicator(**{**e, "dimensi": tuple(e["dimensi"])}) for e in entries}


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_PATH) -> dict[str, Indicator]:
    return parse_catalog(path.read_text(encoding="utf-8"))
