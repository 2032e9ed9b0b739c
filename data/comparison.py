"""Regions side by side (/bandingkan): which indicator rows a comparison has, and the cell of each
region in each row. Pure: the cells of one year in, rows out; the page and its download read them."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

MIN_REGIONS, MAX_REGIONS = 2, 5  # fewer is not a comparison; more no longer reads on a phone

Cell = dict  # indicator_id, kode_wilayah, nilai, status, … as the release has it
Row = tuple[str, list[Cell | None]]  # an indicator and its cell in each region (None: not published at that level)


def compare_sections(cells: pd.DataFrame, kodes: Sequence[str], indicators: Sequence[tuple[str, str]],
                     domains: Sequence[str]) -> list[tuple[str, list[Row]]]:
    """The comparison's sections: each domain with an indicator any of the regions has a cell of,
    its indicators in catalogue order (`indicators`: (id, domain) pairs), one cell per region in
    the order of `kodes`. A cell that is not `ok` loses its value here too, so nothing downstream
    can show one (a release already writes protected values as null)."""
    by = {}
    for cell in cells.to_dict("records"):
        if cell["status"] != "ok":
            cell = {**cell, "nilai": None, **{k: None for k in ("pembilang", "penyebut") if k in cell}}
        by[(cell["indicator_id"], cell["kode_wilayah"])] = cell
    out = []
    for dom in domains:
        rows = [(i, [by.get((i, k)) for k in kodes]) for i, d in indicators if d == dom and any((i, k) in by for k in kodes)]
        if rows:
            out.append((dom, rows))
    return out
