"""Aggregation: the validated register -> one tidy table of cells with contributor counts.

Every cell keeps its unweighted contributor counts (`n_unit`, `n_pembilang`,
`n_rt`) for disclosure control; they stay in the secure zone and are dropped
before anything is written to a release.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from data.catalog import CATEGORIES, LEVELS, Indicator
from pipeline.definitions import DEFINITIONS, Count, Mean, Ranked, Share

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


def prepare_views(con: duckdb.DuckDBPyConnection, garis: pd.DataFrame) -> None:
    """Join persons to their household and province poverty line, once.

    hv and pv are tables of the connection's database, not TEMP tables: in the build's
    file-backed database they are written to its file, and the operators that read them
    spill. Issue 19, at 1:100 under a 150 MB cap: a GROUP BY over pv as a TEMP table failed
    with the 1:20 build's own error ("failed to pin block of size 256.0 KiB"), over pv as a
    view (the join in every query) out of memory too; as a table in the file, every query ran."""
    con.register("garis_df", garis)
    # Each household's members as the register records them (its person rows), so that mean
    # household size is persons ÷ households exactly, also when a reported size or a person
    # row was wrong and quarantined: the release then publishes one population, not two.
    con.execute(
        """
        CREATE OR REPLACE TABLE hv AS
        SELECT h.*, coalesce(m.n, 0) AS anggota_tercatat
        FROM accepted_households h
        LEFT JOIN (SELECT tahun, id_rt, count(*) AS n FROM accepted_persons GROUP BY tahun, id_rt) m USING (tahun, id_rt)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE pv AS
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
            parts.append(f'sum(CASE WHEN {d.universe} THEN {d.expr} END) AS "{ind_id}__sum"')
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


def aggregate(con: duckdb.DuckDBPyConnection, catalog: dict[str, Indicator], log=print) -> pd.DataFrame:
    """All cells of all terbuka indicators, levels, years and breakdowns.

    Additive measures (counts, numerators, sums) are computed once per
    kecamatan and breakdown category and then summed up the hierarchy: regions
    nest, and a household lives in one kecamatan, so even the count of distinct
    households adds up. Ranked statistics (Gini) need each group's distribution.
    """
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
                kec = con.execute(sql).df()
                for lv in levels:
                    defs = {i: d for i, d in wanted[lv].items() if i in additive}
                    if defs:
                        frames.append(_melt(_roll_up(kec, lv), defs, catalog, lv, dimensi))
            for lv in levels:
                ranked = {i: d for i, d in wanted[lv].items() if isinstance(d, Ranked)}
                if ranked:
                    if dimensi not in HOUSEHOLD_BREAKDOWNS:
                        raise ValueError(f"ranked statistics need a household-level breakdown, not {dimensi}")
                    frames.append(_ranked(con, ranked, lv, dimensi))
        log(f"aggregated unit={unit}")
    cells = pd.concat(frames, ignore_index=True)
    return complete_categories(cells)


def _roll_up(kec: pd.DataFrame, tingkat: str) -> pd.DataFrame:
    prefix = ROLLUP[tingkat]
    if prefix is None:
        return kec
    code = kec["kode_wilayah"].str[:prefix] if prefix else pd.Series("00", index=kec.index)
    return kec.drop(columns="kode_wilayah").groupby([kec["tahun"], code.rename("kode_wilayah"), kec["kategori"]]).sum(numeric_only=True).reset_index()


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
            df["jumlah"] = wide[f"{ind_id}__sum"].astype(float)
        df["aturan"] = catalog[ind_id].aturan
        out.append(df)
    res = pd.concat(out, ignore_index=True)
    res["tingkat"] = tingkat
    res["dimensi"] = dimensi
    return res


def _ranked(con: duckdb.DuckDBPyConnection, defs: dict, tingkat: str, dimensi: str) -> pd.DataFrame:
    """Gini and the bottom-40 % share over persons, computed on households with person weights.

    With households sorted by per-capita consumption x_i, weights w_i (persons) and
    W_i the running total, the person-level Gini Σ(2r − N − 1)x / (N Σx) becomes
    Σ x_i w_i (2 W_{i−1} + w_i − N) / (N Σ w_i x_i): exact, on a third of the rows.
    The households and their persons are hv's (each household's accepted persons, counted once
    in prepare_views), the same rows as pv's persons grouped by household, without grouping
    the whole register again for every level and breakdown.
    """
    group = f"tahun, {LEVEL_KEY[tingkat]}, {BREAKDOWN_KEY[dimensi]}"
    sql = f"""
        WITH hh AS (
          SELECT tahun, id_rt, kode_kecamatan, perkotaan, desil, konsumsi_per_kapita AS x, anggota_tercatat AS w
          FROM hv WHERE anggota_tercatat > 0),
        g AS (
          SELECT tahun, {LEVEL_KEY[tingkat]} AS kode_wilayah, {BREAKDOWN_KEY[dimensi]} AS kategori, x, w,
                 sum(w) OVER (PARTITION BY {group} ORDER BY x, id_rt ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS w_before,
                 sum(w) OVER (PARTITION BY {group}) AS n
          FROM hh)
        SELECT tahun, kode_wilayah, kategori, any_value(n) AS n, count(*) AS n_rt,
               sum(x * w * (2 * coalesce(w_before, 0) + w - n)) / (any_value(n) * sum(x * w)) AS gini,
               100 * sum(x * greatest(0, least(w, floor(0.4 * n) - coalesce(w_before, 0)))) / sum(x * w) AS b40
        FROM g GROUP BY ALL
    """
    wide = con.execute(sql).df()
    out = []
    for ind_id, d in defs.items():
        df = pd.DataFrame({"tahun": wide["tahun"].astype(int), "kode_wilayah": wide["kode_wilayah"], "kategori": wide["kategori"].astype(str)})
        df["indicator_id"] = ind_id
        df["n_unit"] = wide["n"].astype("int64")
        df["n_rt"] = wide["n_rt"].astype("int64")
        df["n_pembilang"] = np.nan
        # `jumlah` / `n_unit` is the published value (see compute_values), so store value × n.
        df["jumlah"] = wide["gini" if d.kind == "gini" else "b40"].astype(float) * df["n_unit"]
        df["aturan"] = "statistik"
        out.append(df)
    res = pd.concat(out, ignore_index=True)
    res["tingkat"] = tingkat
    res["dimensi"] = dimensi
    return res


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
