"""RPJMN 2025–2029 / SDG targets: parsing, the target path and the status rules (pure functions).

The convention follows the one Indonesian planners read in Bappenas's SDGs
progress reports: an achievement score where 100 means the target is met, and
three colours —

- hijau  "sudah tercapai": the latest value already meets the target;
- kuning "menuju target": not yet met, but the average change per year observed
  so far is in the right direction and at least the change per year still
  needed to reach the target by its year;
- merah  "perlu perhatian khusus": anything else (too slow, or moving away).

A region is judged against the *national* target (RPJMN sets no regional
targets in the reference), from its own baseline: its first year in the release.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from data.catalog import N_

STATUS_REACHED, STATUS_ON_TRACK, STATUS_OFF_TRACK, STATUS_UNKNOWN = "tercapai", "menuju", "perlu_perhatian", "tidak_diketahui"
STATUS_LABELS = {
    STATUS_REACHED: N_("Sudah tercapai"),
    STATUS_ON_TRACK: N_("Menuju target"),
    STATUS_OFF_TRACK: N_("Perlu perhatian khusus"),
    STATUS_UNKNOWN: N_("Tidak dapat dinilai"),
}
# Okabe–Ito-derived colours, readable by colour-blind readers, with text always beside them.
STATUS_COLOURS = {STATUS_REACHED: "#1a7f37", STATUS_ON_TRACK: "#e0a800", STATUS_OFF_TRACK: "#c0392b", STATUS_UNKNOWN: "#bdbdbd"}

_NUM = r"-?\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class TargetValue:
    """A target as written in the plan: a point, a range (4.5-5.0) or a bound (<0.5)."""

    low: float | None
    high: float | None
    text: str

    def threshold(self, arah: str) -> float:
        """The value that counts as meeting the target: the range's far end is enough
        (≤ 5.0 meets '4.5-5.0' when lower is better; ≥ 4.5 when higher is better)."""
        if arah == "turun":
            return self.high if self.high is not None else self.low
        return self.low if self.low is not None else self.high

    def met_by(self, value: float, arah: str) -> bool:
        limit = self.threshold(arah)
        if arah == "turun":
            return value < limit if self.text.strip().startswith("<") else value <= limit
        return value > limit if self.text.strip().startswith(">") else value >= limit


def parse_target(text: str) -> TargetValue:
    """'7.0-8.0' → (7.0, 8.0); '<0.5' → (None, 0.5); '0.59' → (0.59, 0.59). Raises ValueError."""
    s = str(text).strip().replace(" ", "")
    num = lambda x: float(x.replace(",", "."))
    if m := re.fullmatch(rf"({_NUM})-({_NUM})", s):
        a, b = num(m.group(1)), num(m.group(2))
        return TargetValue(min(a, b), max(a, b), text)
    if m := re.fullmatch(rf"(<=?|≤)({_NUM})", s):
        return TargetValue(None, num(m.group(2)), text)
    if m := re.fullmatch(rf"(>=?|≥)({_NUM})", s):
        return TargetValue(num(m.group(2)), None, text)
    if re.fullmatch(_NUM, s):
        v = num(s)
        return TargetValue(v, v, text)
    raise ValueError(f"nilai target tidak terbaca: {text!r}")


def target_path(base_year: int, base_value: float, target_year: int, target_value: float, years) -> list[float]:
    """The straight line from the baseline to the target, at each year asked for."""
    span = target_year - base_year
    if span <= 0:
        return [target_value for _ in years]
    return [base_value + (target_value - base_value) * (y - base_year) / span for y in years]


def own_path(base_year: int, base_value: float, target, target_year: int, arah: str) -> tuple[list[int], list[float]]:
    """A region's straight path from its own baseline to the (national) target: its years and values; only
    the target's year and value when the baseline already meets it (nothing to draw between)."""
    goal = target.threshold(arah)
    if target.met_by(base_value, arah):
        return [target_year], [goal]
    years = list(range(base_year, target_year + 1))
    return years, target_path(base_year, base_value, target_year, goal, years)


TREND_BETTER, TREND_WORSE, TREND_FLAT = "membaik", "memburuk", "tetap"
TREND_LABELS = {TREND_BETTER: N_("membaik"), TREND_WORSE: N_("memburuk"), TREND_FLAT: N_("tetap")}
# A region's note in the tracker, as words (translated where shown; {year}: the one year published).
NOTE_HIDDEN = N_("dilindungi atau tidak tersedia pada salah satu tahun")
NOTE_ONE_YEAR = N_("hanya satu tahun ({year}) terbit untuk tingkat ini: arah perubahan belum dapat dinilai")
NOTE_PAST_BUT_WORSE = N_("sudah melewati target, tetapi bergerak menjauh darinya")


@dataclass(frozen=True)
class Progress:
    status: str
    score: float | None  # 100 = the target is met; the share of the way from baseline to target
    change_observed: float | None  # per year, baseline → latest
    change_needed: float | None  # per year, latest → target year; None once the target is met
    trend: str | None = None  # membaik / memburuk / tetap, baseline → latest (None with one year)


def assess(base_year: int, base_value: float | None, last_year: int, last_value: float | None,
           target: TargetValue, target_year: int, arah: str) -> Progress:
    """Status, achievement score and the two annual changes for one region."""
    if base_value is None or last_value is None or any(map(_nan, (base_value, last_value))) or arah not in ("naik", "turun"):
        return Progress(STATUS_UNKNOWN, None, None, None)
    goal = target.threshold(arah)
    observed = (last_value - base_value) / (last_year - base_year) if last_year > base_year else None
    needed = (goal - last_value) / (target_year - last_year) if target_year > last_year else None
    sign = 1 if arah == "naik" else -1
    trend = None if observed is None else (TREND_FLAT if observed == 0 else TREND_BETTER if observed * sign > 0 else TREND_WORSE)
    if target.met_by(last_value, arah):
        # Past the target no change is needed; a move the wrong way is still worth flagging.
        return Progress(STATUS_REACHED, 100.0, observed, None, trend)
    gap_start = (goal - base_value) * sign
    score = 100.0 * (last_value - base_value) * sign / gap_start if gap_start > 0 else 0.0
    score = max(0.0, min(score, 99.9)) if last_year > base_year else None  # one year: no way travelled yet
    if observed is None or needed is None:
        return Progress(STATUS_OFF_TRACK if target_year <= last_year else STATUS_UNKNOWN, score, observed, needed, trend)
    on_track = observed * sign > 0 and observed * sign >= needed * sign
    return Progress(STATUS_ON_TRACK if on_track else STATUS_OFF_TRACK, score, observed, needed, trend)


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


METHOD_TEXT = N_(
    "Cara membaca: garis target ditarik lurus dari nilai tahun dasar (tahun pertama dalam rilis ini) ke nilai target "
    "RPJMN 2025–2029 atau SDG pada tahun targetnya. Untuk target berupa rentang (misalnya 4,5–5,0 persen), target "
    "dianggap tercapai bila nilai sudah melewati batas terjauhnya ke arah yang diinginkan (≤ 5,0 bila makin kecil makin "
    "baik). Skor capaian = seberapa jauh jarak dari tahun dasar ke target sudah ditempuh, dalam persen; 100 berarti target "
    "tercapai. Hijau (sudah tercapai): nilai terakhir sudah memenuhi target. Kuning (menuju target): belum tercapai, "
    "tetapi perubahan rata-rata per tahun yang teramati searah dan paling sedikit sebesar perubahan per tahun yang masih "
    "dibutuhkan sampai tahun target. Merah (perlu perhatian khusus): selain itu. Provinsi dan kabupaten/kota dinilai "
    "terhadap target nasional, karena RPJMN tidak menetapkan target per daerah, dari nilai tahun dasarnya sendiri."
)


def assess_regions(base: pd.DataFrame, last: pd.DataFrame, target: TargetValue, target_year: int, arah: str,
                   base_year: int, last_year: int) -> pd.DataFrame:
    """One row per region of `last` (kode_wilayah, nama, nilai, status): both values, status,
    score and the two annual changes. A region protected in either year cannot be judged."""
    b = base.set_index("kode_wilayah")
    rows = []
    for r in last.itertuples(index=False):
        v0 = b["nilai"].get(r.kode_wilayah) if r.kode_wilayah in b.index and b.loc[r.kode_wilayah, "status"] == "ok" else None
        v1 = r.nilai if r.status == "ok" else None
        p = assess(base_year, v0, last_year, v1, target, target_year, arah)
        hidden = r.status != "ok" or v0 is None
        if hidden:
            note = NOTE_HIDDEN
        elif base_year == last_year:
            note = NOTE_ONE_YEAR
        elif p.status == STATUS_REACHED and p.trend == TREND_WORSE:
            note = NOTE_PAST_BUT_WORSE
        else:
            note = ""
        rows.append({"kode_wilayah": r.kode_wilayah, "nama": r.nama, "nilai_awal": v0, "nilai_akhir": v1, "status_target": p.status,
                     "skor": p.score, "perubahan_teramati": p.change_observed, "perubahan_dibutuhkan": p.change_needed,
                     "arah_perubahan": p.trend, "catatan": note})
    columns = ["kode_wilayah", "nama", "nilai_awal", "nilai_akhir", "status_target", "skor", "perubahan_teramati", "perubahan_dibutuhkan",
               "arah_perubahan", "catatan"]
    return pd.DataFrame(rows, columns=columns)


def latest_target(rows, after_year: int):
    """The plan's final target: the row with the latest target year after the data's first year."""
    rows = [r for r in rows if int(r["target_tahun"]) > after_year]
    return max(rows, key=lambda r: int(r["target_tahun"])) if rows else None


STATUS_ORDER = [STATUS_REACHED, STATUS_ON_TRACK, STATUS_OFF_TRACK, STATUS_UNKNOWN]


def sort_regions(df: pd.DataFrame, urut: str, arah: str) -> pd.DataFrame:
    """The regions in the order the page shows them (its download follows the same order)."""
    column, ascending = {"skor": ("skor", False), "nama": ("nama", True), "nilai": ("nilai_akhir", arah == "turun"),
                         "status": ("status_rank", True)}[urut]
    ranked = df.assign(status_rank=df["status_target"].map({s: i for i, s in enumerate(STATUS_ORDER)}))
    return ranked.sort_values([column, "nama"], ascending=[ascending, True], na_position="last").drop(columns="status_rank")
