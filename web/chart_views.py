"""Which chart a request asks for, and what it draws: an indicator's trend in a region against every
region above it, or the provinces ranked in one year (issue 20's chart images and embeds).

A view is parsed from the address once (`trend_view`, `ranking_view`; a bad one raises StateError
with 404 or 400 and the reason) and drawn from the release by `trend_parts` / `ranking_parts`:
only published cells (status ok) become points; a protected year is a gap, named in the notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from components.chart_svg import Line, Ranked, Spot, ranked_svg, strip_svg, style, target_svg, trend_svg
from components.charts import distribution_sentence, trend_sentence
from components.figure_image import ImageText
from components.formatting import format_number, format_target, format_value, unit_name
from components.i18n import _
from components.links import compare_url, indicator_url, region_url, target_url, url
from components.texts import indicator_name, level_name
from data import queries
from web.lang import in_address
from web.public_url import site_root
from web.state import StateError

NATION = "00"
MAX_ARG = 40  # a region code or a year is short; anything longer is not one


@dataclass(frozen=True)
class TrendView:
    kind: ClassVar[str] = "tren"
    indikator: str
    wilayah: str = NATION

    def params(self) -> dict:
        return {"wilayah": None if self.wilayah == NATION else self.wilayah}


@dataclass(frozen=True)
class RankingView:
    kind: ClassVar[str] = "peringkat"
    level: ClassVar[str] = "provinsi"
    indikator: str
    tahun: int

    def params(self) -> dict:
        return {"tahun": self.tahun}


@dataclass(frozen=True)
class SpreadView(RankingView):
    """Every kabupaten/kota as a dot along the value axis in one year (the indicator page's spread)."""
    kind: ClassVar[str] = "sebaran"
    level: ClassVar[str] = "kabupaten_kota"


@dataclass(frozen=True)
class CompareView:
    """An indicator's trend in 2–5 regions side by side (the /bandingkan page's picture)."""
    kind: ClassVar[str] = "bandingkan"
    indikator: str
    wilayah: tuple[str, ...]  # the regions drawn: those of `asked` in which the indicator is published
    asked: tuple[str, ...]    # the comparison's regions, as its address lists them

    def params(self) -> dict:
        return {"wilayah": ",".join(self.asked)}


@dataclass(frozen=True)
class TargetView:
    """The national series against its straight path to the RPJMN/SDG target (the /target page's chart), or
    with `wilayah` one region's series against its own path to the same target (the page's trajectory)."""
    kind: ClassVar[str] = "target"
    indikator: str
    wilayah: str = ""

    def params(self) -> dict:
        return {"wilayah": self.wilayah or None}


def _indicator(rel, ind_id):
    ind = rel.catalog.get(ind_id) if isinstance(ind_id, str) else None
    if ind is None:
        raise StateError(404, _("Tidak ada indikator dengan kode '{id}' dalam rilis ini.").format(id=str(ind_id)[:MAX_ARG]))
    return ind


def _arg(args, name: str) -> str | None:
    value = args.get(name)
    if value is not None and (not isinstance(value, str) or len(value) > MAX_ARG or not value.isprintable()):
        raise StateError(400, _("Parameter {name} tidak sah.").format(name=name))
    return value


def trend_view(rel, ind_id, args) -> TrendView:
    ind = _indicator(rel, ind_id)
    kode = _arg(args, "wilayah") or NATION
    info = rel.region(kode)
    if info is None:
        raise StateError(404, _("Kode wilayah '{code}' tidak dikenal.").format(code=kode))
    if not ind.is_open(info["tingkat"]) or queries.series(rel, ind.id, kode).empty:
        raise StateError(404, _("{indicator} tidak diterbitkan untuk {region}.").format(indicator=indicator_name(ind), region=info["nama"]))
    return TrendView(ind.id, info["kode"])


def ranking_view(rel, ind_id, args, cls=RankingView) -> RankingView:
    ind = _indicator(rel, ind_id)
    years = queries.level_years(rel, ind.id, cls.level) if ind.is_open(cls.level) else []
    if not years:
        raise StateError(404, _("{indicator} tidak diterbitkan per {level}.").format(indicator=indicator_name(ind), level=level_name(cls.level)))
    text = _arg(args, "tahun")
    if text is None:
        return cls(ind.id, years[-1])
    if not text.isdigit() or len(text) != 4:
        raise StateError(400, _("Tahun harus empat angka, misalnya {year}.").format(year=years[-1]))
    if int(text) not in years:
        raise StateError(404, _("Tidak ada nilai per {level} pada tahun {year}; tahun yang ada: {years}.").format(
            level=level_name(cls.level), year=text, years=", ".join(map(str, years))))
    return cls(ind.id, int(text))


def spread_view(rel, ind_id, args) -> SpreadView:
    return ranking_view(rel, ind_id, args, SpreadView)


def target_view(rel, ind_id, args) -> TargetView:
    from web.state import tracked_indicators

    ind = _indicator(rel, ind_id)
    if ind.id not in {i.id for i in tracked_indicators(rel.catalog, rel.targets)} or not (queries.tracker(rel, ind.id, "provinsi") or {}).get("path"):
        raise StateError(404, _("{indicator} tidak punya target RPJMN/SDG yang dapat digambar dalam rilis ini.").format(indicator=indicator_name(ind)))
    kode = _arg(args, "wilayah") or ""
    if kode:
        info = rel.region(kode)
        if info is None or info["kode"] == NATION:
            raise StateError(404, _("Kode wilayah '{code}' tidak dikenal.").format(code=kode))
        if _region_series(rel, ind, info["kode"]).empty:
            raise StateError(404, _("{region} tidak punya nilai terbit untuk indikator ini (dilindungi atau tidak tersedia).").format(region=info["nama"]))
        kode = info["kode"]
    return TargetView(ind.id, kode)


def _region_series(rel, ind, kode: str):
    """A region's published cells of the series the target is set on (its category when it is set on one)."""
    data = queries.tracker(rel, ind.id, "provinsi")
    series = queries.series(rel, ind.id, kode, data["dimensi"], data["kategori"])
    return series[series["status"] == "ok"]


def compare_view(rel, ind_id, args) -> CompareView:
    """The regions of a comparison address (web/compare_state.py: the page's own rules and refusals) in
    which the indicator is published; 404 when it is in none."""
    from web.compare_state import compare_state

    ind = _indicator(rel, ind_id)
    raw = args.get("wilayah")
    if not raw:
        raise StateError(400, _("Parameter wilayah wajib diisi: 2–5 kode wilayah dipisah koma."))
    state = compare_state({"wilayah": raw}, rel)  # a list too short, a bad or unknown code: the page's own 400/404
    shown = tuple(k for k in state.wilayah if ind.is_open(rel.region(k)["tingkat"]) and not queries.series(rel, ind.id, k).empty)
    if not shown:
        raise StateError(404, _("{indicator} tidak diterbitkan untuk wilayah-wilayah ini.").format(indicator=indicator_name(ind)))
    return CompareView(ind.id, shown, state.wilayah)


def page_address(rel, view) -> str:
    """The page the chart is drawn from, pinned to its release (the image's source line and the embed's link back)."""
    if isinstance(view, CompareView):
        return site_root() + compare_url(view.asked, rilis=rel.id, lang=in_address())
    if isinstance(view, TrendView) and view.wilayah != NATION:
        return site_root() + region_url(view.wilayah, indikator=view.indikator, rilis=rel.id, lang=in_address())
    if isinstance(view, TargetView):
        return site_root() + target_url(indikator=view.indikator, wilayah=view.wilayah or None, rilis=rel.id, lang=in_address())
    return site_root() + url(indicator_url(view.indikator), rilis=rel.id, lang=in_address())


def _notes(rel, ind) -> list[str]:
    return [_("Angka resmi BPS (statistik resmi), bukan data register.")] if ind.official else []


def _trend_lines(rel, ind, regions) -> tuple[list[Line], list[str], list[str]]:
    """One line per region with a published series (lines, their sentences, notes on protected years)."""
    lines, sentences, notes = [], [], _notes(rel, ind)
    for region in regions:
        if not ind.is_open(region["tingkat"]):
            continue
        s = queries.series(rel, ind.id, region["kode"])
        if s.empty:
            continue
        ok = s[s["status"] == "ok"]
        hidden = tuple(int(t) for t in s.loc[s["status"].isin(["S1", "S2"]), "tahun"])
        lines.append(Line(region["kode"], region["nama"], {int(t): float(v) for t, v in zip(ok["tahun"], ok["nilai"])}, hidden))
        sentences.append(trend_sentence(region["nama"], s, ind.desimal, ind.satuan))
        if hidden:
            notes.append(_("{region}: dilindungi pada {years} (S1/S2), jadi garisnya terputus di sana; bukan nol.").format(
                region=region["nama"], years=", ".join(map(str, hidden))))
    return lines, sentences, notes


def trend_parts(rel, view: TrendView) -> tuple[str, ImageText, str]:
    """(the chart's SVG, its frame's words, its text alternative)."""
    ind = rel.catalog[view.indikator]
    # the region, then each region above it, Indonesia last
    lines, sentences, notes = _trend_lines(rel, ind, reversed(rel.lineage(view.wilayah)))
    years = sorted({int(y) for y in queries.indicator_years(rel, ind.id)})
    place = rel.region(view.wilayah)["nama"]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    title = (_("{indicator}, {place}, {years}").format(indicator=indicator_name(ind), place=place, years=span) if len(lines) == 1 else
             _("{indicator}, {years}: {place} dan wilayah di atasnya").format(indicator=indicator_name(ind), years=span, place=place))
    alt = title + ". " + " ".join(sentences)
    unit = unit_name(ind.satuan)
    svg = trend_svg(lines, years, ind.desimal, ind.satuan == "persen", alt)
    legend = [(style(n)[0], line.label, None) for n, line in enumerate(lines)]
    text = ImageText(title=title, unit=unit, legend_title=f"{indicator_name(ind)} ({unit})", legend=legend, release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt


def compare_parts(rel, view: CompareView) -> tuple[str, ImageText, str]:
    """The compared regions' trends, one line each in the comparison's order."""
    ind = rel.catalog[view.indikator]
    lines, sentences, notes = _trend_lines(rel, ind, [rel.region(k) for k in view.wilayah])
    left_out = [rel.region(k)["nama"] for k in view.asked if k not in view.wilayah]
    if left_out:
        notes.append(_("Tidak digambar, karena indikator ini tidak diterbitkan untuknya: {regions}.").format(regions=", ".join(left_out)))
    years = sorted({int(y) for y in queries.indicator_years(rel, ind.id)})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    title = _("{indicator}, {years}: {places}").format(indicator=indicator_name(ind), years=span, places=", ".join(line.label for line in lines))
    alt = title + ". " + " ".join(sentences)
    unit = unit_name(ind.satuan)
    svg = trend_svg(lines, years, ind.desimal, ind.satuan == "persen", alt)
    text = ImageText(title=title, unit=unit, legend_title=f"{indicator_name(ind)} ({unit})",
                     legend=[(style(n)[0], line.label, None) for n, line in enumerate(lines)], release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt


def _region_target_parts(rel, view: TargetView, ind, data) -> tuple[str, ImageText, str]:
    """One region's series against its own straight path to the national target (the page's trajectory)."""
    from components.texts import category_label
    from data.targets import own_path

    info = rel.region(view.wilayah)
    full = queries.series(rel, ind.id, view.wilayah, data["dimensi"], data["kategori"])
    ok = _region_series(rel, ind, view.wilayah)
    observed = {int(t): float(v) for t, v in zip(ok["tahun"], ok["nilai"])}
    first = min(observed)
    target = data["target"]
    path_years, path = own_path(first, observed[first], target, data["target_year"], ind.arah)
    subject = indicator_name(ind) + ("" if data["dimensi"] == "total" else f" — {category_label(data['dimensi'], data['kategori']).lower()}")
    title = _("{indicator}: {region} menuju target {year}").format(indicator=subject, region=info["nama"], year=data["target_year"])
    alt = title + ". " + trend_sentence(_("Nilai {region} teramati").format(region=info["nama"]), full, ind.desimal, ind.satuan) + " " + (
        _("Sudah memenuhi target nasional ({target}) sejak {year}.").format(target=format_target(target, ind.desimal), year=first)
        if len(path) == 1 else
        _("Jalur menuju target nasional: dari {start} ({start_year}) ke {end} ({end_year}).").format(
            start=format_number(path[0], ind.desimal), start_year=first, end=format_number(path[-1], ind.desimal), end_year=data["target_year"]))
    goal = data["target_row"]
    notes = _notes(rel, ind) + [_("Target {year}: {target} {unit} ({document}).").format(
        year=data["target_year"], target=format_target(target, ind.desimal), unit=unit_name(goal["satuan"]), document=goal["dokumen"])]
    hidden = [int(t) for t in full.loc[full["status"] != "ok", "tahun"]]
    if hidden:
        notes.append(_("{region}: dilindungi pada {years} (S1/S2), jadi garisnya terputus di sana; bukan nol.").format(
            region=info["nama"], years=", ".join(map(str, hidden))))
    band = (target.low, target.high) if target.low is not None and target.high is not None else None
    svg = target_svg(observed, path_years, path, data["target_year"], band, ind.desimal, alt, percent=ind.satuan == "persen", kode=info["kode"])
    unit = unit_name(ind.satuan)
    legend = [(style(0)[0], _("teramati"), None), (style(1)[0], _("jalur target"), None), (style(1)[0], _("target"), None)]
    text = ImageText(title=title, unit=unit, legend_title=f"{subject} ({unit})", legend=legend, release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt


def ranking_parts(rel, view: RankingView) -> tuple[str, ImageText, str]:
    ind = rel.catalog[view.indikator]
    df = queries.map_values(rel, ind.id, view.tahun, "provinsi", "total", "total", None)
    ok = df[df["status"] == "ok"]
    rows = [Ranked(k, n, float(v)) for k, n, v in zip(ok["kode_wilayah"], ok["nama"], ok["nilai"])]
    title = _("{indicator}, {year} — {level} diurutkan").format(indicator=indicator_name(ind), year=view.tahun,
                                                               level=level_name("provinsi", plural=True))
    notes = _notes(rel, ind)
    if len(df) > len(ok):
        notes.append(_("{k} dari {n} {level} dilindungi atau tidak berlaku dan tidak digambar; bukan nol.").format(
            k=len(df) - len(ok), n=len(df), level=level_name("provinsi", plural=True)))
    ranked = sorted(rows, key=lambda r: -r.value)
    alt = title + ". " + "; ".join(f"{r.name}: {format_value(r.value, ind.desimal, ind.satuan)}" for r in ranked) + "."
    unit = unit_name(ind.satuan)
    svg = ranked_svg(rows, ind.desimal, alt)
    text = ImageText(title=title, unit=unit, legend_title=f"{indicator_name(ind)} ({unit})",
                     legend=[], release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt


def spread_parts(rel, view: SpreadView) -> tuple[str, ImageText, str]:
    """The kabupaten/kota as dots, jittered exactly as the page's strip plot (components/charts.strip_plot)."""
    ind = rel.catalog[view.indikator]
    df = queries.map_values(rel, ind.id, view.tahun, view.level, "total", "total", None)
    ok = df[df["status"] == "ok"]
    jitter = np.random.default_rng(7).uniform(-1, 1, len(ok)).round(3).tolist()
    spots = [Spot(k, float(v)) for k, v in zip(ok["kode_wilayah"], ok["nilai"])]
    levels = level_name(view.level, plural=True)
    title = _("{indicator}, {year} — sebaran antar{level}").format(indicator=indicator_name(ind), year=view.tahun, level=levels)
    notes = _notes(rel, ind)
    if len(df) > len(ok):
        notes.append(_("{k} dari {n} {level} dilindungi atau tidak berlaku dan tidak digambar; bukan nol.").format(
            k=len(df) - len(ok), n=len(df), level=levels))
    alt = title + ". " + distribution_sentence(df, levels, ind.desimal, ind.satuan)
    unit = unit_name(ind.satuan)
    svg = strip_svg(spots, ind.desimal, alt, jitter, percent=ind.satuan == "persen")
    legend = [(style(0)[0], _("satu titik = satu {level}").format(level=level_name(view.level)), None),
              (style(1)[0], _("garis putus-putus: nilai tengah; pita: separuh {level} di tengah").format(level=levels), None)]
    text = ImageText(title=title, unit=unit, legend_title=f"{indicator_name(ind)} ({unit})", legend=legend, release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt


def target_parts(rel, view: TargetView) -> tuple[str, ImageText, str]:
    """The national series the /target page judges (its category when the target is set on one) against the path."""
    from components.texts import category_label

    ind = rel.catalog[view.indikator]
    data = queries.tracker(rel, ind.id, "provinsi")
    if view.wilayah:
        return _region_target_parts(rel, view, ind, data)
    nat = data["national"]
    ok = nat[nat["status"] == "ok"]
    observed = {int(t): float(v) for t, v in zip(ok["tahun"], ok["nilai"])}
    target, goal = data["target"], data["target_row"]
    subject = indicator_name(ind) + ("" if data["dimensi"] == "total" else f" — {category_label(data['dimensi'], data['kategori']).lower()}")
    title = _("{indicator}: Indonesia menuju target {year}").format(indicator=subject, year=data["target_year"])
    path = data["path"]
    alt = (title + ". " + trend_sentence(_("Nilai nasional teramati"), nat, ind.desimal, ind.satuan) + " " +
           _("Jalur target lurus dari {start} ({start_year}) ke {end} ({end_year}).").format(
               start=format_number(path[0], ind.desimal), start_year=data["base_year"], end=format_number(path[-1], ind.desimal),
               end_year=data["target_year"]))
    notes = _notes(rel, ind) + [_("Target {year}: {target} {unit} ({document}).").format(
        year=data["target_year"], target=format_target(target, ind.desimal), unit=unit_name(goal["satuan"]), document=goal["dokumen"])]
    hidden = [int(t) for t in nat.loc[nat["status"] != "ok", "tahun"]]
    if hidden:
        notes.append(_("Indonesia: dilindungi pada {years}, jadi garisnya terputus di sana; bukan nol.").format(years=", ".join(map(str, hidden))))
    band = (target.low, target.high) if target.low is not None and target.high is not None else None
    svg = target_svg(observed, data["path_years"], path, data["target_year"], band, ind.desimal, alt, percent=ind.satuan == "persen")
    unit = unit_name(ind.satuan)
    legend = [(style(0)[0], _("teramati"), None), (style(1)[0], _("jalur target"), None), (style(1)[0], _("target"), None)]
    text = ImageText(title=title, unit=unit, legend_title=f"{subject} ({unit})", legend=legend, release_id=rel.id,
                     url=page_address(rel, view), synthetic=rel.synthetic and not ind.official, notes=notes)
    return svg, text, alt
