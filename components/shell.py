"""The page shell: navigation, the language switch, the synthetic-data notice, the footer."""
from __future__ import annotations

from dash import dcc, html

from components.i18n import _, language, pgettext
from components.links import about_url, home_url, indicator_url, map_url, release_url, report_url, schedule_url, search_url, target_url, usage_url
from components.texts import licence_text


def site_name() -> str:
    return _("Portal Data DTSEN Terbuka")


def nav_items() -> list[tuple[str, str]]:
    # Context "menu": a menu names sections ("Indicators"), where a form's label names one ("Indicator").
    return [(home_url(), pgettext("menu", "Beranda")), (map_url(), pgettext("menu", "Peta")), (indicator_url(), pgettext("menu", "Indikator")),
            (target_url(), pgettext("menu", "Target")), (about_url(), pgettext("menu", "Tentang data"))]


def navbar(switch_href: str = "/?lang=en") -> html.Header:
    """switch_href: this very view in the other language (web/lang.py builds it from the request;
    assets/04-lang.js keeps it current as the reader moves around once Dash runs)."""
    return html.Header(
        className="site-header",
        children=html.Nav(
            className="container d-flex flex-wrap align-items-center gap-2",
            **{"aria-label": _("Navigasi utama")},
            children=[
                dcc.Link(site_name(), href=home_url(), className="brand"),
                html.Ul(className="nav-links", children=[html.Li(dcc.Link(words, href=href, className="nav-link")) for href, words in nav_items()]),
                language_switch(switch_href),
                search_form(),
            ],
        ),
    )


def language_switch(href: str) -> html.A:
    """A plain link (a whole page load, so the shell is redrawn too; works without scripts), written in
    the language it leads to and marked so, with words for a screen reader in the page's language."""
    other = "id" if language() == "en" else "en"
    words = "Bahasa Indonesia" if other == "id" else "English"
    # A phone shows the code (ID / EN) on the site name's row; its name follows for a screen reader,
    # so the spoken name starts with what is seen (WCAG 2.5.3).
    label = [html.Span(other.upper(), className="lang-short"), html.Span(words, className="lang-long")]
    return html.A(label, href=href, lang=other, hrefLang=other, id="bahasa-tautan", className="lang-switch",
                  title=_("Baca halaman ini dalam bahasa Inggris") if other == "en" else _("Baca halaman ini dalam bahasa Indonesia"),
                  **{"data-lang-switch": other})


def synthetic_notice(synthetic: bool) -> html.Div | None:
    if not synthetic:
        return None
    # The warning in bold, then why; a phone shows the warning alone (the map needs the height).
    return html.Div([html.Strong(_("DATA SINTETIS — bukan statistik resmi.")),
                     html.Span(" " + _("Rilis demo ini dibangkitkan dari register tiruan yang dikalibrasi ke angka BPS, untuk mencoba portal."),
                               className="notice-detail")],
                    className="synthetic-notice", role="note", id="synthetic-notice")


def release_notices(pinned: dict | None, withdrawals: list[dict]) -> html.Div | None:
    """Above every page: the release a pinned page shows (it is not the latest), and releases
    withdrawn recently, with the reason. pinned: {id, dibuat, current_id}; withdrawals: log events."""
    items = []
    if pinned:
        items.append(html.P([_("Anda melihat rilis {id} ({date}), bukan rilis terbaru ({current}). ").format(
                                 id=pinned["id"], date=pinned["dibuat"][:10], current=pinned["current_id"])
                             + _("Angka di sini tetap sama selamanya, sehingga kutipan bisa diperiksa. "),
                             html.A(_("Buka rilis terbaru"), href=home_url()), " · ", html.A(_("semua rilis"), href=release_url())],
                            id="rilis-dipilih"))
    for event in withdrawals:
        items.append(html.P([_("Rilis {id} ditarik pada {date}: {reason} ").format(id=event["rilis"], date=event.get("waktu", "")[:10],
                                                                                  reason=event.get("alasan", "")),
                             html.A(_("Lihat semua rilis"), href=release_url())], className="withdrawn-notice"))
    return html.Div(items, className="release-notice", role="note", id="rilis-pemberitahuan") if items else None


def footer(release_id: str, licence: str, synthetic: bool) -> html.Footer:
    return html.Footer(
        className="site-footer",
        children=html.Div(
            className="container",
            children=[
                html.P([_("Rilis") + ": ", html.A(html.Code(release_id), href=release_url(release_id)), " (", html.A(_("semua rilis"), href=release_url()),
                        ") · ", _("Lisensi") + f": {licence_text(licence)}", " · ", html.A(_("Statistik penggunaan"), href=usage_url()),
                        " · ", html.A(_("Jadwal rilis"), href=schedule_url()), " · ", html.A(_("Hubungi kami / laporkan masalah"), href=report_url())]),
                html.P(_("Data sintetis, bukan statistik resmi.") if synthetic else _("Sumber: register DTSEN, tingkat terbuka.")),
            ],
        ),
    )


def skip_link() -> html.A:
    return html.A(_("Lewati ke konten utama"), href="#konten", className="skip-link")


def search_form() -> html.Form:
    """A plain GET form to /cari: it works before the scripts arrive, and with none at all."""
    return html.Form(
        action=search_url(), method="get", role="search", className="nav-search", **{"data-suggestions": _("Saran pencarian"), "data-lang": language()},
        children=[
            html.Label(_("Cari wilayah atau indikator"), htmlFor="nav-cari", className="visually-hidden"),
            dcc.Input(id="nav-cari", name="q", type="search", placeholder=_("Cari wilayah/indikator"), autoComplete="off", className="form-control",
                      debounce=True),
            html.Button(_("Cari"), type="submit", className="btn btn-light"),
        ],
    )
