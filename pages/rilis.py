"""Rilis: every release the portal holds, newest first, each with what went into it, how it was
protected, what its two audits found, and whether it is current, archived or withdrawn."""
from __future__ import annotations

import dash
from dash import html

from components.i18n import N_, _
from components.formatting import format_number
from components.links import RELEASES, release_url
from data import queries

dash.register_page(
    __name__,
    path=RELEASES,
    title=lambda **_args: _("Semua rilis — Portal Data DTSEN Terbuka"),
    description=N_("Daftar semua rilis data DTSEN terbuka: tanggal, masukan, perlindungan, hasil audit, catatan, dan rilis yang ditarik."),
)


def state_badge(entry: dict) -> html.Span:
    if entry["withdrawn"]:
        return html.Span(_("ditarik"), className="status-badge status-perlu_perhatian")
    if entry["current"]:
        return html.Span(_("berlaku"), className="status-badge status-tercapai")
    return html.Span(_("arsip"), className="status-badge status-tidak_diketahui")


def input_text(manifest: dict) -> str:
    m = manifest.get("masukan", {})
    if m.get("jenis") == "generator_sintetis":
        years = m.get("tahun", [])
        span = f"{years[0]}–{years[-1]}" if years else ""
        return f"data sintetis (preset {m.get('preset')}, benih {m.get('seed')}, tahun {span})"
    if m.get("jenis") == "ekstrak":  # a register extract read through `build --input`: its files, not a seed
        years = m.get("tahun", [])
        span = f"{years[0]}–{years[-1]}" if years else ""
        files = ", ".join(f"{f.get('nama')} {format_number(f.get('baris'))} baris" for f in m.get("berkas", []))
        kind = "ekstrak sintetis" if manifest.get("sintetis", True) else "ekstrak register DTSEN"
        return f"{kind} ({files}; tahun {span})"
    return str(m.get("jenis", "—"))


def audit_text(audit: dict) -> str:
    if not audit:
        return "hanya aturan primer, tanpa audit penyerang"
    model, reader = audit.get("audit", {}), audit.get("audit_pembaca", {})
    verdict = "lolos" if model.get("lolos") and reader.get("lolos", True) else "TIDAK LOLOS"
    return (f"{verdict}: S2 {format_number(audit.get('sel_S2'))} sel ({format_number(100 * audit.get('porsi_hilang_karena_S2', 0), 1)} %), "
            f"{format_number(reader.get('sel_terlindung_diserang'))} sel terlindung diserang pembaca, {format_number(reader.get('gagal', 0))} terbuka")


def protection_text(manifest: dict) -> str:
    p = manifest.get("pengungkapan", {})
    return f"{p.get('perlindungan', '—')}; k = {p.get('k')}, k_stat = {p.get('k_stat')}, p = {p.get('p')}" if p else "—"


def notes_text(release_id: str) -> str:
    """The release notes in one line (the release's page has them in full)."""
    import json

    from data.contract import NOTES

    path = queries.store().root / release_id / NOTES
    if not path.is_file():
        return "—"
    n = json.loads(path.read_text(encoding="utf-8"))
    if not n.get("rilis_sebelumnya"):
        return n.get("ringkasan", "—")
    return (f"dibanding {n['rilis_sebelumnya']}: status berubah di {n['status_berubah']:,} sel, "
            f"{n['nilai_bergeser']:,} nilai bergeser".replace(",", "."))


def layout(**_args):
    entries = queries.store().listing()
    rows = []
    for e in entries:
        m = e["manifest"]
        link = html.A(e["id"], href=release_url(e["id"]))
        rows.append(html.Tr([
            html.Th(link, scope="row"), html.Td(m.get("dibuat", "")[:16].replace("T", " "), **{"data-label": "Dibuat (UTC)"}),
            html.Td(state_badge(e), **{"data-label": "Status"}), html.Td(input_text(m), **{"data-label": "Masukan"}),
            html.Td(protection_text(m), **{"data-label": "Perlindungan"}),
            html.Td(audit_text(e["audit"]), **{"data-label": "Audit"}),
            html.Td(notes_text(e["id"]), **{"data-label": "Catatan"}),
            html.Td(e["withdrawn"].get("alasan", "") if e["withdrawn"] else "—", **{"data-label": "Alasan penarikan"}),
        ], className="current-row" if e["current"] else None))
    return html.Div([
        html.H1(_("Semua rilis")),
        html.P(_("Setiap rilis tetap bisa dibuka dan dikutip: tambahkan ?rilis=<kode> pada alamat halaman atau unduhan mana pun, "
               "dan angkanya tidak akan berubah. Rilis yang ditarik menjawab dengan alasannya (HTTP 410)."), className="lead"),
        html.Div(html.Table([
            html.Caption(f"{len(entries)} rilis, terbaru lebih dulu"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Kode rilis", "Dibuat (UTC)", "Status", "Masukan", "Perlindungan", "Audit", "Catatan", "Alasan penarikan")])),
            html.Tbody(rows),
        ], className="table table-sm tracker-table", id="rilis-tabel"), className="table-responsive"),
        html.H2(_("Log rilis")),
        html.P(_("Catatan terbit dan tarik, hanya ditambah, tidak pernah diubah:")),
        html.Ul([html.Li(f"{e.get('waktu', '')[:16].replace('T', ' ')} — {e.get('peristiwa')} {e.get('rilis')}"
                         + (f": {e['alasan']}" if e.get("alasan") else "") + (f" (oleh {e['penerbit']})" if e.get("penerbit") else ""))
                 for e in reversed(queries.store().log())], id="rilis-log"),
    ], className="releases-page")
