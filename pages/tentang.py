"""Tentang data: DTSEN and its open tier, disclosure rules in plain words, the release."""
from __future__ import annotations

import dash
from dash import html

from components.i18n import N_, _
from components.formatting import format_number
from components.links import ABOUT
from components.texts import licence_text
from data import queries
from pages.rilis import input_text

dash.register_page(
    __name__,
    path=ABOUT,
    title=lambda **_args: _("Tentang data — Portal Data DTSEN Terbuka"),
    description=N_("Apa itu DTSEN, tingkat terbuka, aturan perlindungan kerahasiaan, dan rilis yang sedang dilayani."),
)


def manifest_table(manifest: dict) -> html.Table:
    rows = [html.Tr([html.Td(html.Code(f["path"])), html.Td(format_number(f.get("rows")) if f.get("rows") is not None else ""), html.Td(format_number(f["bytes"]), className="num"), html.Td(html.Code(f["sha256"][:16] + "…"), title=f["sha256"])]) for f in manifest.get("files", [])]
    return html.Table(
        [html.Caption(_("Berkas rilis dan sidik jari sha256")),
         html.Thead(html.Tr([html.Th(h, scope="col") for h in (_("Berkas"), _("Baris"), _("Bita"), "sha256")])),
         html.Tbody(rows)],
        className="table table-sm",
    )


def audit_section(audit: dict):
    """The attacker's audit, in plain words, with its figures."""
    if not audit:
        return html.P(_("Rilis ini belum diaudit dengan program linear penyerang: sel S1 bisa saja dihitung dari selisih angka lain. "
                      "Jangan gunakan rilis ini sebagai data terbuka yang aman."), className="text-danger", id="tentang-audit")
    a = audit["audit"]
    return html.Div(
        [
            html.H3(_("Audit penyerang"), className="h5"),
            html.P(_(
                "Sebelum rilis diterbitkan, sebuah program linear mencoba menghitung setiap sel yang dilindungi dari semua "
                "angka lain yang terbit (jumlah per wilayah, per kategori, pembilang dan penyebut). Rilis hanya terbit bila "
                "tidak ada sel dilindungi yang bisa dipersempit ke rentang yang terlalu kecil."
            )),
            html.Ul(
                [
                    html.Li(_("Sel S2 (komplementer): {n}, yaitu {share} % dari semua sel rilis yang berlaku (selain NA)").format(
                                n=format_number(audit["sel_S2"]), share=format_number(100 * audit["porsi_hilang_karena_S2"], 1))
                            + (" " + _("dan {share} % dari sel yang lolos aturan primer.").format(
                                share=format_number(100 * audit["sel_S2"] / (audit["sel_S2"] + audit["sel_diterbitkan"]), 1))
                               if audit.get("sel_diterbitkan") else ".")),
                    html.Li(_("Program linear diselesaikan: {solved}, dilewati: {skipped}, dalam {parts} komponen.").format(
                        solved=format_number(a["lp_diselesaikan"]), skipped=format_number(a["lp_dilewati"]), parts=format_number(a["komponen"]))),
                    *([html.Li(_("Tabel bukti diperiksa: {checked}, sah {valid}. Tiap tabel bukti adalah tabel lengkap yang memenuhi semua relasi "
                                 "dan angka terbit, jadi pembaca tidak bisa menyingkirkannya; audit memeriksanya sendiri dan hanya menyelesaikan "
                                 "program linear untuk sisanya.").format(checked=format_number(a["sertifikat_diperiksa"]),
                                                                         valid=format_number(a["sertifikat_sah"])))]
                      if a.get("sertifikat_diperiksa") else []),
                    html.Li(_("Margin perlindungan terkecil yang dibuktikan: {margin} (audit berhenti begitu sebuah sel terbukti bisa bergeser sejauh "
                              "batas perlindungannya, jadi 0 berarti batas itu tercapai, bukan bahwa sel itu lebih lemah); audit lolos: {passed}.").format(
                        margin=format_number(a["margin_terkecil"], 1), passed=_("ya") if a["lolos"] else _("tidak"))),
                ]
            ),
            *reader_audit_section(audit.get("audit_pembaca")),
        ],
        id="tentang-audit",
    )


def reader_audit_section(reader: dict | None) -> list:
    """The second audit: an attack from the published rows alone, with the identities it found."""
    if not reader:
        return []
    ids = reader.get("identitas_ditemukan", {})
    lp = reader.get("lp") or {}
    return [
        html.H3(_("Audit pembaca"), className="h5 mt-3"),
        html.P(_(
            "Audit kedua tidak memakai model perlindungan sama sekali. Ia hanya membaca baris yang terbit (persis seperti yang "
            "diunduh pembaca, termasuk rilis lain yang masih tersedia), mencari sendiri setiap identitas yang dipenuhi angka-angka itu, "
            "lalu menyerang dengannya: menghitung sel yang tersisa satu per satu, memeriksa apakah sekelompok sel terlindung "
            "berjumlah kurang dari k, dan memeriksa statistik yang hanya positif bila kelompoknya tidak kosong (misalnya P1 dan "
            "jumlah penduduk miskin)."
        )),
        html.Ul(
            [
                html.Li(_("Identitas ditemukan: {same} seri yang ternyata besaran yang sama, {sums} penjumlahan seri, {cats} penjumlahan "
                          "kategori, {ratios} rata-rata yang merupakan hasil bagi dua hitungan terbit, {support} statistik atas kelompok kecil.").format(
                    same=format_number(ids.get("seri_sama", 0)), sums=format_number(ids.get("jumlah_seri", 0)),
                    cats=format_number(ids.get("jumlah_kategori", 0)), ratios=format_number(ids.get("hasil_bagi", 0)),
                    support=format_number(ids.get("dukungan", 0)))),
                html.Li(_("Sel terlindung yang diserang: {attacked} (hitungan yang dilindungi, bukan baris: satu hitungan, misalnya penyebut "
                          "bersama beberapa indikator, bisa mengosongkan beberapa baris S1/S2; baris yang hanya kosong karena hitungan lain di "
                          "dalamnya tidak dihitung dua kali); sel tak terbit yang dapat dihitung tepat (semuanya bukan sel yang dilindungi): "
                          "{exact}.").format(attacked=format_number(reader.get("sel_terlindung_diserang", 0)),
                                             exact=format_number(reader.get("sel_tak_terbit_terhitung_tepat", 0)))),
                *([html.Li(_("Program linear penyerang atas semua identitas itu: {cells} sel, {solved} program diselesaikan, {valid} tabel bukti sah.").format(
                    cells=format_number(lp.get("sel_diserang", 0)), solved=format_number(lp.get("lp_diselesaikan", 0)),
                    valid=format_number(lp.get("sertifikat_sah", 0))))] if lp else []),
                html.Li(_("Sel terbuka: {open}; audit pembaca lolos: {passed}.").format(
                    open=format_number(reader.get("gagal", 0)), passed=_("ya") if reader.get("lolos") else _("tidak"))),
            ]
        ),
    ]


def scaled_counts(manifest: dict, k: int) -> str:
    """For a synthetic register drawn at a fraction of the country: each record stands for several
    households or persons, so the rule on records reads differently on the counts shown ("" otherwise)."""
    scale = (manifest.get("masukan") or {}).get("skala")
    if not isinstance(scale, (int, float)) or not 0 < scale < 1:
        return ""
    weight = round(1 / scale)
    return " " + _("Dalam rilis ini setiap rekaman register sintetis mewakili {w} rumah tangga atau orang (skala {scale}): jumlah yang tampil "
                   "adalah rekaman dikali {w}, jadi aturan itu menyembunyikan angka tampil {low}–{high}, dan setiap jumlah yang terbit "
                   "kelipatan {w}.").format(w=format_number(weight, 0), scale=format_number(scale, 4).rstrip("0").rstrip(",."),
                                           low=format_number(weight, 0), high=format_number(weight * (k - 1), 0))


def layout(**_args):
    rel = queries.release()
    m = rel.manifest
    p = m.get("pengungkapan", {})
    report = rel.report
    cells = report.get("sel", {})
    synthetic = [
        html.H2(_("Data sintetis")),
        html.P(_(
            "Rilis ini adalah rilis demo. Angkanya dihitung dari register tiruan (sintetis) yang dibangkitkan komputer dan "
            "dikalibrasi agar persentase penduduk miskin, rasio Gini dan tingkat pengangguran per provinsi mendekati angka resmi BPS. "
            "Angka ini BUKAN statistik resmi dan tidak menggambarkan rumah tangga nyata."),
            className="synthetic-explainer",
        ),
    ] if rel.synthetic else []
    return html.Div(
        [
            html.H1(_("Tentang data")),
            html.H2(_("Apa itu DTSEN?")),
            html.P(_(
                "Data Tunggal Sosial Ekonomi Nasional (DTSEN, Inpres 4/2025) adalah satu register nasional rumah tangga dan penduduk "
                "beserta kondisi sosial ekonominya: desil kesejahteraan 1–10, pengeluaran, pendidikan, jaminan kesehatan, perumahan, "
                "pekerjaan dan penerimaan bantuan sosial. Register itu sendiri tertutup."
            )),
            html.H2(_("Tingkat terbuka")),
            html.P(_(
                "Permen PPN/Bappenas 7/2025 membagi data DTSEN menjadi terbuka, terbatas dan tertutup. Portal ini hanya menerbitkan "
                "data terbuka: angka agregat per wilayah dan tahun, tidak pernah data rumah tangga atau orang."
            )),
            *synthetic,
            html.H2(_("Mengapa ada sel kosong?"), id="sel-kosong"),
            html.P(_(
                "Sel yang kosong bertanda “dilindungi” tidak berarti nol. Angka dari kelompok kecil bisa membuka keadaan rumah tangga "
                "tertentu, jadi angka itu tidak diterbitkan:"
            )),
            html.Ul(
                [
                    html.Li(_("Jumlah antara 1 dan {k1} rumah tangga atau orang disembunyikan; nol tetap diterbitkan, karena tidak menunjuk siapa pun.").format(
                        k1=p.get("k", 10) - 1) + scaled_counts(m, p.get("k", 10))),
                    html.Li(_("Persentase disembunyikan bila penyebutnya kurang dari {k}, atau bila pembilangnya atau sisanya antara 1 dan {k1}.").format(
                        k=p.get("k", 10), k1=p.get("k", 10) - 1)),
                    html.Li(_("Rasio Gini, rata-rata dan indeks kemiskinan butuh sedikitnya {k_stat} orang dan {k} rumah tangga.").format(
                        k_stat=p.get("k_stat", 30), k=p.get("k", 10))),
                    html.Li(_("Rata-rata anggota rumah tangga adalah jumlah penduduk dibagi jumlah rumah tangga, jadi mengikuti aturan "
                            "kedua hitungan itu: terbit bila keduanya terbit.")),
                    html.Li(_("Indeks kedalaman dan keparahan kemiskinan (P1, P2) ikut dilindungi di wilayah yang jumlah penduduk miskinnya "
                            "dilindungi: P1 di atas nol sudah memberi tahu bahwa ada penduduk miskin di sana.")),
                    html.Li(_("S1 = penekanan primer: sel itu sendiri, atau yang dihitung atau yang tidak dihitung oleh indikator di dalamnya (misalnya "
                            "penerima atau bukan penerima bansos), terlalu sedikit. Sel sebesar satu provinsi pun bisa S1 bila, misalnya, hampir "
                            "semua rumah tangganya menerima: sisanya yang sedikit itu yang dilindungi. Alasan rincinya tidak diterbitkan, karena "
                            "justru akan menunjukkan di mana hitungan kecil itu. S2 = penekanan komplementer (sel lain ikut disembunyikan agar sel S1 tidak bisa dihitung dari selisih).")),
                    html.Li(_("NA = tidak berlaku: tidak ada penduduk sasaran di wilayah itu (misalnya tidak ada anak usia sekolah).")),
                ]
            ),
            html.P(
                [_("Butuh angka yang dilindungi untuk perencanaan atau penelitian? Data "),
                 html.Em(_("terbatas")), _(" DTSEN dapat diminta oleh instansi pemerintah dan peneliti melalui permohonan resmi kepada "
                                           "Kementerian PPN/Bappenas selaku wali data (Permen PPN/Bappenas 7/2025), dengan perjanjian penggunaan data; "
                                           "portal ini sendiri tidak pernah menerbitkannya.")],
                id="data-terbatas",
            ),
            html.P(
                [html.Strong(_("Perlindungan yang diterapkan pada rilis ini: ")),
                 _("hanya aturan primer; penekanan komplementer dan audit penyerang belum diterapkan.")
                 if p.get("perlindungan") == "primer" else
                 _("aturan primer, penekanan komplementer dan audit penyerang.") + f" {p.get('catatan', '')}"],
                id="tentang-perlindungan",
            ),
            html.P(_("Sel dalam rilis: {total}; diterbitkan: {ok}; dilindungi S1: {s1}; dilindungi S2: {s2}; tidak berlaku: {na}.").format(
                total=format_number(cells.get("total")), ok=format_number(cells.get("ok")), s1=format_number(cells.get("S1")),
                s2=format_number(cells.get("S2", 0)), na=format_number(cells.get("NA")))) if cells else None,
            audit_section(rel.audit),
            html.H2(_("Rilis yang dilayani")),
            html.Dl(
                [
                    html.Dt(_("Kode rilis")), html.Dd(html.Code(rel.id, id="tentang-rilis")),
                    html.Dt(_("Dibuat")), html.Dd(m.get("dibuat", "")),
                    html.Dt(_("Masukan")), html.Dd(input_text(m) if m.get("masukan", {}).get("jenis") == "ekstrak"
                                                else ", ".join(f"{k}: {v}" for k, v in m.get("masukan", {}).items())),
                    html.Dt(_("Lisensi")), html.Dd(licence_text(m.get("lisensi", ""))),
                ]
            ),
            html.Div(manifest_table(m), className="table-responsive", tabIndex="0", role="region", **{"aria-label": _("Berkas rilis")}),
            html.H2(_("Statistik resmi BPS")),
            html.P(_("Indikator berlabel “(BPS)” disalin dari publikasi resmi BPS dengan sumber dan periodenya, dan tidak pernah dicampur dengan angka register.")),
        ]
    )
