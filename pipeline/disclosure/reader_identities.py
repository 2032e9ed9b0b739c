"""The identities a reader finds in the published numbers (issue 14), by checking, not by being told.

Each finder proposes candidates on the national figures (always published), then
keeps a candidate only if it holds on *every* place where all its terms are
published, and on enough of them. Nothing comes from the disclosure model, so
what the model forgot, this finds:

- series that are one quantity under two names (persons behind a dozen rates);
- a quantity that is the sum of two or three others (children 7–18 = 7–12 + 13–15 + 16–18);
- a quantity that is the sum of some categories of another's breakdown (15+ = 15–24 + … + 65+);
- a mean that is the quotient of two published counts (household size = persons ÷ households);
- the divisor of every other mean (its value × divisor adds up over regions);
- a statistic that is positive only where a count is (P1 > 0 only where the poor exist).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from pipeline.disclosure.reader_view import COUNT_ROLES, ReaderView

TOL = 0.5  # counts are whole records: two readings of one count differ by less than this
MIN_PLACES = 3  # an identity must hold on at least this many fully published places
PAIR_BLOCK = 16  # series compared with one series at once in equal_series


@dataclass
class Groups:
    """Count series merged into quantities; G[place, group] is what the reader knows of each."""

    of_series: np.ndarray  # series → group (−1 for means)
    value: np.ndarray  # [place, group]
    present: np.ndarray
    truth: np.ndarray | None
    s1: np.ndarray  # [place, group]: some row showing it is S1 (primary)
    hidden_by: np.ndarray  # [place, group]: some present row showing it is not published
    names: list[str] = field(default_factory=list)
    # [place, group], with the truth only: the members' true values differ here, so the reader's
    # belief that they are one quantity is false at this place (what they derive there is wrong)
    mixed: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.value.shape[1]


@dataclass
class Identities:
    groups: Groups
    sums: list = field(default_factory=list)  # (whole group, [part groups]) at the same place
    breakdowns: list = field(default_factory=list)  # (whole group, part group, dimensi, [kategori])
    quotients: dict = field(default_factory=dict)  # mean series → (numerator group, divisor group)
    divisors: dict = field(default_factory=dict)  # mean series → divisor group (sum = value × divisor)
    supports: list = field(default_factory=list)  # (mean series, count group): mean > 0 only where the count is

    def describe(self) -> dict:
        g = self.groups
        return {
            "kuantitas": g.n,
            "seri_sama": int(sum((g.of_series >= 0)) - g.n),
            "jumlah_seri": len(self.sums),
            "jumlah_kategori": len(self.breakdowns),
            "hasil_bagi": len(self.quotients),
            "pembagi_rerata": len(self.divisors),
            "dukungan": len(self.supports),
            "seri_digabung": [n for n in g.names if " = " in n],
        }


def discover(view: ReaderView, slack: float = 0.0) -> Identities:
    """slack: the share of places where a candidate may fail and still be kept. A reader keeps only
    identities that never fail on what they can see (0). The model, which sees the whole true
    table, keeps near-identities too: a reader whose hidden cells happen to hold every exception
    would believe one, so the model adds it wherever it holds."""
    groups = equal_series(view, slack)
    ids = Identities(groups)
    cand = probe_candidates(view)
    ids.sums = sum_identities(groups, cand, slack)
    ids.breakdowns = breakdown_identities(view, groups, cand, slack)
    ids.quotients = mean_quotients(view, groups, cand)
    ids.divisors = mean_divisors(view, groups, exclude=ids.quotients)
    ids.supports = supports(view, groups, slack=slack)
    return ids


def _union_find(n: int, pairs) -> np.ndarray:
    parent = list(range(n))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(a) for a in range(n)])


def equal_series(view: ReaderView, slack: float = 0.0) -> Groups:
    """Two count series are one quantity when they agree on every place both publish, on at least
    MIN_PLACES places with a count above zero (zeros agree with anything small). Series are merged
    only while no two members of the merged quantity contradict each other somewhere."""
    counts = np.flatnonzero(view.series["role"].isin(COUNT_ROLES).to_numpy())
    V, K = view.value[:, counts], view.known[:, counts]
    n = len(counts)
    pairs, contradicts = [], np.zeros((n, n), dtype=bool)
    for a in range(n - 1):
        # Series a against a block of later series at once (a loop over pairs spent its time
        # in fancy indexing): per pair, the places both publish, those where they differ, and
        # those where a is above zero. Blocks bound the memory (places × block).
        for lo in range(a + 1, n, PAIR_BLOCK):
            hi = min(n, lo + PAIR_BLOCK)
            both = K[:, a, None] & K[:, lo:hi]
            n_both = both.sum(axis=0)
            with np.errstate(invalid="ignore"):
                n_differ = (both & ~(np.abs(V[:, a, None] - V[:, lo:hi]) < TOL)).sum(axis=0)
            n_positive = (both & (V[:, a, None] > 0)).sum(axis=0)
            against = (n_both > 0) & (n_differ > slack * n_both)
            agree = (n_both > 0) & ~against & (n_positive >= MIN_PLACES)
            for b in lo + np.flatnonzero(against):
                contradicts[a, b] = contradicts[b, a] = True
            pairs += [(a, int(b)) for b in lo + np.flatnonzero(agree)]
    members = {a: {a} for a in range(n)}
    root = list(range(n))
    for a, b in pairs:
        ra, rb = root[a], root[b]
        if ra == rb or any(contradicts[x, y] for x in members[ra] for y in members[rb]):
            continue
        members[ra] |= members.pop(rb)
        for x in members[ra]:
            root[x] = ra
    labels, group_of_count = np.unique(root, return_inverse=True)
    of_series = np.full(len(view.series), -1)
    of_series[counts] = group_of_count
    n_g = len(labels)
    shape = (len(view.places), n_g)
    value, present = np.full(shape, np.nan), np.zeros(shape, dtype=bool)
    truth = np.full(shape, np.nan) if view.truth is not None else None
    mixed = np.zeros(shape, dtype=bool)
    s1, hidden = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for j, s in enumerate(counts):
        g = group_of_count[j]
        k = view.known[:, s]
        value[k, g] = view.value[k, s]
        present[:, g] |= view.present[:, s]
        s1[:, g] |= view.status[:, s] == "S1"
        hidden[:, g] |= view.present[:, s] & ~k
        if truth is not None:
            t = ~np.isnan(view.truth[:, s])
            clash = t & ~np.isnan(truth[:, g]) & (np.abs(truth[:, g] - view.truth[:, s]) >= TOL)
            mixed[:, g] |= clash
            fill = t & (np.isnan(truth[:, g]) | k)  # the published member's truth is the cell's
            truth[fill, g] = view.truth[fill, s]
    names = [" = ".join(view.series["name"].to_numpy()[counts[group_of_count == g]]) for g in range(n_g)]
    return Groups(of_series, value, present, truth, s1, hidden & np.isnan(value), names, mixed)


def _holds(residual: np.ndarray, known: np.ndarray, tol, slack: float = 0.0) -> bool:
    """The candidate holds on enough places, failing on at most `slack` of them (see discover)."""
    if known.sum() < MIN_PLACES:
        return False
    bad = np.abs(residual[known]) >= (tol[known] if np.ndim(tol) else tol)
    return bool(bad.mean() <= slack) if slack else not bad.any()


def probe_candidates(view: ReaderView) -> np.ndarray:
    """Where candidates are first tried: national and provincial totals, national first."""
    pl = view.places
    cand = np.flatnonzero(pl["tingkat"].isin(["nasional", "provinsi"]).to_numpy() & (pl["dimensi"] == "total").to_numpy())
    return cand[np.argsort(pl["tingkat"].to_numpy()[cand] != "nasional", kind="stable")]


def _probes_for(known_at: np.ndarray, cand: np.ndarray, n: int = 4) -> np.ndarray:
    """The first n candidate places where this quantity is published (a revision may hide a
    national total; the provinces then stand in)."""
    return cand[known_at[cand]][:n]


def _usable(groups: Groups, probes: np.ndarray) -> np.ndarray:
    v = groups.value[probes]
    return ~np.isnan(v).any(axis=0) & (np.abs(v).sum(axis=0) > 0)


def sum_identities(groups: Groups, cand: np.ndarray, slack: float = 0.0) -> list:
    """whole = a + b (+ c) at every place."""
    found = []
    pair_cache: dict = {}
    for whole in range(groups.n):
        probes = _probes_for(~np.isnan(groups.value[:, whole]), cand)
        if len(probes) == 0 or not np.abs(groups.value[probes, whole]).sum():
            continue
        all_usable = np.flatnonzero(_usable(groups, probes))
        key = tuple(probes)
        if key not in pair_cache:  # most wholes share their probes (the national totals)
            v_all = groups.value[probes][:, all_usable]
            pairs_all = {}
            for i, j in itertools.combinations(range(len(all_usable)), 2):
                pairs_all.setdefault(tuple(np.round(v_all[:, i] + v_all[:, j])), []).append((i, j))
            pair_cache[key] = (all_usable, v_all, pairs_all)
        usable, v, pairs_all = pair_cache[key]
        target = tuple(np.round(groups.value[probes, whole]))
        me = int(np.flatnonzero(usable == whole)[0]) if (usable == whole).any() else -1

        def pairs(total):  # pairs of other quantities adding up to `total` at the probes
            return [ij for ij in pairs_all.get(total, []) if me not in ij]

        candidates = [list(ij) for ij in pairs(target)]
        for c in range(len(usable)):
            if c == me:
                continue
            for i, j in pairs(tuple(np.round(groups.value[probes, whole] - v[:, c]))):
                if c > j:
                    candidates.append([i, j, c])
        for parts in candidates:
            parts = [int(usable[x]) for x in parts]
            res = groups.value[:, whole] - groups.value[:, parts].sum(axis=1)
            if _holds(res, ~np.isnan(res), TOL, slack):
                found.append((whole, parts))
    return found


def category_places(view: ReaderView, dimensi: str, cats) -> np.ndarray:
    """[total place, category] → the place of that category in the same year and region (−1 if none)."""
    pl = view.places
    out = np.full((len(pl), len(cats)), -1)
    is_cat = (pl["dimensi"] == dimensi).to_numpy() & (pl["total"] >= 0).to_numpy()
    for j, c in enumerate(cats):
        m = is_cat & (pl["kategori"] == c).to_numpy()
        out[pl["total"].to_numpy()[m], j] = np.flatnonzero(m)
    return out


def breakdown_identities(view: ReaderView, groups: Groups, cand: np.ndarray, slack: float = 0.0) -> list:
    """whole(total) = Σ part(category) over a subset of one breakdown's categories."""
    from data.catalog import CATEGORIES

    found = []
    for dimensi, cats in CATEGORIES.items():
        if dimensi == "total":
            continue
        cp = category_places(view, dimensi, cats)
        subsets = ([list(c) for n in range(1, len(cats)) for c in itertools.combinations(range(len(cats)), n)] if len(cats) <= 5
                   else [list(range(a, b)) for a in range(len(cats)) for b in range(a + 1, len(cats) + 1) if b - a < len(cats)])
        has_cats = cand[(cp[cand] >= 0).all(axis=1)]
        for part in range(groups.n):
            # probes: totals whose every category of this part is published
            cat_vals = np.where(cp[has_cats] >= 0, groups.value[np.maximum(cp[has_cats], 0), part], np.nan)
            probes_i = np.flatnonzero(~np.isnan(cat_vals).any(axis=1))[:4]
            if len(probes_i) == 0:
                continue
            probes, nat = has_cats[probes_i], cat_vals[probes_i]
            by_value = {}
            for g in np.flatnonzero(_usable(groups, probes)):
                by_value.setdefault(tuple(np.round(groups.value[probes, g])), []).append(int(g))
            for sub in subsets:
                for whole in by_value.get(tuple(np.round(nat[:, sub].sum(axis=1))), []):
                    cells = cp[:, sub]
                    ok = (cells >= 0).all(axis=1)
                    total = np.where(ok[:, None], groups.value[np.maximum(cells, 0), part], np.nan).sum(axis=1)
                    res = groups.value[:, whole] - total
                    if _holds(res, ~np.isnan(res) & ok, TOL, slack):
                        found.append((whole, part, dimensi, [cats[i] for i in sub]))
    return found


def _mean_series(view: ReaderView) -> list[int]:
    return list(np.flatnonzero(view.series["role"].to_numpy() == "mean"))


def mean_quotients(view: ReaderView, groups: Groups, cand: np.ndarray) -> dict:
    """mean = numerator ÷ divisor, within the rounding of the published mean, everywhere."""
    found = {}
    for m in _mean_series(view):
        tol = 0.5 * 10.0 ** -int(view.series["desimal"].iloc[m]) + 1e-9
        probes = _probes_for(~np.isnan(view.value[:, m]), cand)
        if len(probes) == 0:
            continue
        usable = np.flatnonzero(_usable(groups, probes) & (groups.value[probes] > 0).all(axis=0))
        v = groups.value[probes][:, usable]
        ratio = v[:, :, None] / v[:, None, :]  # [probe, num, den]
        close = np.all(np.abs(ratio - view.value[probes, m][:, None, None]) <= tol, axis=0)
        for i, j in zip(*np.nonzero(close)):
            num, den = int(usable[i]), int(usable[j])
            if num == den:
                continue
            with np.errstate(invalid="ignore", divide="ignore"):
                res = view.value[:, m] - groups.value[:, num] / groups.value[:, den]
            if _holds(res, ~np.isnan(res) & (groups.value[:, den] > 0), tol * 1.0001):
                found[m] = (num, den)
                break
    return found


def _children(view: ReaderView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parent = view.places["parent"].to_numpy()
    child = np.flatnonzero(parent >= 0)
    return child, parent[child], np.bincount(parent[child], minlength=len(parent))


def mean_divisors(view: ReaderView, groups: Groups, exclude: dict) -> dict:
    """The count a mean divides by: value × divisor adds up from regions to their parent,
    within the mean's rounding, on every fully published family."""
    child, parent, n_children = _children(view)
    found = {}
    for m in _mean_series(view):
        if m in exclude:
            continue
        half = 0.5 * 10.0 ** -int(view.series["desimal"].iloc[m])
        best = None
        for d in range(groups.n):
            D = groups.value[:, d]
            S = view.value[:, m] * D
            k = ~np.isnan(S)
            kc = k[child]
            got = np.bincount(parent[kc], minlength=len(S))
            full = (got == n_children) & (n_children > 0) & k
            if full.sum() < MIN_PLACES or np.nansum(D[full]) == 0:
                continue
            sums = np.bincount(parent[kc], weights=S[child][kc], minlength=len(S))
            dsum = np.bincount(parent[kc], weights=D[child][kc], minlength=len(S))
            res = np.abs(S - sums)[full]
            tol = half * (D + dsum)[full] + 1e-6
            if np.all(res <= tol):
                # the divisor checked on the most families wins (a count published in few places
                # passes by having little to fail on); then the tightest fit
                score = (-int(full.sum()), float(np.max(res / np.maximum(tol, 1e-9))))
                if best is None or score < best[0]:
                    best = (score, d)
        if best is not None:
            found[m] = best[1]
    return found


def supports(view: ReaderView, groups: Groups, min_each: int = 3, same_zeros: float = 0.9, slack: float = 0.0) -> list:
    """(mean, count) pairs where the mean is a statistic over the group the count counts (P1 and
    P2 over the poor): on every place both publish, the mean is positive only where the count is
    and zero wherever it is zero; and where the mean is zero the count is zero too, up to the
    mean's rounding (at least `same_zeros` of those places). A count that merely holds the group
    (households receiving a programme the poor receive) is zero in far fewer of them."""
    found = []
    for m in _mean_series(view):
        mv = view.value[:, m]
        for g in range(groups.n):
            both = ~np.isnan(mv) & ~np.isnan(groups.value[:, g])
            zero_g = both & (groups.value[:, g] == 0)
            zero_m = both & (mv == 0)
            pos_m = both & (mv > 0)
            if zero_g.sum() < min_each or pos_m.sum() < min_each or (pos_m & zero_g).sum() > slack * pos_m.sum() \
                    or (mv[zero_g] != 0).mean() > slack:
                continue
            if (zero_m & zero_g).sum() >= (same_zeros - slack) * zero_m.sum():
                found.append((m, g))
    return found
