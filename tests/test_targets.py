"""Target parsing, the target path and the status rules (data/targets.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from data.targets import (
    STATUS_OFF_TRACK,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_UNKNOWN,
    TREND_BETTER,
    TREND_WORSE,
    assess,
    assess_regions,
    latest_target,
    parse_target,
    target_path,
)


@pytest.mark.parametrize("text,low,high", [("7.0-8.0", 7.0, 8.0), ("<0.5", None, 0.5), ("0.59", 0.59, 0.59), ("4,5-5,0", 4.5, 5.0), ("0", 0.0, 0.0), (">= 30", 30.0, None)])
def test_parse_target_forms(text, low, high):
    t = parse_target(text)
    assert (t.low, t.high) == (low, high)


def test_parse_target_rejects_text():
    with pytest.raises(ValueError):
        parse_target("naik")


def test_threshold_is_the_far_end_of_a_range_in_the_good_direction():
    t = parse_target("4.5-5.0")
    assert t.threshold("turun") == 5.0 and t.threshold("naik") == 4.5
    assert t.met_by(5.0, "turun") and not t.met_by(5.01, "turun")
    strict = parse_target("<0.5")
    assert not strict.met_by(0.5, "turun") and strict.met_by(0.49, "turun")


def test_target_path_is_a_straight_line():
    assert target_path(2024, 9.0, 2029, 4.0, [2024, 2025, 2029]) == pytest.approx([9.0, 8.0, 4.0])


def test_reached_scores_100():
    p = assess(2023, 10.0, 2025, 4.8, parse_target("4.5-5.0"), 2029, "turun")
    assert p.status == STATUS_REACHED and p.score == 100


def test_on_track_when_the_observed_pace_is_at_least_the_needed_one():
    # 10 → 8 in two years is −1/yr; 8 → 5 in four years needs −0.75/yr.
    p = assess(2023, 10.0, 2025, 8.0, parse_target("5"), 2029, "turun")
    assert p.status == STATUS_ON_TRACK
    assert p.change_observed == pytest.approx(-1.0) and p.change_needed == pytest.approx(-0.75)
    assert p.score == pytest.approx(40.0)


def test_off_track_when_too_slow_or_moving_away():
    slow = assess(2023, 10.0, 2025, 9.5, parse_target("5"), 2029, "turun")
    away = assess(2023, 10.0, 2025, 11.0, parse_target("5"), 2029, "turun")
    assert slow.status == STATUS_OFF_TRACK and away.status == STATUS_OFF_TRACK
    assert away.score == 0


def test_higher_is_better_mirrors_the_rules():
    assert assess(2023, 50.0, 2025, 60.0, parse_target("65"), 2029, "naik").status == STATUS_ON_TRACK
    assert assess(2023, 50.0, 2025, 51.0, parse_target("65"), 2029, "naik").status == STATUS_OFF_TRACK
    assert assess(2023, 50.0, 2025, 66.0, parse_target("65"), 2029, "naik").status == STATUS_REACHED


def test_a_protected_value_cannot_be_judged():
    assert assess(2023, None, 2025, 8.0, parse_target("5"), 2029, "turun").status == STATUS_UNKNOWN
    base = pd.DataFrame({"kode_wilayah": ["11", "12"], "nama": ["A", "B"], "nilai": [10.0, 10.0], "status": ["ok", "S1"]})
    last = pd.DataFrame({"kode_wilayah": ["11", "12"], "nama": ["A", "B"], "nilai": [8.0, 6.0], "status": ["ok", "ok"]})
    out = assess_regions(base, last, parse_target("5"), 2029, "turun", 2023, 2025).set_index("kode_wilayah")
    assert out.loc["11", "status_target"] == STATUS_ON_TRACK
    assert out.loc["12", "status_target"] == STATUS_UNKNOWN and out.loc["12", "catatan"]


def test_latest_target_is_the_final_year():
    rows = [{"target_tahun": "2025", "target_nilai": "7"}, {"target_tahun": "2029", "target_nilai": "5"}]
    assert latest_target(rows, 2023)["target_tahun"] == "2029"
    assert latest_target(rows, 2030) is None


def test_past_the_target_needs_no_change_and_a_wrong_way_move_is_flagged():
    """Issue 15: Bangka Belitung's P0 rose 4.54 → 4.99, read 'Sudah tercapai' with no sign of it, and
    a region past its target showed a 'needed change' in the wrong direction."""
    rose = assess(2024, 4.54, 2025, 4.99, parse_target("4.5-5.0"), 2029, "turun")
    assert rose.status == STATUS_REACHED and rose.change_needed is None and rose.trend == TREND_WORSE
    fell = assess(2024, 4.54, 2025, 4.10, parse_target("4.5-5.0"), 2029, "turun")
    assert fell.trend == TREND_BETTER and fell.change_needed is None
    base = pd.DataFrame({"kode_wilayah": ["19"], "nama": ["Babel"], "nilai": [4.54], "status": ["ok"]})
    last = pd.DataFrame({"kode_wilayah": ["19"], "nama": ["Babel"], "nilai": [4.99], "status": ["ok"]})
    row = assess_regions(base, last, parse_target("4.5-5.0"), 2029, "turun", 2024, 2025).iloc[0]
    assert row["arah_perubahan"] == TREND_WORSE and "menjauh" in row["catatan"] and pd.isna(row["perubahan_dibutuhkan"])


def test_one_published_year_gives_no_score_and_says_why():
    one = pd.DataFrame({"kode_wilayah": ["11"], "nama": ["A"], "nilai": [12.0], "status": ["ok"]})
    row = assess_regions(one, one, parse_target("13.58"), 2029, "naik", 2024, 2024).iloc[0]
    assert row["status_target"] == STATUS_UNKNOWN and pd.isna(row["skor"]) and "satu tahun" in row["catatan"]


@pytest.mark.parametrize("text, shown", [("4.5-5.0", "4,5–5,0"), ("56.70-60.89", "56,70–60,89"), ("<0.5", "< 0,5"), ("13.58", "13,58")])
def test_targets_print_as_the_site_writes_numbers(text, shown):
    decimals = len(text.split(".")[-1].split("-")[0]) if "." in text else 0
    from components.formatting import format_target

    assert format_target(parse_target(text), decimals) == shown


def test_a_trajectory_chart_shows_the_observed_years_when_the_path_is_only_the_target():
    """Found by an outside check: for a region past the target at its baseline the chart's x-axis
    started at the target year, so the observed line was off the chart."""
    from components.charts import target_figure

    observed = pd.DataFrame({"tahun": [2024, 2025], "nilai": [4.55, 5.0], "status": ["ok", "ok"]})
    fig = target_figure(observed, [2029], [5.0], 2029, 4.5, 5.0, 2, "persen")
    assert fig.layout.xaxis.range[0] < 2024 <= 2025 < fig.layout.xaxis.range[1]
