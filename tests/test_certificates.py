"""Certificates: tables that prove a protected cell's interval wide enough. The audit checks
each one itself and trusts none, so a forged one changes no verdict."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.disclosure.audit import audit
from pipeline.disclosure.certificates import Certificate, Keeper, check
from pipeline.disclosure.complementary import protect
from tests.test_disclosure_engine import K, grid, hierarchy, levels, mask, one_level, random_suppression, true_range


def whole_table(t, cert) -> np.ndarray:
    y = t.value.astype(float).copy()
    y[cert.cells] = cert.values
    return y


def plainly_feasible(t, suppressed, cert) -> bool:
    """The same question as `check`, asked the slow and obvious way: the full table, every relation."""
    y = whole_table(t, cert)
    moved = np.abs(y - t.value) > 1e-6 * (1 + np.abs(t.value))
    sums = [sum(t.rel_coef[e] * y[t.rel_cell[e]] for e in range(t.rel_ptr[r], t.rel_ptr[r + 1])) for r in range(t.n_relations)]
    return (not (moved & ~suppressed).any() and bool(np.all(np.abs(sums) <= 1e-6 * (1 + np.abs(y).sum())))
            and bool(np.all(y >= t.lower - 1e-6)) and bool(np.all(y <= t.upper + 1e-6)))


@settings(max_examples=40, deadline=None)
@given(hierarchy(), st.data())
def test_property_certificates_are_tables_a_reader_cannot_rule_out(vals, data):
    """Every certificate an audit hands out is feasible (checked cell by cell, relation by
    relation), lies within each protected cell's true range, and an audit started from them
    reaches the same verdict with no more LPs."""
    t, ids, prim, lpl, upl, sup = random_suppression(vals, data)
    if prim.sum() == 0:
        return
    res = audit(t, sup, prim, lpl, upl, workers=1)
    assert check(t, sup, res.certificates).all()
    for cert in res.certificates:
        assert plainly_feasible(t, sup, cert)
    for p in np.flatnonzero(prim):
        values = [whole_table(t, c)[p] for c in res.certificates]
        if values:
            lo, hi = true_range(t, sup, p)
            assert lo - 1e-6 <= min(values) and max(values) <= hi + 1e-6
    again = audit(t, sup, prim, lpl, upl, certificates=res.certificates, workers=1)
    assert again.failures == res.failures
    assert again.lps_solved <= res.lps_solved
    assert again.certificates_valid == len(res.certificates)


def test_forged_certificates_are_refused_and_change_no_verdict():
    """The 3 is alone under a published total: exact. Tables claiming it could be 20 are all
    refused: one breaks the total, one moves a published sibling, one goes below zero."""
    t = one_level([3, 40, 50, 60])
    lpl, upl = levels(t)
    prim = mask(5, [1])
    breaks_total = Certificate(np.array([1]), np.array([20.0]))
    moves_published = Certificate(np.array([1, 2]), np.array([20.0, 23.0]))
    res = audit(t, prim, prim, lpl, upl, certificates=[breaks_total, moves_published])
    assert res.failures == [1] and res.certificates_valid == 0 and res.certificates_checked == 2
    # With the 40 hidden too, 3 + 40 is known: a table with 3 → 50 needs the 40 at −7.
    both = mask(5, [1, 2])
    below_zero = Certificate(np.array([1, 2]), np.array([50.0, -7.0]))
    fair = Certificate(np.array([1, 2]), np.array([11.0, 32.0]))
    assert list(check(t, both, [below_zero, fair])) == [False, True]


def test_one_equation_certificates_reach_the_levels():
    """A component of one equation is solved in closed form; its certificates are real tables."""
    t = one_level([3, 40, 50, 60])
    lpl, upl = levels(t)
    prim, sup = mask(5, [1]), mask(5, [1, 2])
    res = audit(t, sup, prim, lpl, upl)
    assert res.passed and res.lps_solved == 0 and len(res.certificates) == 2
    reached = [whole_table(t, c)[1] for c in res.certificates]
    assert min(reached) <= max(0, 3 - lpl[1]) and max(reached) >= 3 + upl[1]
    assert all(plainly_feasible(t, sup, c) for c in res.certificates)


def test_certificates_from_protect_spare_the_final_audit_its_lps():
    t, ids = grid([[20, 30, 40, 50], [35, 25, 45, 55], [28, 38, 26, 58], [41, 31, 1, 3]])
    prim = mask(t.n_cells, [ids[(3, 3)], ids[(3, 2)]])
    lpl, upl = levels(t)
    sup, res, _ = protect(t, prim, lpl, upl, K)
    fresh = audit(t, sup, prim, lpl, upl)
    checked = audit(t, sup, prim, lpl, upl, certificates=res.certificates)
    assert fresh.lps_solved > 0 and checked.lps_solved == 0 and checked.passed
    assert checked.certificates_valid == len(res.certificates) > 0
    # One secondary published after the fact: its certificates no longer hold, the LPs come back,
    # and the audit refuses the pattern as it does without them.
    broken = sup.copy()
    broken[np.flatnonzero(sup & ~prim)[0]] = False
    plain = audit(t, broken, prim, lpl, upl)
    helped = audit(t, broken, prim, lpl, upl, certificates=res.certificates)
    assert not plain.passed and helped.failures == plain.failures
    assert helped.certificates_valid < len(res.certificates)


def test_keeper_keeps_the_first_table_per_level_and_forgets_published_ones():
    t = one_level([3, 40, 50, 60])
    lpl, upl = levels(t)
    keeper = Keeper(mask(5, [1]), np.maximum(0, t.value - lpl), t.value + upl)
    up_a = Certificate(np.array([1, 2]), np.array([20.0, 23.0]))
    up_b = Certificate(np.array([1, 3]), np.array([20.0, 33.0]))
    short = Certificate(np.array([1, 2]), np.array([5.0, 38.0]))  # 5 < 3 + 5: reaches no level
    keeper.add([up_a, up_b, short])
    assert keeper.certificates() == [up_a]
    assert keeper.forget_published(mask(5, [1, 3])) == 1  # the 40 is published again
    assert keeper.certificates() == []
    keeper.add([up_b])
    assert keeper.certificates() == [up_b]


def test_refused_certificates_are_counted_by_reason():
    t = one_level([3, 40, 50, 60])
    both = mask(5, [1, 2])
    reasons: dict = {}
    ok = check(t, both, [Certificate(np.array([1]), np.array([20.0])),  # breaks the total
                         Certificate(np.array([1, 3]), np.array([20.0, 33.0])),  # moves the published 50
                         Certificate(np.array([1, 2]), np.array([50.0, -7.0])),  # the 40 below zero
                         Certificate(np.array([1, 2]), np.array([11.0, 32.0]))], reasons)
    assert list(ok) == [False, False, False, True]
    assert reasons == {"sel terbit bergeser": 1, "di luar batas": 1, "relasi dilanggar": 1}


def test_an_optimum_a_hair_past_its_bound_is_put_back_on_it():
    t = one_level([0, 40, 50, 60])
    cert = Certificate.from_solution(t, np.array([1, 2]), np.array([-1e-7, 40.0 + 1e-7]))
    assert cert.values.min() >= 0.0


@settings(max_examples=25, deadline=None)
@given(hierarchy(), st.data())
def test_property_a_check_in_parts_and_processes_equals_one_check(vals, data):
    """Many certificates are checked in parts, two processes at a time: the same answers and
    the same refusals counted, forged ones among them."""
    from unittest.mock import patch

    t, ids, prim, lpl, upl, sup = random_suppression(vals, data)
    if prim.sum() == 0:
        return
    found = audit(t, sup, prim, lpl, upl, workers=1).certificates
    cells = np.array(data.draw(st.lists(st.integers(0, t.n_cells - 1), min_size=1, max_size=4, unique=True)))
    forged = [Certificate(cells, t.value[cells] + data.draw(st.integers(-3, 3))) for _ in range(3)]
    certs = found + forged + found
    one_reasons, parts_reasons = {}, {}
    one = check(t, sup | prim, certs, one_reasons)
    with patch("pipeline.disclosure.certificates.PARALLEL_MIN", 2), patch("pipeline.disclosure.certificates.CHUNK", 3):
        parts = check(t, sup | prim, certs, parts_reasons)
    assert list(parts) == list(one)
    assert {k: v for k, v in parts_reasons.items() if v} == {k: v for k, v in one_reasons.items() if v}
