"""The model's identities, found on the complete true table instead of kept by hand (issue 14).

A reader can use every identity the published numbers satisfy, including ones nobody
wrote down (15–64-year-olds are three age bands; households in desil 1–2 with a
programme are two desil categories of the programme's count). Any identity a reader can
verify on published cells holds on the true cells too, or it misleads them. So the
model takes every identity that holds on the *whole* true table, found by the same
finder the reader's audit runs on the published rows (reader_identities.py), and
adds them as relations: the model's attacker is then never weaker than the reader's.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from pipeline.definitions import DEFINITIONS, Count, Mean, Share
from pipeline.disclosure.reader_identities import discover
from pipeline.disclosure.reader_view import build_view


# On the true table, an identity or support that fails on at most this share of places is kept
# (as relations only where it holds): a reader who happens to see none of its exceptions believes it.
NEAR_IDENTITY_EXCEPTIONS = 0.05


def _catalog() -> dict:
    def rule(d):
        return {Count: "count", Share: "proporsi", Mean: "statistik"}.get(type(d), "")
    return {i: {"aturan": rule(d), "desimal": 6} for i, (_, d) in DEFINITIONS.items() if rule(d)}


@functools.lru_cache(maxsize=None)  # called once per reader cell: a few hundred distinct series
def model_key(series: str) -> str | None:
    """The model's set name behind a reader's series ("indicator|role"; "Σ indicator|mean" is a mean's sum)."""
    indicator, role = series.removeprefix("Σ ").split("|")
    d = DEFINITIONS.get(indicator, (None, None))[1]
    if series.startswith("Σ "):
        return d.sum_key if isinstance(d, Mean) else None
    if isinstance(d, Count) and role == "n":
        return d.key
    if isinstance(d, Share):
        return d.key_of(role)
    return None


def true_identities(rows: pd.DataFrame) -> dict:
    """rows: the secure-side cells (n_unit, n_pembilang, jumlah). Returns the identities in model keys:
    equal: [(key, other key)], sums: [(whole, [parts])], breakdowns: [(whole, base, dimensi, [kategori])]."""
    catalog = _catalog()
    truth = rows[rows["indicator_id"].isin(catalog)]
    n = truth["n_unit"].astype(float)
    is_mean = truth["indicator_id"].isin([i for i, (_, d) in DEFINITIONS.items() if isinstance(d, Mean)]).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, truth["jumlah"].astype(float) / n, np.nan)
    all_shown = truth.assign(nilai=np.where(is_mean, mean, n), pembilang=truth["n_pembilang"], penyebut=n,
                             status=np.where(is_mean & (n == 0), "NA", "ok"))
    whole = build_view(all_shown, catalog, 1.0)
    found = in_model_keys(whole, discover(whole, slack=NEAR_IDENTITY_EXCEPTIONS))
    # What a reader sees is the table with its small cells hidden, and a pattern that holds on the
    # rest ("BLT in towns is always zero", "P1 is positive only where households of desil 1–2
    # live") is one they will believe; the hidden cells are where it fails, or not. So the finder
    # also runs on the truth with the primary cells blanked, and the model adds what it finds
    # wherever that holds.
    if "status" in truth:
        primary_hidden = all_shown.assign(status=np.where(truth["status"].to_numpy() == "S1", "S1", all_shown["status"]))
        seen = build_view(primary_hidden, catalog, 1.0)
        found = merge(found, in_model_keys(seen, discover(seen)))
    return found


def in_model_keys(view, ids) -> dict:
    """Identities found by the reader's finder (on the truth, or on published rows), in model keys."""
    g = ids.groups
    keys_of_group: dict[int, list[str]] = {}
    for s, grp in enumerate(g.of_series):
        if grp < 0:
            continue
        k = model_key(view.series["name"].iloc[s])
        if k is not None and k not in keys_of_group.setdefault(int(grp), []):
            keys_of_group[int(grp)].append(k)
    rep = {grp: sorted(keys)[0] for grp, keys in keys_of_group.items()}
    equal = [(rep[grp], other) for grp, keys in keys_of_group.items() for other in sorted(keys)[1:]]
    sums = [(rep[w], [rep[p] for p in parts]) for w, parts in ids.sums if w in rep and all(p in rep for p in parts)]
    # a share's own denominator = numerator + complement is a relation of the model already
    shares = {(d.den_key, frozenset([d.num_key, d.complement]))
              for _, d in DEFINITIONS.values() if isinstance(d, Share)}
    sums = [(w, parts) for w, parts in sums if (w, frozenset(parts)) not in shares]
    breakdowns = [(rep[w], rep[p], dim, cats) for w, p, dim, cats in ids.breakdowns if w in rep and p in rep]
    supports = []
    for m, grp in ids.supports:
        d = DEFINITIONS.get(view.series["indicator_id"].iloc[m], (None, None))[1]
        if isinstance(d, Mean) and grp in rep and (d.sum_key, rep[grp]) not in supports:
            supports.append((d.sum_key, rep[grp]))
    return {"equal": equal, "sums": sums, "breakdowns": breakdowns, "supports": supports}


KINDS = ("equal", "sums", "breakdowns", "supports")


def merge(a: dict | None, b: dict | None) -> dict:
    a = a or {k: [] for k in KINDS}
    b = b or {k: [] for k in KINDS}
    return {k: a.get(k, []) + [x for x in b.get(k, []) if x not in a.get(k, [])] for k in KINDS}


def count(found: dict | None) -> int:
    return sum(len(v) for v in (found or {}).values())
