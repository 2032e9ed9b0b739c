"""Which chart a request asks for, and what it draws: an indicator's trend in a region against every
region above it, or the provinces ranked in one year (issue 20's chart images and embeds).

A view is parsed from the address once (`trend_view`, `ranking_view`; a bad one raises StateError
with 404 or 400 and the reason) and drawn from the release by `trend_parts` / `ranking_parts`:
only published cells (status ok) become points; a protected year is a gap, named in the notes.
"""
from __future__ import annotations

from dataclasses import dataclass

from components.chart_svg import Line, Ranked, ranked_svg, style, trend_svg
from components.charts import trend_sentence
from components.figure_image import ImageText
from components.formatting import format_value, unit_name
from components.i18n import _
from components.links import indicator_url, region_url, url
from components.texts import indicator_name, level_name
from data import queries
from web.lang import in_address
from web.public_url import site_root
from web.state import StateError

NATION = "00"
MAX_ARG = 40  # a region code or a year is short; anything longer is not one


@dataclass(frozen=True)
class TrendView:
    indikator: str
    wilayah: str = NATION

    def params(self) -> dict:
        return {"wilayah": None if self.wilayah == NATION else self.wilayah}


@dataclass(frozen=True)
class RankingView:
    indikator: str
    tahun: int

    def params(self) -> dict:
        return {"tahun": self.tahun}


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


def ranking_view(rel, ind_id, args) -> RankingView:
    ind = _indicator(rel, ind_id)
    years = queries.level_years(rel, ind.id, "provinsi") if ind.is_open("provinsi") else []
    if not years:
        raise StateError(404, _("{indicator} tidak diterbitkan per provinsi.").format(indicator=indicator_name(ind)))
    text = _arg(args, "tahun")
    if text is None:
        return RankingView(ind.id, years[-1])
    if not text.isdigit() or len(text) != 4:
        raise StateError(400, _("Tahun harus empat angka, misalnya {year}.").format(year=years[-1]))
    if int(text) not in years:
        raise StateError(404, _("Tidak ada nilai per provinsi pada tahun {year}; tahun yang ada: {years}.").format(
            year=text, years=", ".join(map(str, years))))
    return RankingView(ind.id, int(text))


def page_address(rel, view) -> str:
    """The page the chart is drawn from, pinned to its release (the image's source line and the embed's link back)."""
    if isinstance(view, TrendView) and view.wilayah != NATION:
        return site_root() + region_url(view.wilayah, indikator=view.indikator, rilis=rel.id, lang=in_address())
    return site_root() + url(indicator_url(view.indikator), rilis=rel.id, lang=in_address())


def _notes(rel, ind) -> list[str]:
    return [_("Angka resmi BPS (statistik resmi), bukan data register.")] if ind.official else []


def trend_parts(rel, view: TrendView) -> tuple[str, ImageText, str]:
    """(the chart's SVG, its frame's words, its text alternative)."""
    ind = rel.catalog[view.indikator]
    lines, sentences, notes = [], [], _notes(rel, ind)
    for region in reversed(rel.lineage(view.wilayah)):  # the region, then each region above it, Indonesia last
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
