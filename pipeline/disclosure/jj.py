"""tau-ARGUS's JJ format, so other tools can check our tables and we can check theirs.

Layout (tau-ARGUS manual §5.5; sdcTable's writeJJFormat):
    0
    <number of cells>
    <index> <value> <cost> <status> <lower> <upper> <LPL> <UPL> <SPL>     (one line per cell)
    <number of relations>
    <rhs> <n> : <cell> (<coef>) <cell> (<coef>) …                          (one line per relation)
Status: s safe, u unsafe (primary), m secondary (suppressed), z safe and never to be
suppressed. Cell lines without the status column (as sdcTable writes them) read as safe.

Relations are read in either sign convention: tau-ARGUS and sdcTable write a total with
coefficient −1 and its parts with +1, we write the total with +1. A relation with exactly
one term of one sign and the others of the other sign is turned so that its total has +1,
since the small-group rule reads the total from that sign. The a-priori bounds are the
file's own (negative values allowed); SPL, the sliding protection level, asks that the
interval be at least that wide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.disclosure.table import LinearTable

TERM = re.compile(r"(-?\d+)\s*\(\s*(-?[\d.eE+-]+)\s*\)")


@dataclass
class JJProblem:
    table: LinearTable
    primary: np.ndarray
    suppressed: np.ndarray  # primary or secondary
    frozen: np.ndarray  # status z: never to be suppressed
    lpl: np.ndarray
    upl: np.ndarray
    spl: np.ndarray  # sliding protection level: the interval must be at least this wide

    def levels_with_spl(self) -> tuple[np.ndarray, np.ndarray]:
        """Levels that also guarantee SPL: reaching v − LPL and v + UPL spans LPL + UPL, so the
        upper level is raised where LPL + UPL falls short of SPL."""
        return self.lpl, np.maximum(self.upl, self.spl - self.lpl)


def write_jj(path: Path, table: LinearTable, primary: np.ndarray, suppressed: np.ndarray, lpl: np.ndarray, upl: np.ndarray,
             frozen: np.ndarray | None = None, spl: np.ndarray | None = None) -> None:
    lines = ["0", str(table.n_cells)]
    frozen = np.zeros(table.n_cells, dtype=bool) if frozen is None else frozen
    spl = np.zeros(table.n_cells) if spl is None else spl
    for i in range(table.n_cells):
        status = "u" if primary[i] else ("m" if suppressed[i] else ("z" if frozen[i] or table.value[i] == 0 else "s"))
        lines.append(f"{i} {_num(table.value[i])} {_num(table.cost[i])} {status} {_num(table.lower[i])} {_num(table.upper[i])} "
                     f"{_num(lpl[i])} {_num(upl[i])} {_num(spl[i])}")
    lines.append(str(table.n_relations))
    for r in range(table.n_relations):
        s, e = table.rel_ptr[r], table.rel_ptr[r + 1]
        terms = " ".join(f"{c} ({_num(k)})" for c, k in zip(table.rel_cell[s:e], table.rel_coef[s:e]))
        lines.append(f"0 {e - s} : {terms}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="ascii")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def read_jj(path: Path) -> JJProblem:
    rows = [ln.strip() for ln in Path(path).read_text(encoding="ascii").splitlines() if ln.strip()]
    if rows[0] != "0":
        raise ValueError("JJ: baris pertama harus 0")
    n = int(rows[1])
    value, cost, lower, upper, lpl, upl, spl = (np.zeros(n) for _ in range(7))
    status = np.array(["s"] * n, dtype=object)
    for line in rows[2:2 + n]:
        f = line.split()
        i = int(f[0])
        if len(f) >= 9:  # with status
            value[i], cost[i], status[i] = float(f[1]), float(f[2]), f[3]
            lower[i], upper[i], lpl[i], upl[i] = (float(x) for x in f[4:8])
            spl[i] = float(f[8])
        elif len(f) == 8:  # sdcTable: no status column
            value[i], cost[i] = float(f[1]), float(f[2])
            lower[i], upper[i], lpl[i], upl[i] = (float(x) for x in f[3:7])
        else:
            raise ValueError(f"JJ: baris sel tidak dikenal: {line!r}")
    m = int(rows[2 + n])
    ptr, cells, coefs = [0], [], []
    for line in rows[3 + n:3 + n + m]:
        head, _, body = line.partition(":")
        rhs, count = head.split()
        if float(rhs) != 0:
            raise ValueError("JJ: hanya relasi dengan ruas kanan 0 yang didukung")
        terms = TERM.findall(body)
        if len(terms) != int(count):
            raise ValueError(f"JJ: relasi menyebut {count} sel tetapi berisi {len(terms)}")
        bad = [int(c) for c, _ in terms if not 0 <= int(c) < n]
        if bad:
            raise ValueError(f"JJ: relasi menyebut sel {bad[0]}, di luar tabel (0..{n - 1}): {line!r}")
        k = np.array([float(k) for _, k in terms])
        if (k < 0).sum() == 1 and (k > 0).sum() == len(k) - 1:  # tau-ARGUS / sdcTable: total −1, parts +1
            k = -k
        cells += [int(c) for c, _ in terms]
        coefs += list(k)
        ptr.append(len(cells))
    table = LinearTable(value, lower, upper, cost, np.array(ptr, dtype=np.int64), np.array(cells, dtype=np.int64), np.array(coefs, dtype=float))
    primary = status == "u"
    unknown = set(status) - {"s", "u", "m", "z"}
    if unknown:
        raise ValueError(f"JJ: status sel tidak dikenal: {sorted(unknown)}")
    return JJProblem(table, primary, primary | (status == "m"), status == "z", lpl, upl, spl)
