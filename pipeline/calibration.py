"""Calibration targets for the synthetic register, from published BPS figures.

Consumption per capita is log-normal within a province, year and urban/rural
stratum. For a log-normal, Gini = 2·Φ(σ/√2) − 1 and the poverty rate is
Φ((ln z − μ)/σ); both invert in closed form, so each stratum reproduces the
published poverty rate and Gini exactly in expectation.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

_N = NormalDist()

# Which published period stands for a reference year (March SUSENAS for poverty
# and Gini, August SAKERNAS for unemployment). 2023 has no figure in the
# reference data, so it borrows the nearest period; the build report says so.
PERIOD_FOR_YEAR = {
    "persen_penduduk_miskin": {2023: "2024-03", 2024: "2024-03", 2025: "2025-03"},
    "persen_penduduk_miskin_perkotaan": {2023: "2024-03", 2024: "2024-03", 2025: "2025-03"},
    "persen_penduduk_miskin_perdesaan": {2023: "2024-03", 2024: "2024-03", 2025: "2025-03"},
    "gini_ratio": {2023: "2024-03", 2024: "2024-03", 2025: "2025-03"},
    "garis_kemiskinan": {2023: "2024-03", 2024: "2024-03", 2025: "2025-03"},
    "tpt": {2023: "2024-02", 2024: "2024-08", 2025: "2025-08"},
}

# A kabupaten-level random effect on log consumption (sd), so that regions
# within a province differ; the within-kabupaten sd shrinks to keep the total.
KABUPATEN_SD = 0.18


def sigma_from_gini(gini: float) -> float:
    return float(np.sqrt(2.0) * _N.inv_cdf((gini + 1.0) / 2.0))


def gini_from_sigma(sigma: float) -> float:
    return 2.0 * _N.cdf(sigma / np.sqrt(2.0)) - 1.0


def mu_from_poverty(poverty_line: float, poverty_rate_pct: float, sigma: float) -> float:
    p = min(max(poverty_rate_pct / 100.0, 1e-4), 0.95)
    return float(np.log(poverty_line) - sigma * _N.inv_cdf(p))


@dataclass(frozen=True)
class StratumTarget:
    """Targets for one province and year."""

    kode_provinsi: str
    tahun: int
    poverty_line: float
    p0_total: float
    p0_urban: float
    p0_rural: float
    gini: float
    tpt: float
    fallbacks: tuple[str, ...]  # indicators that fell back to the national value


def _lookup(stat: pd.DataFrame, indikator: str, kode: str, tahun: int) -> float | None:
    periode = PERIOD_FOR_YEAR[indikator][tahun]
    hit = stat[(stat.indikator == indikator) & (stat.kode_wilayah == kode) & (stat.periode == periode)]
    if hit.empty:
        # Gini for 2025-03 is missing for three Papua provinces: use the latest earlier period.
        earlier = stat[(stat.indikator == indikator) & (stat.kode_wilayah == kode) & (stat.periode < periode)]
        if earlier.empty:
            return None
        return float(earlier.sort_values("periode").iloc[-1].nilai)
    return float(hit.iloc[0].nilai)


def province_targets(stat: pd.DataFrame, provinces: list[str], years: tuple[int, ...]) -> dict[tuple[str, int], StratumTarget]:
    out = {}
    for tahun in years:
        for kode in provinces:
            fallbacks = []
            values = {}
            for ind in PERIOD_FOR_YEAR:
                v = _lookup(stat, ind, kode, tahun)
                if v is None:
                    v = _lookup(stat, ind, "00", tahun)
                    fallbacks.append(ind)
                values[ind] = v
            total = values["persen_penduduk_miskin"]
            out[(kode, tahun)] = StratumTarget(
                kode_provinsi=kode,
                tahun=tahun,
                poverty_line=values["garis_kemiskinan"],
                p0_total=total,
                p0_urban=values["persen_penduduk_miskin_perkotaan"],
                # DKI has no rural population, BPS prints "-": the total stands in.
                p0_rural=values["persen_penduduk_miskin_perdesaan"] if "persen_penduduk_miskin_perdesaan" not in fallbacks else total,
                gini=values["gini_ratio"],
                tpt=values["tpt"],
                fallbacks=tuple(f for f in fallbacks if not (f == "persen_penduduk_miskin_perdesaan" and kode == "31")),
            )
    return out


def weighted_gini(x: np.ndarray, w: np.ndarray | None = None) -> float:
    """Gini of x with integer-like weights (persons per household)."""
    if w is None:
        w = np.ones_like(x)
    order = np.argsort(x)
    return gini_of_sorted(x[order], w[order])


def gini_of_sorted(x: np.ndarray, w: np.ndarray) -> float:
    """weighted_gini of x already sorted ascending (with its weights in the same order)."""
    cw = np.cumsum(w)
    cxw = np.cumsum(x * w)
    total_w, total_xw = cw[-1], cxw[-1]
    # Area under the Lorenz curve by trapezoids.
    lorenz = np.concatenate([[0.0], cxw / total_xw])
    pop = np.concatenate([[0.0], cw / total_w])
    area = np.sum((pop[1:] - pop[:-1]) * (lorenz[1:] + lorenz[:-1]) / 2.0)
    return float(1.0 - 2.0 * area)
