"""The map explorer's state, parsed from and written to its URL query string.

One parser serves the page layout, the HTTP status check and the CSV twin, so
a link, the page and the download always agree on what a URL means.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from components.i18n import N_, Names, _
from components.texts import indicator_name
from data.catalog import CATEGORIES, Indicator

DEFAULT_INDICATOR = "persen_penduduk_miskin"
MAP_LEVELS = ("provinsi", "kabupaten_kota", "kecamatan")
LEVEL_NAMES = Names({"nasional": "Indonesia", "provinsi": N_("provinsi"), "kabupaten_kota": N_("kabupaten/kota"), "kecamatan": N_("kecamatan")})


ARG_MAX = 200  # far longer than any id, code or year; a longer value is refused, not echoed back


class StateError(ValueError):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class MapState:
    indikator: str
    tahun: int
    tingkat: str
    induk: str | None
    dimensi: str
    kategori: str

    def query(self) -> str:
        d = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        return urlencode(d)


def arg(args, name: str) -> str | None:
    """args[name] as text, None when absent or empty. A URL's query holds only text; a callback's
    arguments (and Dash's router, for a repeated parameter) can hold numbers, lists or dicts."""
    value = args.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise StateError(400, _("{name} harus berupa satu teks, bukan {kind}.").format(name=name, kind=type(value).__name__))
    if len(value) > ARG_MAX:
        raise StateError(400, _("{name} terlalu panjang (lebih dari {n} huruf).").format(name=name, n=ARG_MAX))
    return value


def parse_map_state(args, catalog: dict[str, Indicator], years_of, levels_of, region_level, level_years_of=None) -> MapState:
    """args: the query mapping; years_of(id) / levels_of(id): what the release holds;
    region_level(kode): the level of a region code, or None when it does not exist."""
    ind_id = arg(args, "indikator") or DEFAULT_INDICATOR
    if ind_id not in catalog:
        raise StateError(404, _("Indikator '{id}' tidak dikenal.").format(id=ind_id))
    ind = catalog[ind_id]
    years = years_of(ind_id)
    if not years:
        raise StateError(404, _("Indikator '{id}' tidak punya data dalam rilis ini.").format(id=ind_id))
    raw_year = arg(args, "tahun")
    if raw_year is None:
        tahun = years[-1]
    else:
        try:
            tahun = int(raw_year)
        except ValueError:
            raise StateError(400, _("tahun harus bilangan bulat, bukan '{value}'.").format(value=raw_year)) from None
        if tahun not in years:
            raise StateError(404, _("Tidak ada data {name} untuk tahun {year}; tersedia: {years}.").format(
                name=indicator_name(ind), year=tahun, years=", ".join(map(str, years))))
    levels = [lv for lv in MAP_LEVELS if lv in levels_of(ind_id)]
    tingkat = arg(args, "tingkat") or ("provinsi" if "provinsi" in levels else levels[0] if levels else "provinsi")
    if tingkat not in MAP_LEVELS:
        raise StateError(400, _("tingkat harus salah satu dari {choices}, bukan '{value}'.").format(choices=", ".join(MAP_LEVELS), value=tingkat))
    if tingkat not in levels:
        raise StateError(404, _("{name} tidak dipublikasikan di tingkat {level}.").format(name=indicator_name(ind), level=LEVEL_NAMES[tingkat]))
    if level_years_of is not None:
        # BPS publishes some figures nationally a year before the provinces: a map's year is one the
        # level has (by default its latest), never an empty map ("0 dari 0 provinsi").
        at_level = level_years_of(ind_id, tingkat)
        if raw_year is None:
            tahun = at_level[-1] if at_level else tahun
        elif tahun not in at_level:
            raise StateError(404, _("{name} {year} belum terbit di tingkat {level}; tahun yang ada: {years}.").format(
                name=indicator_name(ind), year=tahun, level=LEVEL_NAMES[tingkat], years=", ".join(map(str, at_level))))
    induk = arg(args, "induk")
    if induk == "00":  # "Seluruh Indonesia", as the served form sends it
        induk = None
    if induk is not None:
        lv = region_level(induk)
        if lv is None:
            raise StateError(404, _("Kode wilayah '{code}' tidak dikenal.").format(code=induk))
        if MAP_LEVELS.index(tingkat) <= (MAP_LEVELS.index(lv) if lv in MAP_LEVELS else -1):
            raise StateError(400, _("Wilayah induk {code} harus di atas tingkat {level}.").format(code=induk, level=LEVEL_NAMES[tingkat]))
    if tingkat == "kecamatan" and induk is None:
        raise StateError(400, _("Peta kecamatan perlu wilayah induk (provinsi atau kabupaten/kota), misalnya induk=34."))
    dimensi = arg(args, "dimensi") or "total"
    if not ind.publishes(tingkat, dimensi):
        raise StateError(400, _("Rincian '{breakdown}' tidak tersedia untuk {name} di tingkat {level}.").format(
            breakdown=dimensi, name=indicator_name(ind), level=LEVEL_NAMES[tingkat]))
    kategori = arg(args, "kategori") or CATEGORIES[dimensi][0]
    if kategori not in CATEGORIES[dimensi]:
        raise StateError(400, _("Kategori '{category}' tidak ada dalam rincian {breakdown}.").format(category=kategori, breakdown=dimensi))
    return MapState(ind_id, tahun, tingkat, induk, dimensi, kategori)


def state_from_release(args, rel) -> MapState:
    """parse_map_state wired to a release (the I/O edge)."""
    from data import queries

    regions = rel.regions

    def region_level(kode):
        return regions.at[kode, "tingkat"] if kode in regions.index else None

    return parse_map_state(
        args,
        rel.catalog,
        lambda i: queries.indicator_years(rel, i),
        lambda i: queries.indicator_levels(rel, i),
        region_level,
        lambda i, lv: queries.level_years(rel, i, lv),
    )


TRACKER_LEVELS = ("provinsi", "kabupaten_kota")
TRACKER_SORTS = ("skor", "nama", "status", "nilai")
SORT_NAMES = Names({"skor": N_("skor capaian"), "nama": N_("nama"), "status": N_("status"), "nilai": N_("nilai terakhir")})


@dataclass(frozen=True)
class TrackerState:
    indikator: str
    tingkat: str
    urut: str
    wilayah: str = ""  # a region whose own trajectory is drawn against the target ('' = none)

    def query(self, **change) -> str:
        return urlencode({k: v for k, v in {**asdict(self), **change}.items() if v != ""})


def tracked_indicators(catalog: dict[str, Indicator], targets) -> list[Indicator]:
    """Indicators with a target row in the release, official BPS figures first (planners' numbers)."""
    keys = set(targets["indikator"]) if len(targets) else set()
    inds = [i for i in catalog.values() if i.target and i.target in keys and i.arah in ("naik", "turun")]
    return sorted(inds, key=lambda i: (not i.official, i.domain, i.nama_id))


def tracker_state(args, rel) -> TrackerState:
    from data import queries

    tracked = tracked_indicators(rel.catalog, rel.targets)
    if not tracked:
        raise StateError(404, _("Rilis ini tidak memuat target RPJMN/SDG."))
    # By default the first indicator whose provinces can be judged (published in two years or more):
    # a planner's first view should not be a page of "tidak dapat dinilai".
    judged = [i for i in tracked if len(queries.level_years(rel, i.id, "provinsi")) >= 2]
    ind = arg(args, "indikator") or (judged or tracked)[0].id
    if ind not in {i.id for i in tracked}:
        raise StateError(404, _("Indikator '{id}' tidak punya target RPJMN/SDG di rilis ini.").format(id=ind))
    tingkat = arg(args, "tingkat") or "provinsi"
    if tingkat not in TRACKER_LEVELS:
        raise StateError(400, _("tingkat '{value}' tidak dikenal; pilih {choices}.").format(value=tingkat, choices=", ".join(TRACKER_LEVELS)))
    if rel.catalog[ind].akses.get(tingkat) != "terbuka":
        tingkat = "provinsi"
    urut = arg(args, "urut") or "skor"
    if urut not in TRACKER_SORTS:
        raise StateError(400, _("urut '{value}' tidak dikenal; pilih {choices}.").format(value=urut, choices=", ".join(TRACKER_SORTS)))
    wilayah = arg(args, "wilayah") or ""
    if wilayah and wilayah not in rel.regions.index:
        raise StateError(404, _("Kode wilayah '{code}' tidak ada dalam daftar wilayah.").format(code=wilayah))
    return TrackerState(ind, tingkat, urut, wilayah)
