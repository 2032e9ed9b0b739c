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
        return _("data sintetis (preset {preset}, benih {seed}, tahun {years})").format(preset=m.get("preset"), seed=m.get("seed"), years=span)
    if m.get("jenis") == "ekstrak":  # a register extract read through `build --input`: its files, not a seed
        years = m.get("tahun", [])
        span = f"{years[0]}–{years[-1]}" if years else ""
        files = ", ".join(_("{name} {rows} baris").format(name=f.get("nama"), rows=format_number(f.get("baris"))) for f in m.get("berkas", []))
        kind = _("ekstrak sintetis") if manifest.get("sintetis", True) else _("ekstrak register DTSEN")
        return _("{kind} ({files}; tahun {years})").format(kind=kind, files=files, years=span)
    return str(m.get("jenis", "—"))


def audit_text(audit: dict) -> str:
    if not audit:
        return _("hanya aturan primer, tanpa audit penyerang")
    model, reader = audit.get("audit", {}), audit.get("audit_pembaca", {})
    verdict = _("lolos") if model.get("lolos") and reader.get("lolos", True) else _("TIDAK LOLOS")
    return _("{verdict}: S2 {s2} sel ({share} %), {attacked} sel terlindung diserang pembaca, {open} terbuka").format(
        verdict=verdict, s2=format_number(audit.get("sel_S2")), share=format_number(100 * audit.get("porsi_hilang_karena_S2", 0), 1),
        attacked=format_number(reader.get("sel_terlindung_diserang")), open=format_number(reader.get("gagal", 0)))


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
    return _("dibanding {previous}: status berubah di {changed} sel, {shifted} nilai bergeser").format(
        previous=n["rilis_sebelumnya"], changed=format_number(n["status_berubah"]), shifted=format_number(n["nilai_bergeser"]))


def layout(**_args):
    entries = queries.store().listing()
    heads = (_("Kode rilis"), _("Dibuat (UTC)"), _("Status"), _("Masukan"), _("Perlindungan"), _("Audit"), _("Catatan"), _("Alasan penarikan"))
    rows = []
    for e in entries:
        m = e["manifest"]
        link = html.A(e["id"], href=release_url(e["id"]))
        rows.append(html.Tr([
            html.Th(link, scope="row"), html.Td(m.get("dibuat", "")[:16].replace("T", " "), **{"data-label": heads[1]}),
            html.Td(state_badge(e), **{"data-label": heads[2]}), html.Td(input_text(m), **{"data-label": heads[3]}),
            html.Td(protection_text(m), **{"data-label": heads[4]}),
            html.Td(audit_text(e["audit"]), **{"data-label": heads[5]}),
            html.Td(notes_text(e["id"]), **{"data-label": heads[6]}),
            html.Td(e["withdrawn"].get("alasan", "") if e["withdrawn"] else "—", **{"data-label": heads[7]}),
        ], className="current-row" if e["current"] else None))
    return html.Div([
        html.H1(_("Semua rilis")),
        html.P(_("Setiap rilis tetap bisa dibuka dan dikutip: tambahkan ?rilis=<kode> pada alamat halaman atau unduhan mana pun, "
               "dan angkanya tidak akan berubah. Rilis yang ditarik menjawab dengan alasannya (HTTP 410)."), className="lead"),
        html.Div(html.Table([
            html.Caption(_("{n} rilis, terbaru lebih dulu").format(n=len(entries))),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])),
            html.Tbody(rows),
        ], className="table table-sm tracker-table", id="rilis-tabel"), className="table-responsive"),
        html.H2(_("Log rilis")),
        html.P(_("Catatan terbit dan tarik, hanya ditambah, tidak pernah diubah:")),
        html.Ul([html.Li(f"{e.get('waktu', '')[:16].replace('T', ' ')} — {e.get('peristiwa')} {e.get('rilis')}"
                         + (f": {e['alasan']}" if e.get("alasan") else "") + (" " + _("(oleh {who})").format(who=e["penerbit"]) if e.get("penerbit") else ""))
                 for e in reversed(queries.store().log())], id="rilis-log"),
    ], className="releases-page")
