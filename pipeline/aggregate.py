"""Aggregation: the validated register -> one tidy table of cells with contributor counts.

Every cell keeps its unweighted contributor counts (`n_unit`, `n_pembilang`,
`n_rt`) for disclosure control; they stay in the secure zone and are dropped
before anything is written to a release.

The SQL here is the only copy, in DuckDB's dialect; it runs on DuckDB or, translated,
on Spark (pipeline/engine.py). What comes back is small (kecamatan-level rows) and
everything after it is pandas, the same code for both engines. Every sum the SQL
returns is exact, so both engines (and two runs of one) give the same numbers bit for
bit: counts are integers; a Mean's terms are summed in fixed point (`_exact_sum`); the
Gini and the bottom-40 % share are sums of integers (`_ranked`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.catalog import CATEGORIES, LEVELS, Indicator
from pipeline.definitions import DEFINITIONS, Count, Mean, Ranked, Share
from pipeline.engine import Engine, as_engine

LEVEL_KEY = {
    "nasional": "'00'",
    "provinsi": "left(kode_kecamatan, 2)",
    "kabupaten_kota": "left(kode_kecamatan, 5)",
    "kecamatan": "kode_kecamatan",
}
BREAKDOWN_KEY = {
    "total": "'total'",
    "jenis_kelamin": "jenis_kelamin",
    "perkotaan_perdesaan": "CASE WHEN perkotaan THEN 'perkotaan' ELSE 'perdesaan' END",
    "desil": "CAST(desil AS VARCHAR)",
    "kelompok_umur": "CASE WHEN umur < 15 THEN '0-14' WHEN umur < 25 THEN '15-24' WHEN umur < 45 THEN '25-44' WHEN umur < 65 THEN '45-64' ELSE '65+' END",
}
# Which breakdown is published down to which level is the catalogue's (Indicator.publishes).
UNIT_VIEW = {"orang": "pv", "rumah_tangga": "hv"}

CELL_COLUMNS = ["indicator_id", "kode_wilayah", "tingkat", "tahun", "dimensi", "kategori", "aturan", "n_unit", "n_pembilang", "n_rt", "jumlah"]

# A Mean's sum is taken in fixed point: each term floor(term × 2^32), added as DECIMAL(38,0).
# Whole-number terms (years of schooling, members, consumption in rupiah) lose nothing; a
# poverty gap loses under 2.3e-10 per person. Floating-point sums differ in their last bits
# with the order of addition, which differs between engines and between runs of one engine
# (threads, partitions), and a value on a rounding edge would then publish differently.
FIXED_POINT = 2**32


def _exact_sum(expr: str) -> str:
    return f"sum(CAST(floor(({expr}) * {FIXED_POINT}.0) AS DECIMAL(38, 0)))"


def _from_fixed_point(sums: pd.Series) -> pd.Series:
    """Exact fixed-point sums (Python ints, None where nothing was summed) as floats, each correctly rounded."""
    return pd.Series([np.nan if v is None else v / FIXED_POINT for v in sums], index=sums.index, dtype=float)


def prepare_views(con: Engine, garis: pd.DataFrame) -> None:
    """Join persons to their household and province poverty line, once (`con`: an Engine or a DuckDB connection)."""
    con = as_engine(con)
    con.register_frame("garis_df", garis)
    # Each household's members as the register records them (its person rows), so that mean
    # household size is persons ÷ households exactly, also when a reported size or a person
    # row was wrong and quarantined: the release then publishes one population, not two.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE hv AS
        SELECT h.*, coalesce(m.n, 0) AS anggota_tercatat
        FROM accepted_households h
        LEFT JOIN (SELECT tahun, id_rt, count(*) AS n FROM accepted_persons GROUP BY tahun, id_rt) m USING (tahun, id_rt)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE pv AS
        SELECT p.*, h.kode_kecamatan, h.perkotaan, h.desil, h.konsumsi_per_kapita AS kpk, g.garis
        FROM accepted_persons p
        JOIN accepted_households h USING (tahun, id_rt)
        JOIN garis_df g ON g.kode_provinsi = left(h.kode_kecamatan, 2) AND g.tahun = p.tahun
        """
    )


def _additive_select(defs: dict, unit: str) -> str:
    parts = []
    for ind_id, d in defs.items():
        if isinstance(d, Count):
            parts.append(f'count_if({d.where}) AS "{ind_id}__n"')
        elif isinstance(d, Share):
            parts.append(f'count_if({d.universe}) AS "{ind_id}__n"')
            parts.append(f'count_if(({d.universe}) AND ({d.numerator})) AS "{ind_id}__num"')
        elif isinstance(d, Mean):
            parts.append(f'count_if({d.universe}) AS "{ind_id}__n"')
            parts.append(f'{_exact_sum(f"CASE WHEN {d.universe} THEN {d.expr} END")} AS "{ind_id}__sum"')
    if unit == "orang":
        parts.append('count(DISTINCT id_rt) AS "__rt"')
    return ", ".join(parts)


def _wanted(catalog: dict[str, Indicator], unit: str, tingkat: str, dimensi: str) -> dict:
    return {
        i: d
        for i, (u, d) in DEFINITIONS.items()
        if u == unit and i in catalog and catalog[i].publishes(tingkat, dimensi)
    }


ROLLUP = {"kecamatan": None, "kabupaten_kota": 5, "provinsi": 2, "nasional": 0}  # code prefix length per level
HOUSEHOLD_BREAKDOWNS = ("total", "perkotaan_perdesaan", "desil")  # attributes of the household, not the person
# The Gini's running totals are taken per band of this many rupiah of per-capita consumption (_ranked).
BAND_RUPIAH = 1000


def aggregate(con: Engine, catalog: dict[str, Indicator], log=print) -> pd.DataFrame:
    """All cells of all terbuka indicators, levels, years and breakdowns.

    Additive measures (counts, numerators, sums) are computed once per
    kecamatan and breakdown category and then summed up the hierarchy: regions
    nest, and a household lives in one kecamatan, so even the count of distinct
    households adds up. Ranked statistics (Gini) need each group's distribution.
    `con` is an Engine (or a DuckDB connection, wrapped).
    """
    con = as_engine(con)
    if any(isinstance(d, Ranked) for i, (_, d) in DEFINITIONS.items() if i in catalog):
        _household_consumption(con)
    frames = []
    for unit, view in UNIT_VIEW.items():
        for dimensi in CATEGORIES:
            levels = [lv for lv in LEVELS if any(ind.publishes(lv, dimensi) for ind in catalog.values())]
            wanted = {lv: _wanted(catalog, unit, lv, dimensi) for lv in levels}
            additive = {i: d for defs in wanted.values() for i, d in defs.items() if not isinstance(d, Ranked)}
            if additive:
                sql = (
                    f"SELECT tahun, kode_kecamatan AS kode_wilayah, {BREAKDOWN_KEY[dimensi]} AS kategori, "
                    f"{_additive_select(additive, unit)} FROM {view} GROUP BY ALL"
                )
                kec = _exact_columns(con.sql(sql))
                for lv in levels:
                    defs = {i: d for i, d in wanted[lv].items() if i in additive}
                    if defs:
                        frames.append(_melt(_roll_up(kec, lv), defs, catalog, lv, dimensi))
            ranked = {lv: {i: d for i, d in wanted[lv].items() if isinstance(d, Ranked)} for lv in levels}
            ranked = {lv: defs for lv, defs in ranked.items() if defs}
            if ranked:
                if dimensi not in HOUSEHOLD_BREAKDOWNS:
                    raise ValueError(f"ranked statistics need a household-level breakdown, not {dimensi}")
                frames.append(_ranked(con, ranked, dimensi))
        log(f"aggregated unit={unit}")
    cells = pd.concat(frames, ignore_index=True)
    return complete_categories(cells)


def _exact_columns(kec: pd.DataFrame) -> pd.DataFrame:
    """One representation whichever engine answered: counts int64, fixed-point sums Python ints
    (a province's or the nation's sum outgrows int64), in a fixed row order."""
    kec = kec.copy()
    kec["tahun"] = kec["tahun"].astype("int64")
    kec["kode_wilayah"] = kec["kode_wilayah"].astype(str)
    kec["kategori"] = kec["kategori"].astype(str)
    for col in kec.columns.difference(["tahun", "kode_wilayah", "kategori"]):
        if col.endswith("__sum"):  # arrow_to_pandas made them Python ints already; None where nothing was summed
            kec[col] = kec[col].astype(object)
        else:
            kec[col] = kec[col].astype("int64")
    return kec.sort_values(["tahun", "kode_wilayah", "kategori"]).reset_index(drop=True)


def _roll_up(kec: pd.DataFrame, tingkat: str) -> pd.DataFrame:
    prefix = ROLLUP[tingkat]
    if prefix is None:
        return kec
    code = kec["kode_wilayah"].str[:prefix] if prefix else pd.Series("00", index=kec.index)
    # Python-int sums add exactly (object columns are summed with Python's +).
    return kec.drop(columns="kode_wilayah").groupby([kec["tahun"], code.rename("kode_wilayah"), kec["kategori"]]).sum().reset_index()


def _melt(wide: pd.DataFrame, defs: dict, catalog: dict[str, Indicator], tingkat: str, dimensi: str) -> pd.DataFrame:
    out = []
    n_rt = wide["__rt"] if "__rt" in wide else None
    for ind_id, d in defs.items():
        n = wide[f"{ind_id}__n"].astype("int64")
        df = pd.DataFrame({"tahun": wide["tahun"].astype(int), "kode_wilayah": wide["kode_wilayah"], "kategori": wide["kategori"].astype(str)})
        df["indicator_id"] = ind_id
        df["n_unit"] = n
        df["n_rt"] = (n_rt if n_rt is not None else n).astype("int64")
        if isinstance(d, Count):
            df["n_pembilang"] = np.nan
            df["jumlah"] = np.nan
        elif isinstance(d, Share):
            df["n_pembilang"] = wide[f"{ind_id}__num"].astype("int64")
            df["jumlah"] = np.nan
        else:  # Mean
            df["n_pembilang"] = np.nan
            df["jumlah"] = _from_fixed_point(wide[f"{ind_id}__sum"])
        df["aturan"] = catalog[ind_id].aturan
        out.append(df)
    res = pd.concat(out, ignore_index=True)
    res["tingkat"] = tingkat
    res["dimensi"] = dimensi
    return res


def _household_consumption(con: Engine) -> None:
    """Each household once, with its persons (w) and consumption in whole rupiah (x), for the ranked
    statistics of every breakdown. Grouped on the household's own columns (one value per id_rt),
    not any_value() of them: Spark hashes such a GROUP BY but must sort for any_value of a string."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE hh_konsumsi AS
        SELECT tahun, id_rt, kode_kecamatan, perkotaan, desil, CAST(round(kpk) AS DECIMAL(18, 0)) AS x, count(*) AS w
        FROM pv GROUP BY tahun, id_rt, kode_kecamatan, perkotaan, desil, kpk
        """
    )


def _ranked(con: Engine, defs_by_level: dict[str, dict], dimensi: str) -> pd.DataFrame:
    """Gini and the bottom-40 % share over persons, computed on households with person weights,
    for every level at once (one query per breakdown).

    With households sorted by per-capita consumption x_i, weights w_i (persons) and
    W_i the running total, the person-level Gini Σ(2r − N − 1)x / (N Σx) becomes
    Σ x_i w_i (2 W_{i−1} + w_i − N) / (N Σ w_i x_i): exact, on a third of the rows.

    Exact on every engine. Consumption is taken in whole rupiah (the register records rupiah;
    an extract's fractions of a rupiah are rounded off, half a rupiah a person at most), so
    every sum is a sum of integers, computed as DECIMAL(38,0): the same number
    whatever order an engine adds in. The two quotients are taken in Python from those
    integers, each correctly rounded once.

    Without collecting a province's households on one executor. Sorting a (level, year, region,
    category) in one window would put every household of the country in one task at national
    level (2.6 M a year at 1:30, some 77 M at 1:1). Instead no window partition grows with the
    register:
    - `kec`, `v`: households are summed into a histogram, one row per region, category and
      whole-rupiah amount x, built per kecamatan and merged up the hierarchy (distributed
      GROUP BYs, partially aggregated on every executor). Within a block of equal x the terms
      Σ w_i (2 W_{i−1} + w_i − N) telescope to w_b (2 W_b + w_b − N), with w_b the block's
      persons and W_b the persons before it, and the bottom 40 % takes
      max(0, min(w_b, ⌊0.4 N⌋ − W_b)) of a block exactly as it took its households in turn.
    - `pita`, `g`: the running total W_b is split in two sums of integers: the persons in the
      bands of Rp BAND_RUPIAH below x's band (a window over one region's bands: at most
      (largest − smallest consumption) / BAND_RUPIAH rows, 10^6 by the schema's maximum of
      Rp 10^9) plus the persons before x in its own band (a window over one band: at most
      BAND_RUPIAH distinct amounts, whatever the register's size).
    Any banding that never puts a larger amount in a lower band gives the same sums; the width
    only sets the two partition sizes. Measured at 1:30 (benchmarks/engines.py --partitions-only,
    CHANGELOG.md): the largest windows sort 18,834 bands (a year's nation) and 775 amounts in a
    band; the histogram alone would have left 1.8 M amounts for 2.6 M households (whole-rupiah
    amounts rarely repeat). The cost is one more shuffle and a join of each histogram row to its
    band's offset.
    """
    levels = "\n          UNION ALL\n          ".join(
        f"SELECT '{lv}' AS tingkat, tahun, {LEVEL_KEY[lv]} AS kode_wilayah, kategori, x, "
        f"CAST(sum(w) AS DECIMAL(38, 0)) AS w, CAST(sum(rt) AS DECIMAL(38, 0)) AS rt FROM kec GROUP BY ALL"
        for lv in defs_by_level)
    region = "tingkat, tahun, kode_wilayah, kategori"
    sql = f"""
        WITH kec AS (
          SELECT tahun, kode_kecamatan, {BREAKDOWN_KEY[dimensi]} AS kategori, x, sum(w) AS w, count(*) AS rt
          FROM hh_konsumsi GROUP BY ALL),
        v AS (
          {levels}),
        vb AS (
          SELECT *, CAST(floor(x / {BAND_RUPIAH}) AS BIGINT) AS pita FROM v),
        pita AS (
          SELECT {region}, pita, w_pita,
                 coalesce(sum(w_pita) OVER (PARTITION BY {region} ORDER BY pita
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS w_pita_sebelum,
                 sum(w_pita) OVER (PARTITION BY {region}) AS n
          FROM (SELECT {region}, pita, sum(w) AS w_pita FROM vb GROUP BY ALL)),
        g AS (
          SELECT {region}, x, w, rt, n,
                 w_pita_sebelum + coalesce(sum(w) OVER (PARTITION BY {region}, pita ORDER BY x
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS w_before
          FROM vb JOIN pita USING (tingkat, tahun, kode_wilayah, kategori, pita))
        SELECT {region}, CAST(any_value(n) AS DECIMAL(38, 0)) AS n,
               CAST(sum(rt) AS DECIMAL(38, 0)) AS n_rt,
               CAST(sum(x * w * (2 * w_before + w - n)) AS DECIMAL(38, 0)) AS gini_sum,
               CAST(sum(x * w) AS DECIMAL(38, 0)) AS total,
               CAST(sum(x * greatest(0, least(w, floor(0.4 * n) - w_before))) AS DECIMAL(38, 0)) AS b40_sum
        FROM g GROUP BY ALL
    """
    wide = con.sql(sql)
    for col in ("tingkat", "kode_wilayah", "kategori"):
        wide[col] = wide[col].astype(str)
    wide["tahun"] = wide["tahun"].astype("int64")
    wide = wide.sort_values(["tingkat", "tahun", "kode_wilayah", "kategori"]).reset_index(drop=True)
    n, total = wide["n"], wide["total"]
    # Python ints: int / int is the exact quotient rounded once; no consumption at all has no Gini.
    value = {
        "gini": np.array([g / (m * t) if t else np.nan for g, m, t in zip(wide["gini_sum"], n, total)], dtype=float),
        "b40": np.array([100 * b / t if t else np.nan for b, t in zip(wide["b40_sum"], total)], dtype=float),
    }
    out = []
    for tingkat, defs in defs_by_level.items():
        at = (wide["tingkat"] == tingkat).to_numpy()
        for ind_id, d in defs.items():
            df = wide.loc[at, ["tahun", "kode_wilayah", "kategori"]].reset_index(drop=True)
            df["indicator_id"] = ind_id
            df["n_unit"] = n[at].astype("int64").to_numpy()
            df["n_rt"] = wide.loc[at, "n_rt"].astype("int64").to_numpy()
            df["n_pembilang"] = np.nan
            # `jumlah` / `n_unit` is the published value (see compute_values), so store value × n.
            df["jumlah"] = value["gini" if d.kind == "gini" else "b40"][at] * df["n_unit"]
            df["aturan"] = "statistik"
            df["tingkat"] = tingkat
            df["dimensi"] = dimensi
            out.append(df)
    return pd.concat(out, ignore_index=True)


def complete_categories(cells: pd.DataFrame) -> pd.DataFrame:
    """Add the categories a group lacks (a desil with nobody in it) as zero cells.

    A missing category is a true zero, and the tables must be complete for the
    additivity relations (categories sum to the total) to hold.
    """
    keys = ["indicator_id", "kode_wilayah", "tingkat", "tahun", "dimensi"]
    groups = cells[keys].drop_duplicates()
    full = []
    for dimensi, cats in CATEGORIES.items():
        g = groups[groups["dimensi"] == dimensi]
        if g.empty:
            continue
        full.append(g.merge(pd.DataFrame({"kategori": list(cats)}), how="cross"))
    grid = pd.concat(full, ignore_index=True)
    merged = grid.merge(cells, on=keys + ["kategori"], how="left")
    merged["aturan"] = merged.groupby("indicator_id")["aturan"].transform("first")
    for col in ("n_unit", "n_rt"):
        merged[col] = merged[col].fillna(0).astype("int64")
    is_share = merged["aturan"] == "proporsi"
    merged.loc[is_share & merged["n_pembilang"].isna(), "n_pembilang"] = 0
    return merged[CELL_COLUMNS]


def compute_values(cells: pd.DataFrame, weight: float) -> pd.DataFrame:
    """nilai, pembilang, penyebut (weighted to the population) from the counts."""
    cells = cells.copy()
    n = cells["n_unit"].astype(float)
    rule = cells["aturan"]
    nilai = np.full(len(cells), np.nan)
    count = rule == "count"
    nilai[count] = n[count] * weight
    share = rule == "proporsi"
    with np.errstate(invalid="ignore", divide="ignore"):
        nilai[share] = np.where(n[share] > 0, 100.0 * cells.loc[share, "n_pembilang"] / n[share], np.nan)
        stat = rule.isin(["statistik", "rasio"])
        nilai[stat] = np.where(n[stat] > 0, cells.loc[stat, "jumlah"] / n[stat], np.nan)
    cells["nilai"] = nilai
    cells["pembilang"] = np.where(share, np.round(cells["n_pembilang"] * weight), np.nan)
    cells["penyebut"] = np.where(share, np.round(n * weight), np.nan)
    return cells
