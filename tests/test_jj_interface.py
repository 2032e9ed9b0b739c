"""The JJ interface as other tools use it (issue 14): files written the way tau-ARGUS and
sdcTable write them (totals with −1), status z honoured, negative values, the sliding
protection level, the true intervals printed, and a plain message instead of a traceback."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from pipeline.disclosure.intervals import intervals
from pipeline.disclosure.jj import read_jj

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


def jj(cells, relations) -> str:
    """cells: (value, status, lower, upper, lpl, upl, spl); relations: [(cell, coef), …] as tau-ARGUS writes them."""
    lines = ["0", str(len(cells))]
    for i, (v, s, lo, up, lp, upl, spl) in enumerate(cells):
        lines.append(f"{i} {v} 1 {s} {lo} {up} {lp} {upl} {spl}")
    lines.append(str(len(relations)))
    for rel in relations:
        lines.append(f"0 {len(rel)} : " + " ".join(f"{c} ({k})" for c, k in rel))
    return "\n".join(lines) + "\n"


def two_by_two(status_of, total_sign=-1, values=(20, 30, 25, 35), lower=0, spl=0):
    """A 2×2 table with margins, in tau-ARGUS's convention (the total's coefficient is −1)."""
    a, b, c, d = values
    cells = [a, b, a + b, c, d, c + d, a + c, b + d, a + b + c + d]
    rows = [(v, status_of.get(i, "s"), lower, 1000, 5 if status_of.get(i) == "u" else 0,
             5 if status_of.get(i) == "u" else 0, spl if status_of.get(i) == "u" else 0) for i, v in enumerate(cells)]
    t, p = total_sign, -total_sign
    relations = [[(2, t), (0, p), (1, p)], [(5, t), (3, p), (4, p)], [(6, t), (0, p), (3, p)], [(7, t), (1, p), (4, p)],
                 [(8, t), (2, p), (5, p)], [(8, t), (6, p), (7, p)]]
    return jj(rows, relations)


def test_either_sign_convention_reads_the_same_table(tmp_path):
    (tmp_path / "argus.jj").write_text(two_by_two({0: "u"}, total_sign=-1))
    (tmp_path / "ours.jj").write_text(two_by_two({0: "u"}, total_sign=+1))
    a, b = read_jj(tmp_path / "argus.jj").table, read_jj(tmp_path / "ours.jj").table
    assert np.array_equal(a.rel_coef, b.rel_coef)
    # the total (cell 2 of the first relation) carries +1 after reading
    assert a.rel_coef[list(a.rel_cell[:3]).index(2)] == 1.0


def test_small_group_rule_works_on_argus_files(tmp_path):
    """Two primaries 3 + 4 in one row of a tau-ARGUS file: their derivable sum 7 < k must be broken up."""
    (tmp_path / "g.jj").write_text(two_by_two({0: "u", 1: "u"}, values=(3, 4, 25, 35)))
    assert run("protect-jj", str(tmp_path / "g.jj"), str(tmp_path / "out.jj")).returncode == 0
    out = read_jj(tmp_path / "out.jj")
    assert out.suppressed[2], "the row total 7 must not stay published beside its two protected parts"


def test_status_z_is_never_suppressed(tmp_path):
    (tmp_path / "z.jj").write_text(two_by_two({0: "u", 1: "z", 3: "z"}))
    r = run("protect-jj", str(tmp_path / "z.jj"), str(tmp_path / "out.jj"))
    if r.returncode == 0:
        out = read_jj(tmp_path / "out.jj")
        assert not out.suppressed[[1, 3]].any() and out.frozen[[1, 3]].all()
    else:  # with both partners of cell 0 frozen, no pattern exists: a plain line, no traceback
        assert "Traceback" not in r.stderr and "GAGAL" in r.stderr


def test_negative_values_are_checked_below_zero(tmp_path):
    """A table of changes (negative values, a-priori bounds −1000..1000): the lower end must reach v − LPL."""
    cells = [(-20, "u", -1000, 1000, 5, 5, 0), (30, "m", -1000, 1000, 0, 0, 0), (10, "s", -1000, 1000, 0, 0, 0)]
    # cell 0 + cell 1 = 10 with both suppressed: a reader has y0 = 10 − y1, y1 ∈ [−1000, 1000]
    (tmp_path / "n.jj").write_text(jj(cells, [[(2, -1), (0, 1), (1, 1)]]))
    r = run("audit-jj", str(tmp_path / "n.jj"))
    assert r.returncode == 0, r.stderr
    assert re.search(r"rentang \[-990, 1000\]", r.stderr), r.stderr  # y0 = 10 − y1, y1 ≤ 1000; y0 ≤ its own bound
    # with cell 1 bounded at 28..32 a reader pins cell 0 to [−22, −18]: short of −25
    cells[1] = (30, "m", 28, 32, 0, 0, 0)
    (tmp_path / "n2.jj").write_text(jj(cells, [[(2, -1), (0, 1), (1, 1)]]))
    r = run("audit-jj", str(tmp_path / "n2.jj"))
    assert r.returncode == 1 and "rentang [-22, -18]" in r.stderr


def test_sliding_protection_level_is_honoured(tmp_path):
    """LPL = UPL = 5 met, but SPL = 50 asks for a wider interval than the 2×2 pattern gives."""
    text = two_by_two({0: "u", 1: "m", 3: "m", 4: "m"}, spl=50)
    (tmp_path / "s.jj").write_text(text)
    prob = read_jj(tmp_path / "s.jj")
    lo, hi = intervals(prob.table, prob.suppressed, np.array([0]))
    assert (lo[0], hi[0]) == (0, 45)  # the 2×2 pattern: 0 ≤ y0 ≤ min(row 50, column 45)
    assert run("audit-jj", str(tmp_path / "s.jj")).returncode == 1
    assert run("protect-jj", str(tmp_path / "s.jj"), str(tmp_path / "out.jj")).returncode in (0, 1)
    if (tmp_path / "out.jj").exists():
        assert run("audit-jj", str(tmp_path / "out.jj")).returncode == 0


def test_single_child_hierarchy_is_protected_or_refused_in_plain_words(tmp_path):
    """Rows: Total = A, A = A1 (one child); columns c1 + c2 + c3 = total. Primary A1×c1."""
    values = {("A1", j): v for j, v in zip(range(3), (12, 40, 33))}
    names = [(r, j) for r in ("A1", "A", "T") for j in range(4)]
    val = lambda r, j: sum(values[("A1", c)] for c in range(3)) if j == 3 else values[("A1", j)]  # noqa: E731
    cells = [(val(r, j), "u" if (r, j) == ("A1", 0) else "s", 0, 1000, 5 if (r, j) == ("A1", 0) else 0,
              5 if (r, j) == ("A1", 0) else 0, 0) for r, j in names]
    idx = {n: i for i, n in enumerate(names)}
    rels = [[(idx[(r, 3)], -1)] + [(idx[(r, j)], 1) for j in range(3)] for r in ("A1", "A", "T")]
    rels += [[(idx[("A", j)], -1), (idx[("A1", j)], 1)] for j in range(4)]
    rels += [[(idx[("T", j)], -1), (idx[("A", j)], 1)] for j in range(4)]
    (tmp_path / "h.jj").write_text(jj(cells, rels))
    r = run("protect-jj", str(tmp_path / "h.jj"), str(tmp_path / "out.jj"))
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    assert run("audit-jj", str(tmp_path / "out.jj")).returncode == 0


def test_unreadable_file_is_one_plain_line(tmp_path):
    (tmp_path / "bad.jj").write_text("0\n2\n0 1 1 q 0 10 0 0 0\n")
    r = run("audit-jj", str(tmp_path / "bad.jj"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "GAGAL" in r.stderr
    # a relation naming a cell outside the table (past the end, or negative)
    head = "0\n3\n0 5 1 u 0 100 5 5 0\n1 5 1 s 0 100 0 0 0\n2 10 1 s 0 100 0 0 0\n1\n"
    for cell in ("7", "-1"):
        (tmp_path / "out.jj").write_text(head + f"0 3 : 2 (-1) 0 (1) {cell} (1)\n")
        for cmd in (("audit-jj", str(tmp_path / "out.jj")), ("protect-jj", str(tmp_path / "out.jj"), str(tmp_path / "o.jj"))):
            r = run(*cmd)
            assert r.returncode == 1 and "Traceback" not in r.stderr and "di luar tabel" in r.stderr, (cell, cmd, r.stderr)
