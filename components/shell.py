"""The page shell: navigation, the synthetic-data notice, the footer."""
from __future__ import annotations

from dash import dcc, html

from components.links import about_url, home_url, indicator_url, map_url, release_url, report_url, schedule_url, search_url, target_url, usage_url
from components.texts import t

NAV = [(home_url(), "nav_home"), (map_url(), "nav_map"), (indicator_url(), "nav_indicators"), (target_url(), "nav_targets"), (about_url(), "nav_about")]


def navbar() -> html.Header:
    return html.Header(
        className="site-header",
        children=html.Nav(
            className="container d-flex flex-wrap align-items-center gap-2",
            **{"aria-label": "Navigasi utama"},
            children=[
                dcc.Link(t("site_name"), href=home_url(), className="brand"),
                html.Ul(className="nav-links", children=[html.Li(dcc.Link(t(key), href=href, className="nav-link")) for href, key in NAV]),
                search_form(),
            ],
        ),
    )


def synthetic_notice(synthetic: bool) -> html.Div | None:
    if not synthetic:
        return None
    # The warning in bold, then why; a phone shows the warning alone (the map needs the height).
    lead, _, detail = t("synthetic_banner").partition(". ")
    return html.Div([html.Strong(lead + "."), html.Span(" " + detail, className="notice-detail") if detail else None],
                    className="synthetic-notice", role="note", id="synthetic-notice")


def release_notices(pinned: dict | None, withdrawals: list[dict]) -> html.Div | None:
    """Above every page: the release a pinned page shows (it is not the latest), and releases
    withdrawn recently, with the reason. pinned: {id, dibuat, current_id}; withdrawals: log events."""
    items = []
    if pinned:
        items.append(html.P([f"Anda melihat rilis {pinned['id']} ({pinned['dibuat'][:10]}), bukan rilis terbaru ({pinned['current_id']}). "
                             "Angka di sini tetap sama selamanya, sehingga kutipan bisa diperiksa. ",
                             html.A("Buka rilis terbaru", href=home_url()), " · ", html.A("semua rilis", href=release_url())],
                            id="rilis-dipilih"))
    for event in withdrawals:
        items.append(html.P([f"Rilis {event['rilis']} ditarik pada {event.get('waktu', '')[:10]}: {event.get('alasan', '')} ",
                             html.A("Lihat semua rilis", href=release_url())], className="withdrawn-notice"))
    return html.Div(items, className="release-notice", role="note", id="rilis-pemberitahuan") if items else None


def footer(release_id: str, licence: str, synthetic: bool) -> html.Footer:
    return html.Footer(
        className="site-footer",
        children=html.Div(
            className="container",
            children=[
                html.P([f"{t('footer_release')}: ", html.A(html.Code(release_id), href=release_url(release_id)), " (", html.A("semua rilis", href=release_url()),
                        ") · ", f"{t('footer_licence')}: {licence}", " · ", html.A("Statistik penggunaan", href=usage_url()),
                        " · ", html.A("Jadwal rilis", href=schedule_url()), " · ", html.A("Hubungi kami / laporkan masalah", href=report_url())]),
                html.P("Data sintetis, bukan statistik resmi." if synthetic else "Sumber: register DTSEN, tingkat terbuka."),
            ],
        ),
    )


def search_form() -> html.Form:
    """A plain GET form to /cari: it works before the scripts arrive, and with none at all."""
    return html.Form(
        action=search_url(), method="get", role="search", className="nav-search",
        children=[
            html.Label(t("search_label"), htmlFor="nav-cari", className="visually-hidden"),
            dcc.Input(id="nav-cari", name="q", type="search", placeholder=t("search_placeholder"), autoComplete="off", className="form-control", debounce=True),
            html.Button(t("search_button"), type="submit", className="btn btn-light"),
        ],
    )
