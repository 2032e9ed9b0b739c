"""Published BPS figures as indicators of their own ("Statistik resmi BPS").

They are copied, never blended with the synthetic register: their own ids
(prefix `bps_`), their own source, and the period they refer to.
"""
from __future__ import annotations

import pandas as pd

from data.catalog import Indicator


def official_rows(stat: pd.DataFrame, catalog: dict[str, Indicator], provinces: list[str], years: tuple[int, ...]) -> pd.DataFrame:
    rows = []
    for ind in catalog.values():
        if not ind.official:
            continue
        src = stat[(stat.indikator == ind.sumber_indikator) & stat.kode_wilayah.isin(provinces + ["00"])]
        for tahun in years:
            periode = f"{tahun}-{ind.bulan}" if ind.bulan else str(tahun)
            for _, r in src[src.periode == periode].iterrows():
                rows.append(
                    {
                        "indicator_id": ind.id,
                        "kode_wilayah": r.kode_wilayah,
                        "tingkat": "nasional" if r.kode_wilayah == "00" else "provinsi",
                        "tahun": tahun,
                        "dimensi": "total",
                        "kategori": "total",
                        "nilai": float(r.nilai),
                        "status": "ok",
                        "periode": periode,
                        "sumber": r.sumber,
                    }
                )
    return pd.DataFrame(rows)
