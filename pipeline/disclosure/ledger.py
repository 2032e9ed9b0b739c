"""The ledger of what earlier releases already published (ISSUE 4 §3).

Two safe patterns can be unsafe together: a cell hidden now but published in
an earlier release of the same year is known to every reader. Each release
leaves, beside the releases (never inside the public folder), the quantity
cells it made visible; a new build treats the ones that still hold the same
value as published — not available for suppression, and known to the audit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.disclosure.model import KEY

LEDGER_DIR = ".ledger"


def ledger_path(out_dir: Path) -> Path:
    return Path(out_dir) / LEDGER_DIR


def previously_published(out_dir: Path, cells: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Mask of quantity cells an earlier release published with the same value, and the
    number published there with a different value (revisions, reported)."""
    folder = ledger_path(out_dir)
    known = np.zeros(len(cells), dtype=bool)
    if not folder.is_dir():
        return known, 0
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return known, 0
    old = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).drop_duplicates(KEY + ["value"])
    merged = cells[KEY + ["value"]].reset_index().merge(old, on=KEY, how="inner", suffixes=("", "_lama"))
    same = np.isclose(merged["value"], merged["value_lama"])
    known[merged.loc[same, "index"].to_numpy()] = True
    return known, int((~same).sum())


def record(out_dir: Path, release_id: str, cells: pd.DataFrame, visible: np.ndarray) -> Path:
    folder = ledger_path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{release_id}.parquet"
    cells.loc[visible, KEY + ["value"]].to_parquet(path, index=False)
    return path
