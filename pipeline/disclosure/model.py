"""The DTSEN release as one linear table: every count a reader can see or derive, and
every relation between them (ISSUE 4 §1).

A *quantity cell* is one named set counted in one region, year and breakdown
category (definitions.py names the sets, so the population that is the
denominator of a dozen rates is one cell). Relations:

- categories sum to the total (jenis_kelamin, perkotaan_perdesaan, desil, kelompok_umur);
- children sum to their parent (kecamatan → kabupaten/kota → provinsi → nasional),
  for each category;
- a rate's denominator = numerator + complement (so a published rate with its
  denominator pins its numerator: we publish both, exactly, or neither);
- identities between sets (age bands of school children; a set that equals a
  sum of another's breakdown categories).

Mean-type indicators contribute their sum (Σ expr) as a magnitude cell: with the
count published, a mean is its sum. Years never share a relation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.definitions import (
    BREAKDOWN_IDENTITIES,
    DEFINITIONS,
    SET_FAMILIES,
    SET_IDENTITIES,
    Count,
    Mean,
    Share,
)
from pipeline.disclosure.model_identities import merge, true_identities
from pipeline.disclosure.parallel import in_background
from pipeline.disclosure.table import LinearTable, attacker_upper, protection_levels
from pipeline.settings import DisclosureParams

KEY = ["key", "tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]
TEXT = ["key", "kode_wilayah", "tingkat", "dimensi", "kategori"]  # KEY's text columns
PARENT = {"kecamatan": ("kabupaten_kota", 5), "kabupaten_kota": ("provinsi", 2), "provinsi": ("nasional", 0)}
LEVEL_COST = {"kecamatan": 1.0, "kabupaten_kota": 4.0, "provinsi": 40.0, "nasional": 1000.0}


@dataclass
class DisclosureModel:
    cells: pd.DataFrame  # quantity cells: KEY + value, magnitude, primary, displayed
    table: LinearTable
    row_links: pd.DataFrame  # per release row (by row index): q ids of its count/num/den/n/sum
    family_base: np.ndarray  # per cell: the cell whose protection it shares (SET_FAMILIES), or −1
    derived: tuple[np.ndarray, np.ndarray, np.ndarray]  # (comp, num, den) for complements nobody displays
    lpl: np.ndarray
    upl: np.ndarray

    @property
    def primary(self) -> np.ndarray:
        return self.cells["primary"].to_numpy()

    @property
    def free_hidden(self) -> np.ndarray:
        return self.cells["free_hidden"].to_numpy()


def _quantity_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One quantity row per (release row, role): count / den / num / comp / n / sum.
    Built per indicator on whole columns (a row-by-row loop took a minute on the demo)."""
    parts = []
    # Text as categories: the grouping and merges that follow then move integer codes, not strings.
    base = rows[["tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]].astype({c: "category" for c in TEXT[1:]})
    columns = {"n": rows["n_unit"].to_numpy(dtype=float, na_value=np.nan),
               "num": rows["n_pembilang"].to_numpy(dtype=float, na_value=np.nan),
               "jumlah": rows["jumlah"].to_numpy(dtype=float, na_value=np.nan)}
    indicator = rows["indicator_id"].to_numpy()
    where = {i: indicator == i for i in pd.unique(indicator)}
    for role in ("count", "den", "num", "comp", "n", "sum"):
        keys = np.full(len(rows), None, dtype=object)
        values = np.full(len(rows), np.nan)
        for ind_id, at in where.items():
            key, value_of = _role(DEFINITIONS[ind_id][1], role)
            if key is not None:
                keys[at] = key
                values[at] = value_of({c: v[at] for c, v in columns.items()})
        part = base.copy()
        part["key"] = keys
        part["value"] = values
        part["role"] = role
        part["row"] = rows.index.to_numpy()
        parts.append(part[part["key"].notna()])
    return pd.concat(parts, ignore_index=True).astype({"key": "category"})


def _role(d, role):
    """The quantity a definition shows in `role`, and its value from the row's columns."""
    if isinstance(d, Count) and role == "count":
        return d.key, lambda c: c["n"]
    if isinstance(d, Share):
        if role == "den":
            return d.den_key, lambda c: c["n"]
        if role == "num":
            return d.num_key, lambda c: c["num"]
        if role == "comp":
            return d.complement, lambda c: c["n"] - c["num"]
    if isinstance(d, Mean):
        if role == "n":
            return d.n_key, lambda c: c["n"]
        if role == "sum":  # no sum recorded: nothing summed
            return d.sum_key, lambda c: np.nan_to_num(c["jumlah"], nan=0.0)
    return None, None


def build_model(rows: pd.DataFrame, params: DisclosureParams, extra_identities: dict | None = None) -> DisclosureModel:
    """rows: the secure-side cells after primary rules (index = release row id).
    extra_identities: identities a reader's audit found (model keys, as model_identities gives them);
    each is added where it holds on the true values."""
    rows = rows[rows["indicator_id"].isin(DEFINITIONS) & rows["aturan"].isin(["count", "proporsi", "rasio", "statistik"])]
    rows = rows[~rows["indicator_id"].isin([i for i in DEFINITIONS if _ranked(i)])]  # per indicator, not per row
    # The identities the true table satisfies depend on the rows alone: found in a second
    # process while this one lays out the cells (a third of this function's time on the demo).
    identities = in_background(true_identities, rows)
    qrows = _quantity_rows(rows)

    # One cell per quantity; every row that shows it must agree on its value. Cells are numbered
    # in key order, not in the order rows arrive (which can vary from run to run), so that ties
    # in the suppression break the same way and the same input gives the same pattern.
    grouped = qrows.groupby(KEY, sort=True)["value"]
    spread = grouped.max() - grouped.min()
    if (spread > 1e-6 * (1 + grouped.max().abs())).any():
        bad = spread[spread > 1e-6 * (1 + grouped.max().abs())].index[0]
        raise ValueError(f"kuantitas {bad} punya dua nilai berbeda: definisi himpunan tidak konsisten")
    cells = grouped.first().reset_index()
    cells["q"] = np.arange(len(cells))
    qrows = qrows.merge(cells[KEY + ["q"]], on=KEY, how="left")
    # A magnitude is a sum that no row counts (the persons summed by mean household size are a count).
    counted = qrows.loc[qrows["role"] != "sum", "key"].unique()
    cells["magnitude"] = cells["key"].isin(qrows.loc[qrows["role"] == "sum", "key"].unique()) & ~cells["key"].isin(counted)
    cells["displayed"] = cells["q"].isin(qrows.loc[qrows["role"] != "comp", "q"])

    # Primary cells, from the row-level rules (protect.py) and which part of the rule fired.
    prim = np.zeros(len(cells), dtype=bool)
    s1 = rows["status"] == "S1"
    detail = rows["alasan_rinci"]
    role_of_detail = {"n<k": "count", "penyebut<k": "den", "pembilang<k": "num", "komplemen<k": "comp", "n<k_stat": "sum", "keluarga<k": "sum"}
    for det, role in role_of_detail.items():
        hit = rows.index[s1 & (detail == det)]
        q = qrows.loc[(qrows["role"] == role) & qrows["row"].isin(hit), "q"].to_numpy()
        prim[q] = True
    # Every count in 1..k−1 is sensitive, whichever role it plays (a small numerator under a
    # small denominator too: the row-level rule only names the first part that failed).
    counts = qrows[qrows["role"] != "sum"]
    small = counts[(counts["value"] >= 1) & (counts["value"] < params.k)]["q"].to_numpy()
    prim[small] = True
    family_base = _family_base(cells, SET_FAMILIES)
    # A cell that only rows already blanked by the primary rules would show is hidden for free.
    # A row that is NA (nobody in its universe) publishes its zeros: everyone knows them.
    known_rows = rows.index[rows["status"].isin(["ok", "NA"])]
    shown_ok = qrows.loc[qrows["row"].isin(known_rows) & (qrows["role"] != "comp"), "q"]
    cells["free_hidden"] = ~cells["q"].isin(shown_ok) & cells["displayed"]
    published_rows = rows.index[rows["status"] == "ok"]
    shown_in = qrows.loc[qrows["row"].isin(published_rows) & (qrows["role"] != "comp")].drop_duplicates(["row", "q"])
    cells["rows_shown"] = shown_in["q"].value_counts().reindex(cells["q"], fill_value=0).to_numpy()
    links = qrows.pivot_table(index="row", columns="role", values="q", aggfunc="first")
    comp_only = ~cells["displayed"].to_numpy()
    share = qrows[qrows["role"].isin(["comp", "num", "den"])].pivot_table(index="row", columns="role", values="q", aggfunc="first").dropna()
    share = share[comp_only[share["comp"].astype(int)]]
    derived = tuple(share[c].astype(int).to_numpy() for c in ("comp", "num", "den"))
    relations = _Entries()
    _fixed_relations(relations, cells)  # (the identities' relations follow once they are found)

    found = merge(identities(), extra_identities)
    # Every count a statistic is positive only where it is (the poor for P1, and whatever holds the
    # poor wherever the data say so: found on the true table, or by a reader): where that count is
    # protected, the statistic's sum is protected too, down to zero.
    supports = {**{m: [b] for m, b in SET_FAMILIES.items()}}
    for member, base in found["supports"]:
        supports.setdefault(member, []).append(base)
    # Only where it tells something: a sum above zero over a base so small (1..its lower level)
    # that "at least one" already breaks the base's protection.
    fam = np.zeros(len(cells), dtype=bool)
    value_all = cells["value"].to_numpy()
    base_lpl, _ = protection_levels(value_all, params.p, params.k)
    exposed_by_one = prim & (value_all >= 1) & (value_all - base_lpl < 1)
    for member, bases in supports.items():
        for base in bases:
            b = _family_base(cells, {member: base})
            has = b >= 0
            hit = np.flatnonzero(has)[exposed_by_one[b[has]]]
            fam[hit[value_all[hit] > 0]] = True
    prim |= fam
    cells["primary"] = prim

    set_ids = _unique(SET_IDENTITIES + [(a, [b]) for a, b in found["equal"]] + found["sums"])
    breakdown_ids = _unique(BREAKDOWN_IDENTITIES + found["breakdowns"])
    _identity_relations(relations, cells, set_ids, breakdown_ids)
    entries = _entry_frame(relations)
    value = cells["value"].to_numpy(dtype=float)
    entries = _holding(entries, value)
    table = _to_table(value, entries, _cost(cells), pd.factorize(cells["key"])[0])
    table.check()
    # The audit's pieces: HiTaS's subtables at province grain (a year's province and
    # everything below it; national cells alone), used to speed the audit up, never to judge.
    table.piece = pd.factorize(cells["tahun"].astype(str) + "|" + cells["kode_wilayah"].str[:2])[0]

    lpl, upl = protection_levels(value, params.p, params.k, cells["magnitude"].to_numpy())
    # A sum over a protected small group must not be provably above zero: that would say the
    # group is not empty (a count of 3 is protected down to 0, and so is what sums over it).
    lpl = np.where(fam, value, lpl)
    for c in TEXT:  # text again for everyone who reads the model (taken from the categories: casting is slow)
        cells[c] = _as_text(cells[c], rows["kode_wilayah"].dtype)
    return DisclosureModel(cells, table, links, family_base, derived, lpl, upl)


def _as_text(column: pd.Series, dtype) -> pd.Series:
    names = pd.array(np.asarray(column.cat.categories, dtype=object), dtype=dtype)
    return pd.Series(names.take(column.cat.codes.to_numpy()), index=column.index)


def _family_base(cells: pd.DataFrame, families: dict) -> np.ndarray:
    """For each cell of a family member, the same place's cell of the set it sums over (else −1)."""
    place = ["tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]
    out = np.full(len(cells), -1, dtype=np.int64)
    for member, base in families.items():
        m = cells.loc[cells["key"] == member, place + ["q"]]
        b = cells.loc[cells["key"] == base, place + ["q"]].rename(columns={"q": "q_base"})
        j = m.merge(b, on=place, how="inner")
        out[j["q"].to_numpy()] = j["q_base"].to_numpy()
    return out


def with_families(model: DisclosureModel, suppressed: np.ndarray) -> np.ndarray:
    """Suppression extended to the family members of every suppressed cell (P1 with the poor)."""
    out = suppressed.copy()
    fam = model.family_base >= 0
    out[fam] |= suppressed[model.family_base[fam]]
    return out


def _ranked(ind_id: str) -> bool:
    from pipeline.definitions import Ranked

    return isinstance(DEFINITIONS[ind_id][1], Ranked)


def _holding(entries: pd.DataFrame, value: np.ndarray) -> pd.DataFrame:
    """Identity relations (d, e) only where they hold on the true values: one a reader inferred
    from published cells may fail elsewhere, and a false relation would misstate the table."""
    identity = entries["identity"].to_numpy()
    ids = entries.loc[identity, ["rel", "q", "coef"]]
    codes = pd.factorize(ids["rel"])[0]
    terms = ids["coef"].to_numpy() * value[ids["q"].to_numpy()]
    res = np.abs(np.bincount(codes, weights=terms))
    size = np.zeros(len(res))
    np.maximum.at(size, codes, np.abs(terms))
    fails = np.zeros(len(entries), dtype=bool)
    fails[np.flatnonzero(identity)] = (res > 1e-6 * (1 + size))[codes]
    return entries[~fails]


def _unique(identities: list) -> list:
    """Each identity once (the same sum found twice, or found and also kept by hand)."""
    seen, out = set(), []
    for ident in identities:
        key = repr([sorted(x) if isinstance(x, list) else x for x in ident])
        if key not in seen:
            seen.add(key)
            out.append(ident)
    return out


def _group_ids(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One integer per distinct combination of `columns` (0..n−1): a relation's identity within
    its family, without building a text label per entry (millions of them on the demo)."""
    code = np.zeros(len(frame), dtype=np.int64)
    for c in columns:
        codes, uniques = pd.factorize(frame[c])
        code = code * (len(uniques) + 1) + codes
    return pd.factorize(code)[0]


class _Entries:
    """Relations as entries (rel, q, coef, identity), numbered family by family so ids never collide."""

    def __init__(self):
        self.frames, self.base = [], 0
        self.family = ""  # the family's letter (a: categories, b: hierarchy, c: shares, d: set identities, e: breakdown identities)

    def add(self, group: np.ndarray, q, coef: float, identity: bool = False) -> None:
        """Entries of this family's relations: row i is cell q[i] in relation group[i] (0..n−1)."""
        self.frames.append(pd.DataFrame({"rel": np.asarray(group, dtype=np.int64) + self.base,
                                         "q": np.asarray(q, dtype=np.int64), "coef": coef, "identity": identity, "family": self.family}))

    def add_head(self, group: np.ndarray, q, coef: float, identity: bool = False) -> None:
        """One entry per relation: the total every row of its group shares."""
        _, first = np.unique(group, return_index=True)
        self.add(group[first], np.asarray(q)[first], coef, identity)

    def next_family(self, group: np.ndarray) -> None:
        self.base += int(group.max()) + 1 if len(group) else 0

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.frames, ignore_index=True)


def _coded(cells: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories: every filter and merge then moves integer codes, not Arrow
    strings (taking rows of Arrow strings was most of the relations' time on the demo)."""
    return cells[["key", "tahun", "kode_wilayah", "tingkat", "dimensi", "kategori", "q"]].astype({c: "category" for c in TEXT})


def _fixed_relations(out: _Entries, cells: pd.DataFrame) -> None:
    """The relations every release has: categories, hierarchy, shares (families a–c)."""
    cells = _coded(cells)

    # a) categories sum to the total, per key / year / region / breakdown.
    out.family = "a"
    cats = cells[cells["dimensi"] != "total"]
    tot = cells[cells["dimensi"] == "total"][["key", "tahun", "kode_wilayah", "q"]].rename(columns={"q": "q_total"})
    cats = cats.merge(tot, on=["key", "tahun", "kode_wilayah"], how="inner")
    group = _group_ids(cats, ["key", "tahun", "kode_wilayah", "dimensi"])
    out.add_head(group, cats["q_total"], 1.0)
    out.add(group, cats["q"], -1.0)
    out.next_family(group)

    # b) children sum to their parent, per category.
    out.family = "b"
    for child_level, (parent_level, n) in PARENT.items():
        ch = cells[cells["tingkat"] == child_level].copy()
        ch["parent"] = ch["kode_wilayah"].astype(str).str[:n] if n else "00"
        ch["parent"] = ch["parent"].astype(cells["kode_wilayah"].dtype)  # a parent is a region code too
        par = cells[cells["tingkat"] == parent_level][["key", "tahun", "kode_wilayah", "dimensi", "kategori", "q"]].rename(columns={"kode_wilayah": "parent", "q": "q_parent"})
        ch = ch.merge(par, on=["key", "tahun", "parent", "dimensi", "kategori"], how="inner")
        group = _group_ids(ch, ["key", "tahun", "parent", "dimensi", "kategori"])
        out.add_head(group, ch["q_parent"], 1.0)
        out.add(group, ch["q"], -1.0)
        out.next_family(group)

    # c) denominator = numerator + complement, for every rate (one relation per row of m).
    out.family = "c"
    den_keys = sorted({(d.den_key, d.num_key, d.complement) for _, d in DEFINITIONS.values() if isinstance(d, Share)})
    place = ["tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]
    for den, num, comp in den_keys:
        parts = [cells[cells["key"] == k][place + ["q"]].rename(columns={"q": name}) for k, name in ((den, "d"), (num, "n"), (comp, "c"))]
        m = parts[0].merge(parts[1], on=place).merge(parts[2], on=place)
        group = np.arange(len(m))
        for col, coef in (("d", 1.0), ("n", -1.0), ("c", -1.0)):
            out.add(group, m[col], coef)
        out.next_family(group)


def _identity_relations(out: _Entries, cells: pd.DataFrame, set_identities, breakdown_identities) -> None:
    """The relations identities between sets give (families d–e), after the fixed ones."""
    cells = _coded(cells)
    place = ["tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]
    # d) identities between sets in the same place.
    out.family = "d"
    for whole, parts_keys in set_identities:
        frames = [cells[cells["key"] == k][place + ["q"]].rename(columns={"q": f"q{i}"}) for i, k in enumerate([whole] + parts_keys)]
        m = frames[0]
        for f in frames[1:]:
            m = m.merge(f, on=place)
        group = np.arange(len(m))
        out.add(group, m["q0"], 1.0, identity=True)
        for i in range(1, len(frames)):
            out.add(group, m[f"q{i}"], -1.0, identity=True)
        out.next_family(group)

    # e) a set that is a sum of another set's breakdown categories (region totals).
    out.family = "e"
    for whole, base, dim, cats_ in breakdown_identities:
        w = cells[(cells["key"] == whole) & (cells["dimensi"] == "total")][["tahun", "kode_wilayah", "q"]]
        b = cells[(cells["key"] == base) & (cells["dimensi"] == dim) & cells["kategori"].isin(cats_)][["tahun", "kode_wilayah", "q"]]
        counts = b.groupby(["tahun", "kode_wilayah"]).size()
        full = counts[counts == len(cats_)].reset_index()[["tahun", "kode_wilayah"]]
        w = w.merge(full, on=["tahun", "kode_wilayah"]).reset_index(drop=True)
        b = b.merge(w[["tahun", "kode_wilayah"]].assign(g=np.arange(len(w))), on=["tahun", "kode_wilayah"])
        group = np.arange(len(w))
        out.add(group, w["q"], 1.0, identity=True)
        out.add(b["g"].to_numpy(), b["q"], -1.0, identity=True)
        out.next_family(group)


def _entry_frame(out: _Entries) -> pd.DataFrame:
    entries = out.frame()
    # A relation needs at least two cells (a lone head whose children are not released says nothing).
    rel = entries["rel"].to_numpy()
    return entries[np.bincount(rel)[rel] >= 2]


def _to_table(value: np.ndarray, entries: pd.DataFrame, cost: np.ndarray, quantity: np.ndarray) -> LinearTable:
    """quantity: a code per cell naming its quantity (the same count in every region and year)."""
    codes, labels = pd.factorize(entries["rel"], sort=True)  # relations numbered as built
    order = np.argsort(codes, kind="stable")
    rel_codes = codes[order]
    counts = np.bincount(rel_codes, minlength=len(labels))
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return LinearTable(
        value=value,
        lower=np.zeros_like(value),
        upper=attacker_upper(value, quantity),
        cost=cost,
        rel_ptr=ptr,
        rel_cell=entries["q"].to_numpy(dtype=np.int64)[order],
        rel_coef=entries["coef"].to_numpy(dtype=float)[order],
        names=list(entries["family"].to_numpy()[order][ptr[:-1]]),  # each relation's family letter
    )


def _cost(cells: pd.DataFrame) -> np.ndarray:
    """Information loss of suppressing a cell: the published rows it would blank (a worker count
    is the denominator of two indicators, a labour force only of one whose partner is already
    protected), large, high-level cells and totals last."""
    level = cells["tingkat"].map(LEVEL_COST).to_numpy()
    total = np.where(cells["dimensi"] == "total", 3.0, 1.0)
    rows = np.maximum(cells["rows_shown"].to_numpy(dtype=float), 1.0)
    return rows * level * total * (1.0 + np.log1p(np.abs(cells["value"].to_numpy(dtype=float))))


def row_statuses(rows: pd.DataFrame, model: DisclosureModel, suppressed: np.ndarray) -> pd.Series:
    """ok / S1 / S2 / NA per release row, given which quantity cells are not published."""
    status = rows["status"].copy()
    suppressed = with_families(model, suppressed)
    links = model.row_links.reindex(rows.index)
    hidden = np.zeros(len(rows), dtype=bool)
    for role in ("count", "num", "den", "n", "sum"):
        if role in links:
            q = links[role]
            has = q.notna().to_numpy()
            hidden[has] |= suppressed[q[has].astype(int).to_numpy()]
    status[(status == "ok") & hidden] = "S2"
    return status


def published_suppression(rows: pd.DataFrame, model: DisclosureModel) -> np.ndarray:
    """Which quantity cells the *published* rows leave unknown (for the independent audit)."""
    visible = np.zeros(len(model.cells), dtype=bool)
    links = model.row_links.reindex(rows.index)
    ok = rows["status"].isin(["ok", "NA"]).to_numpy()  # an NA row's zeros are known to all
    for role in ("count", "num", "den", "n", "sum"):
        if role in links:
            q = links[role].to_numpy()
            has = ok & ~np.isnan(q)
            visible[q[has].astype(int)] = True
    return ~visible
