"""One release: its identity, inputs, protection, audits, notes and audit trail, and the way in."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import N_, _
from components.formatting import format_number
from components.links import RELEASES, bulk_url, home_url, release_url
from components.texts import licence_text
from data import queries
from data.contract import NOTES
from pages.rilis import audit_text, input_text, protection_text, state_badge
from web.bulk import DERIVED, RELEASE_FILES
from web.public_url import site_root

BULK_FILES = ["semua.csv.gz", "semua.parquet", *[d for d in DERIVED if d != "semua.csv.gz"], *[f for f in sorted(RELEASE_FILES) if f != "semua.parquet"]]

dash.register_page(
    __name__,
    path_template=f"{RELEASES}/<rilis_id>",
    title=lambda rilis_id=None, **_args: _("Rilis {id} — Portal Data DTSEN Terbuka").format(id=rilis_id),
    description=N_("Satu rilis data DTSEN terbuka: masukan, perlindungan, audit, catatan dan cara mengutipnya."),
)


def status(args, rilis_id=None, **_args) -> int:
    """410 for a withdrawn release (its page still shows why), 404 for an unknown one."""
    if rilis_id in queries.store().withdrawn():
        return 410
    return 200 if any(e["id"] == rilis_id for e in queries.store().listing()) else 404


def _dl(pairs):
    items = []
    for k, v in pairs:
        if v not in (None, ""):
            items += [html.Dt(k), html.Dd(v)]
    return html.Dl(items, className="row-dl")


def layout(rilis_id=None, **_args):
    entry = next((e for e in queries.store().listing() if e["id"] == rilis_id), None)
    if entry is None:
        return html.Div([html.H1(_("Rilis tidak ditemukan")), html.P(_("Tidak ada rilis '{id}'.").format(id=rilis_id), id="rilis-galat"),
                         html.P(dcc.Link(_("Semua rilis"), href=release_url()))], className="not-found")
    m, audit = entry["manifest"], entry["audit"]
    p = m.get("pengungkapan", {})
    gone = entry["withdrawn"]
    return html.Div([
        html.Nav(html.Ol([html.Li(html.A(_("Semua rilis"), href=release_url()), className="crumb"), html.Li(entry["id"], className="crumb")],
                         className="crumbs"), **{"aria-label": _("Jalur")}),
        html.H1([_("Rilis") + " ", html.Code(entry["id"])], id="rilis-judul"),
        html.P([state_badge(entry), " ", _("Ditarik {date}: {reason}").format(date=gone.get("waktu", "")[:10], reason=gone.get("alasan", "")) if gone else
                (_("Rilis yang berlaku saat ini.") if entry["current"] else _("Rilis arsip: tetap bisa dibuka dan dikutip."))], id="rilis-status"),
        html.P(html.A(_("Buka portal pada rilis ini"), href=home_url(rilis=entry["id"]))) if not gone else None,
        _dl([
            (_("Dibuat (UTC)"), m.get("dibuat", "")),
            (_("Data"), _("SINTETIS, bukan statistik resmi") if m.get("sintetis", True) else _("register DTSEN")),
            (_("Masukan"), input_text(m)),
            (_("Perlindungan"), protection_text(m)),
            (_("Audit"), audit_text(audit)),
            (_("Catatan metode"), p.get("catatan", "")),
            (_("Penerbit"), m.get("penerbit", "")),
            (_("Versi kode"), m.get("kode_versi", "")),
            (_("Lisensi"), licence_text(m.get("lisensi", ""))),
            (_("Berkas"), html.Ul([html.Li(_("{path} — {size} byte, sha256 {sha}…").format(path=f["path"], size=format_number(f["bytes"]), sha=f["sha256"][:16]))
                                   for f in m.get("files", [])])),
            (_("Berkas rujukan (sha256)"), html.Ul([html.Li(f"{k}: {v[:16]}…") for k, v in m.get("referensi_sha256", {}).items()])
             if m.get("referensi_sha256") else None),
        ]),
        html.H2(_("Yang berubah sejak rilis sebelumnya")),
        notes_section(entry["id"]),
        html.H2(_("Unduh seluruh rilis")) if not gone else None,
        html.Ul([html.Li(html.A(name, href=bulk_url(entry["id"], name))) for name in BULK_FILES], id="rilis-unduhan") if not gone else None,
        html.H2(_("Mengutip rilis ini")),
        html.P(_("Portal Data DTSEN Terbuka, rilis {id} ({date}). {url}").format(id=entry["id"], date=m.get("dibuat", "")[:10],
                                                                               url=site_root() + home_url(rilis=entry["id"])),
               id="rilis-kutipan"),
    ], className="release-page")




def notes_section(release_id: str):
    """The build's release notes (catatan_rilis.json), in words."""
    import json

    path = queries.store().root / release_id / NOTES
    if not path.is_file():
        return html.P(_("Rilis ini dibuat sebelum catatan rilis ada."), id="rilis-catatan")
    n = json.loads(path.read_text(encoding="utf-8"))
    if not n.get("rilis_sebelumnya"):
        return html.P(n.get("ringkasan", ""), id="rilis-catatan")
    items = [html.Li(_("Dibandingkan dengan rilis {id}.").format(id=n["rilis_sebelumnya"]))]
    if n["indikator_ditambah"] or n["indikator_dihapus"]:
        items.append(html.Li(_("Indikator ditambah: {added}; dihapus: {removed}.").format(
            added=", ".join(n["indikator_ditambah"]) or "—", removed=", ".join(n["indikator_dihapus"]) or "—")))
    items.append(html.Li(_("Sel baru {new}, sel hilang {gone}; status berubah di {changed} sel").format(
        new=format_number(n["sel_baru"]), gone=format_number(n["sel_hilang"]), changed=format_number(n["status_berubah"]))
                         + (": " + "; ".join(f"{t['dari']} → {t['ke']}: {format_number(t['sel'])}" for t in n["perubahan_status"][:6])
                            if n["perubahan_status"] else "") + "."))
    items.append(html.Li(_("Nilai terbit yang bergeser ({threshold}): {n} sel.").format(threshold=n["ambang_geser"], n=format_number(n["nilai_bergeser"]))))
    moves = [html.Li(f"{m['indicator_id']} · {m['kode_wilayah']} · {m['tahun']} · {m['dimensi']}={m['kategori']}: {m['lama']:g} → {m['baru']:g}")
             for m in n["geser_terbesar"][:15]]
    return html.Div([html.Ul(items), html.Details([html.Summary(_("Pergeseran terbesar")), html.Ul(moves)]) if moves else None], id="rilis-catatan")
