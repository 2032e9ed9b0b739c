"""What changed since the previous release: indicators added or removed, cells whose status
changed, and values that moved beyond a threshold. Pure: two tables in, one dict out."""
from __future__ import annotations

import pandas as pd

KEY = ["indicator_id", "kode_wilayah", "tingkat", "tahun", "dimensi", "kategori"]
MOVE_RELATIVE = 0.05  # a published value that moved by more than 5 % of the earlier one …
MOVE_POINTS = 1.0  # … or, for a percentage, by more than one percentage point
LISTED = 50  # the largest moves named in the notes (all are counted)


def release_notes(new: pd.DataFrame, new_catalog: dict, previous: pd.DataFrame | None, previous_catalog: dict | None,
                  previous_id: str | None) -> dict:
    if previous is None:
        return {"rilis_sebelumnya": None, "ringkasan": "Rilis pertama di folder ini: tidak ada pembanding."}
    added = sorted(set(new_catalog) - set(previous_catalog or {}))
    removed = sorted(set(previous_catalog or {}) - set(new_catalog))
    both = new[KEY + ["status", "nilai"]].merge(previous[KEY + ["status", "nilai"]], on=KEY, how="outer", suffixes=("", "_lama"), indicator=True)
    common = both[both["_merge"] == "both"]
    changed = common[common["status"] != common["status_lama"]]
    transitions = changed.groupby(["status_lama", "status"]).size().sort_values(ascending=False)
    shown = common[(common["status"] == "ok") & (common["status_lama"] == "ok")].copy()
    satuan = shown["indicator_id"].map(lambda i: getattr(new_catalog.get(i), "satuan", ""))
    delta = (shown["nilai"] - shown["nilai_lama"]).abs()
    moved = shown[((satuan == "persen") & (delta > MOVE_POINTS)) |
                  ((satuan != "persen") & (delta > MOVE_RELATIVE * shown["nilai_lama"].abs().clip(lower=1e-9)))].copy()
    moved["selisih"] = moved["nilai"] - moved["nilai_lama"]
    moved = moved.reindex(moved["selisih"].abs().sort_values(ascending=False).index)
    return {
        "rilis_sebelumnya": previous_id,
        "indikator_ditambah": added,
        "indikator_dihapus": removed,
        "sel_baru": int((both["_merge"] == "left_only").sum()),
        "sel_hilang": int((both["_merge"] == "right_only").sum()),
        "status_berubah": int(len(changed)),
        "perubahan_status": [{"dari": a, "ke": b, "sel": int(n)} for (a, b), n in transitions.items()],
        "nilai_bergeser": int(len(moved)),
        "ambang_geser": f"lebih dari {MOVE_POINTS:g} poin persen untuk persentase, lebih dari {MOVE_RELATIVE:.0%} untuk yang lain",
        "geser_terbesar": [{**{k: (int(r[k]) if k == "tahun" else r[k]) for k in KEY}, "lama": float(r["nilai_lama"]), "baru": float(r["nilai"])}
                           for r in moved.head(LISTED).to_dict("records")],
    }
