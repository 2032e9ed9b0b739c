"""Inject the faults a real extract brings, so validation is tested on them.

Each fault is recorded with the row's identity, so a test can check that
validation quarantines exactly the injected rows with the expected reason.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

FAULTS = ("kode_tidak_dikenal", "kode_salah_format", "konsumsi_negatif", "umur_mustahil", "id_ganda", "tanpa_rumah_tangga", "tipe_salah")


def corrupt(households: pd.DataFrame, persons: pd.DataFrame, rate: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Return damaged copies and the count of rows damaged per fault.

    `rate` is the share of rows hit, spread evenly over the fault kinds.
    Columns that receive text faults become text columns, as in a bad export.
    """
    rng = np.random.default_rng(seed + 7)
    hh = households.copy()
    ps = persons.copy()
    counts = {}

    def choose(df: pd.DataFrame, taken: set) -> np.ndarray:
        n = max(1, int(len(df) * rate / len(FAULTS)))
        free = np.setdiff1d(np.arange(len(df)), np.fromiter(taken, dtype=int, count=len(taken)))
        idx = rng.choice(free, size=min(n, len(free)), replace=False)
        taken.update(idx.tolist())
        return idx

    taken_hh: set = set()
    taken_p: set = set()
    # Households whose members must stay valid, so each fault is counted once.
    idx = choose(hh, taken_hh)
    hh["kode_kecamatan"] = hh["kode_kecamatan"].astype(object)
    hh.loc[hh.index[idx], "kode_kecamatan"] = "99.99.99"
    counts["kode_tidak_dikenal"] = len(idx)
    idx = choose(hh, taken_hh)
    hh.loc[hh.index[idx], "kode_kecamatan"] = [k.replace(".", "", 1) + "O" for k in hh.loc[hh.index[idx], "kode_kecamatan"]]
    counts["kode_salah_format"] = len(idx)
    idx = choose(hh, taken_hh)
    hh.loc[hh.index[idx], "konsumsi_per_kapita"] = -hh.loc[hh.index[idx], "konsumsi_per_kapita"].abs() - 1
    counts["konsumsi_negatif"] = len(idx)
    bad_hh = hh.iloc[sorted(taken_hh)][["tahun", "id_rt"]]

    # Persons of a quarantined household are quarantined too ("rumah tangga dikarantina"); skip them here.
    in_bad = ps.set_index(["tahun", "id_rt"]).index.isin(bad_hh.set_index(["tahun", "id_rt"]).index)
    taken_p.update(np.flatnonzero(in_bad).tolist())
    idx = choose(ps, taken_p)
    ps.loc[ps.index[idx], "umur"] = 250
    counts["umur_mustahil"] = len(idx)
    idx = choose(ps, taken_p)
    ps.loc[ps.index[idx], "id_rt"] = ps["id_rt"].max() + 1_000_000 + np.arange(len(idx))
    counts["tanpa_rumah_tangga"] = len(idx)
    idx = choose(ps, taken_p)
    ps["lama_sekolah"] = ps["lama_sekolah"].astype(str)  # the whole column arrives as text
    ps.loc[ps.index[idx], "lama_sekolah"] = "enam"
    counts["tipe_salah"] = len(idx)
    idx = choose(ps, taken_p)
    dupes = ps.iloc[idx].copy()
    ps = pd.concat([ps, dupes], ignore_index=True)  # the later copy is the duplicate
    counts["id_ganda"] = len(idx)
    counts["persons_in_bad_households"] = int(in_bad.sum())
    return hh, ps, counts
