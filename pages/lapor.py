"""Hubungi kami / laporkan masalah data: a plain HTML form that POSTs to /lapor (web/reports.py) and
works without any script; after it, the thank-you with the report's reference number."""
from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import N_, Names, _
from components.links import REPORT, about_url, release_url, schedule_url
from web.reports import HONEYPOT, KINDS, LIMITS, NUMBER, valid_number

TEXT = Names({
    "title": N_("Hubungi kami atau laporkan masalah data"),
    "lead": N_("Menemukan angka yang janggal, kode atau batas wilayah yang keliru, atau halaman yang tidak berfungsi? Tulis di sini. "
            "Laporan disimpan di server portal ini dan dibaca pengelola; tidak ada surel yang dikirim."),
    "privacy": N_("Kami tidak menyimpan alamat IP, peramban atau cookie Anda: hanya isian formulir, waktu (menit, UTC) dan rilis yang sedang dilayani. "
               "Nama dan kontak boleh dikosongkan; isi hanya bila Anda ingin dihubungi kembali."),
    "jenis": N_("Jenis laporan"), "halaman": N_("Halaman atau alamat yang dimaksud (boleh kosong)"),
    "halaman_help": N_("Misalnya /wilayah/34.71 atau nama indikator."),
    "pesan": N_("Isi laporan"), "pesan_help": N_("Paling panjang {n} karakter. Sebutkan wilayah, indikator dan tahun bila ada."),
    "nama": N_("Nama (boleh kosong)"), "kontak": N_("Surel atau nomor telepon untuk dihubungi kembali (boleh kosong)"),
    "honeypot": N_("Jangan isi kolom ini"),
    "required": N_("(wajib)"),
    "send": N_("Kirim laporan"),
    "thanks": N_("Terima kasih, laporan Anda sudah kami terima."),
    "number": N_("Nomor laporan Anda: "),
    "number_help": N_("Sebutkan nomor ini bila menghubungi kami tentang laporan yang sama."),
    "another": N_("Kirim laporan lain"),
    "see_also": N_("Lihat juga: "),
    "about": N_("tentang data"), "calendar": N_("jadwal rilis"), "releases": N_("daftar rilis dan catatannya"),
})

dash.register_page(
    __name__,
    path=REPORT,
    title=lambda **_args: _("Hubungi kami — Portal Data DTSEN Terbuka"),
    description=N_("Laporkan masalah pada data, kode atau batas wilayah, atau halaman portal; ajukan pertanyaan."),
)


def _field(name: str, label: str, control, help_text: str | None = None, required: bool = False) -> html.Div:
    return html.Div([
        html.Label([label, " ", html.Span(TEXT["required"], className="text-muted small")] if required else label,
                   htmlFor=f"lapor-{name}", className="form-label"),
        control,
        html.Div(help_text, id=f"lapor-{name}-bantuan", className="form-text") if help_text else None,
    ], className="mb-3")


def form(halaman: str = "") -> html.Form:
    return html.Form([
        _field("jenis", TEXT["jenis"], html.Select([html.Option(label, value=key) for key, label in KINDS.items()],
                                                   id="lapor-jenis", name="jenis", required=True, className="form-select"), required=True),
        _field("halaman", TEXT["halaman"], dcc.Input(id="lapor-halaman", name="halaman", type="text", maxLength=LIMITS["halaman"],
                                                     value=halaman or None, className="form-control"),
               TEXT["halaman_help"]),
        _field("pesan", TEXT["pesan"], html.Textarea(id="lapor-pesan", name="pesan", required=True, maxLength=LIMITS["pesan"], rows=6,
                                                     className="form-control", **{"aria-describedby": "lapor-pesan-bantuan"}),
               TEXT["pesan_help"].format(n=LIMITS["pesan"]), required=True),
        _field("nama", TEXT["nama"], dcc.Input(id="lapor-nama", name="nama", type="text", maxLength=LIMITS["nama"], autoComplete="name",
                                                className="form-control")),
        _field("kontak", TEXT["kontak"], dcc.Input(id="lapor-kontak", name="kontak", type="text", maxLength=LIMITS["kontak"],
                                                    autoComplete="email", className="form-control")),
        # Hidden from people and from assistive technology (display: none); a bot filling every field fills it.
        html.Div([html.Label(TEXT["honeypot"], htmlFor="lapor-hp"),
                  dcc.Input(id="lapor-hp", name=HONEYPOT, type="text", autoComplete="off")],
                 className="lapor-hp", style={"display": "none"}),
        html.Button(TEXT["send"], type="submit", className="btn btn-primary", id="lapor-kirim"),
    ], action=REPORT, method="post", id="lapor-formulir", className="report-form")


def layout(**args):
    number = args.get(NUMBER)
    halaman = args.get("halaman") if isinstance(args.get("halaman"), str) and len(args["halaman"]) <= LIMITS["halaman"] else ""
    see_also = html.P([TEXT["see_also"], html.A(TEXT["about"], href=about_url()), " · ", html.A(TEXT["calendar"], href=schedule_url()),
                       " · ", html.A(TEXT["releases"], href=release_url())])
    if valid_number(number):
        return html.Div([
            html.H1(TEXT["thanks"]),
            html.P([TEXT["number"], html.Strong(number, id="lapor-nomor")], role="status"),
            html.P(TEXT["number_help"]),
            html.P(html.A(TEXT["another"], href=REPORT)),
            see_also,
        ], className="report-page")
    return html.Div([
        html.H1(TEXT["title"]),
        html.P(TEXT["lead"], className="lead"),
        html.P(TEXT["privacy"], id="lapor-privasi"),
        form(halaman),
        see_also,
    ], className="report-page")
