"""Pruning inside large components by re-certifying only what a trial moves (issue 14): it gives
cells back, and an audit from scratch (no certificates) still passes on the pruned pattern."""
from __future__ import annotations

import numpy as np

from pipeline.disclosure import complementary
from pipeline.disclosure.audit import audit
from pipeline.disclosure.model import build_model
from pipeline.settings import DisclosureParams
from tests.test_reader_audit import _small_register


def test_large_components_are_pruned_and_stay_safe(tmp_path, monkeypatch):
    params = DisclosureParams()
    cells, _ = _small_register(11, tmp_path)
    m = build_model(cells, params)
    freed = []
    real = complementary.prune_large
    monkeypatch.setattr(complementary, "prune_large", lambda *a, **kw: freed.append(real(*a, **kw)) or freed[-1])
    # components over 60 cells count as large here, so both prunings run on this small register
    sup, res, _ = complementary.protect(m.table, m.primary, m.lpl, m.upl, params.k, derived=m.derived, force=m.free_hidden,
                                        prune_max_cells=60)
    assert res.passed and freed and freed[0] > 0
    scratch = audit(m.table, sup, m.primary, m.lpl, m.upl, workers=1)  # no certificates: every LP solved again
    assert scratch.passed and scratch.lps_solved > 0
