"""The share button: the phone's share sheet (navigator.share) where there is one, else the view's
address copied, with words saying so (assets/50-share.js; no inline script under the CSP).

It carries no id on purpose: assets/00-dash-on-demand.js replays a click on a button with an id once
Dash has drawn its copy, and a share sheet must open once, from the reader's own tap."""
from __future__ import annotations

from dash import html

from components.i18n import _


def share_button(label: str | None = None) -> html.Span:
    label = label or _("Bagikan")
    return html.Span([
        html.Button(label, type="button", className="btn btn-outline-secondary btn-sm share-button",
                    **{"data-share": "tautan", "aria-label": _("{label}: kirim atau salin tautan tampilan ini").format(label=label),
                       "data-ok": _("Tautan disalin."), "data-fail": _("Salin alamat ini:")}),
        html.Span(role="status", className="small text-success share-status"),
    ], className="share")


def copy_button(target_id: str, label: str | None = None) -> html.Span:
    """Copies the text box `target_id` (an embed code), with words when it did (assets/50-share.js; no id, as above)."""
    return html.Span([
        html.Button(label or _("Salin"), type="button", className="btn btn-outline-secondary btn-sm copy-button",
                    **{"data-copy": target_id, "data-ok": _("Kode disalin."), "data-fail": _("Pilih kode di kotak lalu salin.")}),
        html.Span(role="status", className="small text-success share-status"),
    ], className="share")


def copy_image_button(png: str, subject: str) -> html.Span:
    """'Salin gambar': the PNG at `png` put on the clipboard (assets/55-copy-image.js, the async Clipboard
    API). Hidden by the stylesheet until the script finds a browser that can (html.can-copy-image), so
    where it cannot only the download links show. No id, as the share button."""
    return html.Span([
        html.Button(_("Salin gambar"), type="button", className="btn btn-outline-primary btn-sm copy-image",
                    **{"data-copy-image": png, "aria-label": _("Salin gambar: {subject} (PNG ke papan klip)").format(subject=subject),
                       "data-ok": _("Gambar disalin."), "data-fail": _("Gambar tidak dapat disalin; unduh PNG-nya.")}),
        html.Span(role="status", className="small text-success share-status copy-image-status", **{"aria-live": "polite"}),
    ], className="share copy-image-box")


def image_links(png: str, svg: str, id_prefix: str, subject: str) -> html.Div:
    """'Unduh gambar (PNG) · Gambar SVG · Salin gambar' for one chart; `subject` names the chart for a
    screen reader (two pages' 'PNG' links would otherwise sound alike)."""
    return html.Div([
        html.A(_("Unduh gambar (PNG)"), href=png, id=f"{id_prefix}-png", download="", className="btn btn-outline-primary btn-sm",
               **{"aria-label": _("Unduh gambar PNG: {subject}").format(subject=subject)}),
        html.A(_("Gambar SVG"), href=svg, id=f"{id_prefix}-svg", download="", className="btn btn-outline-primary btn-sm",
               **{"aria-label": _("Unduh gambar SVG: {subject}").format(subject=subject)}),
        copy_image_button(png, subject),
    ], className="download-buttons image-buttons")


def embed_box(code: str, box_id: str, summary: str) -> html.Details:
    """The iframe code for another site, in a read-only box with a copy button (closed until asked for)."""
    return html.Details([
        html.Summary(summary),
        html.Label(_("Kode HTML (iframe) untuk ditempel di halaman berita atau situs Anda"), htmlFor=f"{box_id}-kode", className="form-label small"),
        html.Textarea(code, id=f"{box_id}-kode", readOnly=True, rows=3, className="form-control form-control-sm embed-code"),
        copy_button(f"{box_id}-kode", _("Salin kode")),
    ], className="small embed-box", id=box_id)
