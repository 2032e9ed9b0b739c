"""Complementary suppression: greedy, then attack and repair, until the audit passes.

Method: the SIMPLEHEURISTIC of sdcTable (Meindl, R package sdcTable) — make sure
no relation leaves a protected cell alone, then run the attacker's LP audit over
every linked relation at once and, for each cell it can still pin down, suppress
a further partner in each of its relations, cheapest first — and repeat. It is
correct by construction of the loop (it stops only when the independent audit
passes), though not loss-optimal like Fischetti–Salazar's MIP; the benchmark
reports its loss.

Handled explicitly (DISCLOSURE.md's traps): a lone suppressed cell in any
relation; groups of suppressed children whose derivable sum is below k
(singletons and coalitions: the audit's LP cannot see that); zeros are never
chosen as complementary cells (they protect nothing); and the attacker's upper
bound is finite (see table.py), so protection is never overstated.
"""
from __future__ import annotations

import numpy as np

from pipeline.disclosure.audit import AuditResult, audit
from pipeline.disclosure.certificates import Keeper
from pipeline.disclosure.prune import MAX_CELLS, prune
from pipeline.disclosure.prune_large import prune_large
from pipeline.disclosure.table import LinearTable, apply_derived, exact_derivable


def stand_ins(table: LinearTable, eligible: np.ndarray, derived) -> np.ndarray:
    """The cell to suppress when a cell is chosen: itself, or for a complement that is never
    published, its numerator (else its denominator). −1 where nothing can be chosen."""
    out = np.where(eligible, np.arange(table.n_cells), -1)
    if derived is not None and len(derived[0]):
        comp, num, den = derived
        via = np.where(eligible[num], num, np.where(eligible[den], den, -1))
        out[comp] = np.where(table.value[comp] > 0, via, -1)
    return out


def _pick(table: LinearTable, rel: np.ndarray, cells: np.ndarray, want: np.ndarray, suppressed: np.ndarray, stand: np.ndarray,
          need: np.ndarray | None = None) -> np.ndarray:
    """Per wanted relation, the cheapest stand-in, a partner smaller than the relation's need
    (the shift a protected cell must be able to make) priced as the several it would take."""
    cand = want[rel] & ~suppressed[cells] & (stand[cells] >= 0)
    if not cand.any():
        return np.array([], dtype=np.int64)
    c_rel, c_cell = rel[cand], stand[cells[cand]]
    price = table.cost[c_cell]
    if need is not None:
        # A partner too small for the shift counts as the several partners it would take.
        value = np.maximum(table.value[cells[cand]], 1e-9)
        price = price * np.maximum(1.0, need[c_rel] / value)
    # A partner that serves several wanted relations at once is worth choosing in all of them:
    # its price is shared (set cover's greedy ratio), so two needy relations meet on one cell.
    serves = np.bincount(c_cell, minlength=table.n_cells)[c_cell]
    price = price / serves
    order = np.lexsort((price, c_rel))
    c_rel, c_cell = c_rel[order], c_cell[order]
    first = np.ones(len(c_rel), dtype=bool)
    first[1:] = c_rel[1:] != c_rel[:-1]
    return np.unique(c_cell[first])


def fix_lone_and_small(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, k: int, eligible: np.ndarray, derived=None, upl=None) -> int:
    """Add the cheapest eligible partner to every relation that leaves a primary cell alone,
    or whose suppressed parts add up to a derivable total in 1..k−1. Repeats until none is left."""
    rel, cells, coefs = table.relation_of_entry(), table.rel_cell, table.rel_coef
    R = table.n_relations
    value = table.value
    upl = np.zeros(table.n_cells) if upl is None else upl
    total_cell = np.full(R, -1)
    total_cell[rel[coefs > 0]] = cells[coefs > 0]
    added = 0
    # Groups are judged without the parts a reader derives exactly (they are as good as published).
    # Derivations are followed once, on the pattern as it comes in: partners added below only make
    # fewer cells derivable, so this judges groups as smaller than they may end up (never larger).
    apply_derived(suppressed, derived)
    derivable = exact_derivable(table, suppressed)
    while True:
        apply_derived(suppressed, derived)
        stand = stand_ins(table, eligible & ~suppressed, derived)
        sup_e = suppressed[cells]
        n_sup = np.bincount(rel[sup_e], minlength=R)
        unknown = suppressed & ~derivable
        unk_e = unknown[cells]
        n_unk = np.bincount(rel[unk_e], minlength=R)
        part = unk_e & (coefs < 0)
        part_sum = np.bincount(rel[part], weights=value[cells[part]], minlength=R)
        total_known = (total_cell >= 0) & ~unknown[np.maximum(total_cell, 0)]
        small_group = total_known & (n_unk >= 2) & (part_sum > 0) & (part_sum < k)
        # A lone suppressed cell is exact: a primary is then disclosed, and a secondary is as
        # good as published, so it protects nothing. (Lone cells that no eligible partner can
        # join, e.g. zero complements, are left to the audit.)
        need = (n_sup == 1) | small_group
        shift = np.zeros(R)
        np.maximum.at(shift, rel[sup_e], upl[cells[sup_e]])
        shift = np.maximum(shift, np.where(small_group, k - part_sum, 0))
        chosen = _pick(table, rel, cells, need, suppressed, stand, shift)
        if len(chosen) == 0:  # nothing (more) this rule can do; the audit judges the rest
            return added
        suppressed[chosen] = True
        added += len(chosen)


def repair(table: LinearTable, suppressed: np.ndarray, failures: list[int], eligible: np.ndarray, derived=None, upl=None,
           escalate: np.ndarray | None = None, hops: int = 1) -> int:
    """For each cell the audit could narrow, suppress the cheapest further partner in every
    relation around it; for a cell that failed before (`escalate`), also around the suppressed
    cells up to `hops` relations away, since the pin often comes a step or two away."""
    rel, cells = table.relation_of_entry(), table.rel_cell
    apply_derived(suppressed, derived)
    stand = stand_ins(table, eligible & ~suppressed, derived)
    fail = np.zeros(table.n_cells, dtype=bool)
    fail[failures] = True
    near_rels = np.zeros(table.n_relations, dtype=bool)
    near_rels[rel[fail[cells]]] = True
    want = near_rels.copy()
    if escalate is not None and (fail & escalate).any():
        again = np.zeros(table.n_relations, dtype=bool)
        again[rel[(fail & escalate)[cells]]] = True
        for _ in range(hops):
            neighbours = np.zeros(table.n_cells, dtype=bool)
            neighbours[cells[again[rel] & suppressed[cells]]] = True
            again[rel[neighbours[cells]]] = True
        want |= again
    shift = np.zeros(table.n_relations)
    if upl is not None:
        np.maximum.at(shift, rel[fail[cells]], upl[cells[fail[cells]]])
    chosen = _pick(table, rel, cells, want, suppressed, stand, shift)
    suppressed[chosen] = True
    return len(chosen)


STALL_ROUNDS = 3
PRUNE_LARGE_TRIALS = 1200  # pruning inside components over MAX_CELLS stops after this many trials (the rest stays suppressed)


class CannotProtect(RuntimeError):
    """No pattern found: `cells` are the protected cells still exposed (the caller names them)."""

    def __init__(self, message: str, cells):
        super().__init__(message)
        self.cells = list(cells)
REPEAT_SHARE = 0.9  # quick failures as many as, and this much the same as, last round's: the exact audit judges them


def protect(table: LinearTable, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray, k: int,
            derived=None, force=None, max_rounds: int = 60, log=lambda m: None, frozen=None,
            cache: dict | None = None, prune_max_cells: int = MAX_CELLS, start=None) -> tuple[np.ndarray, AuditResult, int]:
    """Returns (suppressed mask, the final audit, rounds).

    start: a pattern to begin from (a previous run's, before the model learned more relations):
    suppressed at the outset, but like any secondary free to be published again by pruning.

    derived: (comp, num, den) index arrays of complements that are never published
    themselves; `force`: cells that must be suppressed with the primaries (cell families).
    cache: audit results per component pattern, kept across the loop's audits.
    prune_max_cells: once the audit passes, secondaries in components up to this size that
    the pattern does not need are published again (prune.py); 0 leaves the pattern as it is.

    Rounds use the audit's quick verdict. When it finds nothing to repair but has deferred
    cells it cannot judge piece by piece, the exact audit decides: the loop ends only on an
    exact pass, and repairs what the exact audit names otherwise.

    The returned audit carries, in `certificates`, one table per protected cell and level that
    reaches it (certificates.py): a later audit of the published release checks them instead
    of solving those LPs again.
    """
    suppressed = primary.astype(bool).copy()
    if force is not None:
        suppressed |= force
    eligible = (table.value > 0) & ~suppressed
    if start is not None:
        suppressed |= start & (table.value > 0) & (frozen is None or ~frozen)
    if frozen is not None:  # already published elsewhere: cannot be taken back
        eligible &= ~frozen
    if derived is not None and len(derived[0]):
        eligible[derived[0]] = False  # a complement is never "published" to protect another cell
    rounds = 0
    failed_before = np.zeros(table.n_cells, dtype=bool)
    cache = {} if cache is None else cache  # a component's relations are fixed, so its cell set identifies its LP
    last_quick, last_failures, stalled = None, None, 0
    last_unsettled = None  # failures of the last exact audit that skipped single-cell LPs in huge components
    cleared = np.zeros(table.n_cells, dtype=bool)  # quick said exposed, an exact audit said safe
    # Every audit's optima are feasible tables, and stay feasible as suppression grows: the
    # extremes seen so far spare later audits the LPs whose levels they already reach.
    seen = (table.value.astype(float), table.value.astype(float))

    keeper = Keeper(primary, np.maximum(table.lower, table.value - lpl), table.value + upl)

    def remember(res: AuditResult) -> None:
        np.fmin(seen[0], res.lo, out=seen[0])
        np.fmax(seen[1], res.hi, out=seen[1])
        keeper.add(res.certificates)

    while True:
        rounds += 1
        added = fix_lone_and_small(table, suppressed, primary, k, eligible, derived, upl)
        apply_derived(suppressed, derived)
        result = audit(table, suppressed, primary, lpl, upl, cache, log=log, exact=False, witness=seen)
        remember(result)
        # Suppressing more only widens what a reader can derive, so a cell an exact audit found
        # safe stays safe: the quick verdict's false alarms on it are not repaired again.
        result.failures = [f for f in result.failures if not cleared[f]]
        log(f"round {rounds}: +{added} by relation rules, {int(suppressed.sum())} suppressed, {len(result.failures)} cells still exposed"
            + (f", {len(result.deferred)} left to the exact audit" if result.deferred else ""))
        # The quick verdict is conservative: when it has nothing left to repair, or when it mostly
        # repeats itself without shrinking (its pieces may pin a cell that is in fact safe, and
        # repairing around it only adds cells), the exact audit decides.
        repeats = bool(result.failures) and last_quick is not None and len(result.failures) >= REPEAT_SHARE * len(last_quick) and \
            len(set(result.failures) & set(last_quick)) >= REPEAT_SHARE * len(result.failures)
        if (result.passed and (result.deferred or cleared.any())) or repeats:
            quick_failures = result.failures
            # Single-cell LPs over a huge component take seconds each; the first exact audit
            # repairs what the joint pushes leave short instead. Only if the same cells are
            # short again does an exact audit settle each one with its own LP.
            settle = bool(last_unsettled and set(last_unsettled) & set(result.failures + result.deferred))
            result = audit(table, suppressed, primary, lpl, upl, cache, log=log, exact=True, witness=seen, settle=settle)
            remember(result)
            cleared[quick_failures] = True
            cleared[result.failures] = False
            last_unsettled = None if settle else result.failures
            log(f"round {rounds}: exact audit{'' if settle else ' (unsettled)'}, {len(result.failures)} cells exposed")
        last_quick = result.failures
        if result.passed:
            if prune_max_cells:
                prune(table, suppressed, primary, lpl, upl, k, keep=force, derived=derived, max_cells=prune_max_cells, log=log,
                      certificates=keeper.certificates())
                keeper.forget_published(suppressed)
                prune_large(table, suppressed, primary, lpl, upl, k, keeper, keep=force, derived=derived,
                            min_cells=prune_max_cells, budget_trials=PRUNE_LARGE_TRIALS, log=log)
            # The closing audit starts from the kept certificates only (checked, not trusted; the
            # intervals seen so far may come from tables pruning made infeasible). What they do
            # not cover is solved, so the certificates handed on cover every protected cell an
            # LP decides.
            result = audit(table, suppressed, primary, lpl, upl, log=log, exact=True, certificates=keeper.certificates())
            if not result.passed:  # cannot happen: each removal was audited; refuse rather than trust it
                raise RuntimeError(f"pemangkasan membuka {len(result.failures)} sel")
            keeper.add(result.certificates)
            result.certificates = keeper.certificates()
            log(f"certificates: {len(keeper.kept):,} tables, {keeper.entries:,} entries")
            return suppressed, result, rounds
        stalled = stalled + 1 if last_failures == result.failures else 0
        last_failures = result.failures
        if stalled >= STALL_ROUNDS:  # repairs keep adding cells but the same cells stay exposed
            raise CannotProtect(f"penekanan komplementer macet: {len(result.failures)} sel sama tetap terbuka selama "
                                f"{STALL_ROUNDS + 1} putaran (mis. sel {result.failures[:5]})", result.failures)
        if rounds >= max_rounds:
            raise RuntimeError(f"penekanan komplementer tidak konvergen setelah {rounds} putaran; {len(result.failures)} sel masih terbuka")
        added = repair(table, suppressed, result.failures, eligible, derived, upl, escalate=failed_before)
        failed_before[result.failures] = True
        hops = 1
        while added == 0 and hops <= 4:  # nothing left around the cells themselves: look further out
            added = repair(table, suppressed, result.failures, eligible, derived, upl, escalate=failed_before, hops=hops)
            hops += 1
        if added == 0:
            raise CannotProtect(f"{len(result.failures)} sel tidak bisa dilindungi: tidak ada sel pendamping yang layak", result.failures)
