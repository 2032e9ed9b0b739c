"""Complementary suppression and the independent audit as one build stage.

The audit at the end is computed from the *published rows* (which counts a
reader can see), not from the suppression's own bookkeeping, so a bug in the
mapping from cells to rows is caught too.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from pipeline.disclosure.audit import audit
from pipeline.disclosure.complementary import CannotProtect, protect
from pipeline.disclosure.model import build_model, published_suppression, row_statuses
from pipeline.disclosure.table import exact_derivable
from pipeline.settings import DisclosureParams

METHOD = (
    "Penekanan komplementer: heuristik serakah lalu serang-dan-perbaiki (SIMPLEHEURISTIC, sdcTable) atas seluruh "
    "relasi linear rilis (hierarki wilayah, rincian kategori, pembilang + komplemen = penyebut, identitas himpunan), "
    "lalu sel S2 yang ternyata tidak diperlukan diterbitkan kembali (pemangkasan; tiap pelepasan diaudit); "
    "audit LP penyerang (HiGHS) per komponen terhubung atas semua relasi sekaligus, yang memeriksa sendiri tabel bukti "
    "(sertifikat) dari tahap perlindungan dan hanya menyelesaikan LP untuk sel yang tidak tercakup; lalu audit pembaca, "
    "yang hanya membaca baris terbit, mencari sendiri identitas di dalamnya dan menyerang dengannya."
)


class UnsafeRelease(RuntimeError):
    pass


def apply_complementary(cells: pd.DataFrame, params: DisclosureParams, log=print, known: np.ndarray | None = None,
                        ledger_out=None, extra_identities: dict | None = None, start=None) -> tuple[pd.DataFrame, dict]:
    """known(model cells) -> mask of quantity cells earlier releases published (see ledger.py).
    extra_identities: identities a reader's audit found that the model should also hold (model keys).
    start: the quantity cells a previous attempt suppressed (report["_suppressed"]), to begin from."""
    t0 = time.perf_counter()
    model = build_model(cells, params, extra_identities)
    log(f"model: {len(model.cells):,} quantity cells, {model.table.n_relations:,} relations, {int(model.primary.sum()):,} primary")
    already, revised = known(model.cells) if known is not None else (np.zeros(len(model.cells), dtype=bool), 0)
    if already.any():
        log(f"ledger: {int(already.sum()):,} cells already published by earlier releases; {revised:,} revised since")
    if (already & model.primary).any():
        raise UnsafeRelease(f"{int((already & model.primary).sum())} sel yang kini primer sudah terbit di rilis sebelumnya")
    # A complement an earlier release let readers compute stays known: it is not "derived" (hidden
    # with its numerator) any more, so the protection never counts on it as unknown.
    derived = tuple(a[~already[model.derived[0]]] for a in model.derived)
    try:
        suppressed, protected, rounds = protect(model.table, model.primary, model.lpl, model.upl, params.k,
                                                derived=derived, force=model.free_hidden & ~already, log=log, frozen=already,
                                                start=start if start is not None and len(start) == len(model.cells) else None)
    except CannotProtect as exc:
        raise UnsafeRelease(explain_stall(model, exc.cells, already)) from None
    t_protect = time.perf_counter() - t0
    out = cells.copy()
    out["status"] = row_statuses(cells, model, suppressed)

    # The independent check, from what the published rows reveal.
    t1 = time.perf_counter()
    unknown = published_suppression(out, model) & ~already
    # The verdict that lets a release out is computed from the published rows. All the
    # protection hands on is its certificates: tables the audit checks itself against every
    # relation and the published cells, and uses only to skip LPs they already answer.
    final = audit(model.table, unknown, model.primary, model.lpl, model.upl, log=log, certificates=protected.certificates)
    if not final.passed:
        bad = model.cells.iloc[final.failures[:10]]
        names = "; ".join(f"{r.key} {r.kode_wilayah} {r.tahun} {r.dimensi}={r.kategori} ∈ [{final.lo[i]:.1f}, {final.hi[i]:.1f}]"
                          for i, r in zip(final.failures[:10], bad.itertuples()))
        raise UnsafeRelease(f"audit gagal: {len(final.failures)} sel terlindung bisa dipersempit: {names}")
    report = audit_report(out, model, final, rounds, t_protect, time.perf_counter() - t1, params)
    report["_suppressed"] = suppressed
    report["buku_besar"] = {"sel_sudah_terbit_sebelumnya": int(already.sum()), "sel_direvisi": revised}
    # For the reader's audit: the tables this protection proved a reader cannot rule out (hints only).
    report["_hints"] = lambda reader_cells: translate_certificates(model, protected.certificates + final.certificates, reader_cells)
    if ledger_out is not None:
        # What a reader of this release knows: the published cells and every cell they pin
        # exactly (a complement, a lone difference); the next release must treat all of them as public.
        ledger_out(model.cells, ~unknown | exact_derivable(model.table, unknown))
    return out, report


def translate_certificates(model, certificates: list, reader_cells: pd.DataFrame) -> list:
    """The model's certificates as tables over the reader's cells: each reader cell takes the value of
    the model cell that counts the same set in the same place (a mean's sum: its sum cell). The
    reader's audit checks every one against its own relations, so a wrong translation costs an LP,
    never a verdict."""
    from pipeline.disclosure.certificates import Certificate
    from pipeline.disclosure.model_identities import model_key

    place = ["tahun", "kode_wilayah", "tingkat", "dimensi", "kategori"]
    pairs = reader_cells.assign(key=[model_key(s[0]) for s in reader_cells["series"]]).dropna(subset=["key"])
    q = model.cells[["key"] + place + ["q"]].merge(pairs[["key"] + place + ["cell"]], on=["key"] + place)
    reader_of = np.full(len(model.cells), -1)
    reader_of[q["q"].to_numpy()] = q["cell"].to_numpy()
    if not certificates:
        return []
    # All at once: one lookup over every entry, then cut back into certificates.
    lengths = np.array([len(c.cells) for c in certificates])
    r = reader_of[np.concatenate([c.cells for c in certificates])]
    values = np.concatenate([c.values for c in certificates])
    keep = r >= 0
    owner = np.repeat(np.arange(len(certificates)), lengths)
    cuts = np.cumsum(np.bincount(owner[keep], minlength=len(certificates)))[:-1]
    return [Certificate(c, v) for c, v in zip(np.split(r[keep].astype(np.int64), cuts), np.split(values[keep], cuts))]


def describe_cell(model, q: int) -> str:
    r = model.cells.iloc[q]
    return f"{r.key} {r.kode_wilayah} {r.tahun} {r.dimensi}={r.kategori}"


def explain_stall(model, exposed: list[int], already: np.ndarray) -> str:
    """Plain words for a pattern that cannot be found: which cells, which published cells pin them,
    and what the publisher can do."""
    t = model.table
    ptr, order = t.entries_by_cell()
    rel_of = t.relation_of_entry()
    pinned = set()
    for q in exposed[:5]:
        for r in np.unique(rel_of[order[ptr[q]:ptr[q + 1]]]):
            partners = t.rel_cell[t.rel_ptr[r]:t.rel_ptr[r + 1]]
            pinned |= {int(c) for c in partners if already[c]}
    text = (f"tidak ada pola penekanan yang aman: {len(exposed)} sel terlindung tetap dapat dipersempit, mis. "
            + "; ".join(describe_cell(model, q) for q in exposed[:5]))
    if pinned:
        text += (". Sel pendampingnya sudah terbit di rilis sebelumnya dengan nilai yang sama, mis. "
                 + "; ".join(describe_cell(model, q) for q in sorted(pinned)[:5])
                 + ". Pilihan penerbit: tarik rilis lama itu (hapus catatannya dari buku besar .ledger/ beserta rilisnya), "
                 "atau terbitkan revisi ini tanpa tahun yang bertumpang tindih")
    return text


def status_figures(rows: pd.DataFrame) -> dict:
    """Published, S1 and S2 rows, the share lost to S2, per level and indicator."""
    publishable = rows[rows["status"] != "NA"]
    by = lambda col: {str(k): {s: int(v) for s, v in g["status"].value_counts().items()} for k, g in publishable.groupby(col)}
    n = len(publishable)
    s2 = int((publishable["status"] == "S2").sum())
    return {
        "sel_diterbitkan": int((publishable["status"] == "ok").sum()),
        "sel_S1": int((publishable["status"] == "S1").sum()),
        "sel_S2": s2,
        "porsi_hilang_karena_S2": round(s2 / n, 4) if n else 0.0,
        "per_tingkat": by("tingkat"),
        "per_indikator": by("indicator_id"),
        "_bobot_penyebut_hilang": float(publishable["penyebut"].fillna(0)[publishable["status"] == "S2"].sum()),
    }


def audit_report(rows: pd.DataFrame, model, final, rounds: int, t_protect: float, t_audit: float, params: DisclosureParams) -> dict:
    return {
        "metode": METHOD,
        "parameter": params.as_dict(),
        **status_figures(rows),
        "kuantitas": {"sel": len(model.cells), "relasi": int(model.table.n_relations), "primer": int(model.primary.sum()),
                      "primer_hitungan": int((model.primary & ~model.cells["magnitude"].to_numpy()).sum())},
        "putaran_perbaikan": rounds,
        "audit": {
            "lolos": final.passed,
            "komponen": final.components,
            "komponen_terbesar": final.largest_component,
            "lp_diselesaikan": final.lps_solved,
            "lp_dilewati": final.lps_skipped,
            "sertifikat_diperiksa": final.certificates_checked,
            "sertifikat_sah": final.certificates_valid,
            "detik_audit": round(t_audit, 1),
            "detik_perlindungan": round(t_protect, 1),
            # (+ 0.0: a margin of exactly zero is written 0.0, not -0.0)
            "margin_terkecil": None if not np.isfinite(final.smallest_margin) else round(float(final.smallest_margin), 3) + 0.0,
        },
    }
