"""The page shell: navigation, the synthetic-data notice, the footer."""
from __future__ import annotations

from dash import dcc, html

from components.texts import t

NAV = [("/", "nav_home"), ("/peta", "nav_map"), ("/tentang", "nav_about")]


def navbar() -> html.Header:
    return html.Header(
        className="site-header",
        children=html.Nav(
            className="container d-flex flex-wrap align-items-center gap-2",
            **{"aria-label": "Navigasi utama"},
            children=[
                dcc.Link(t("site_name"), href="/", className="brand"),
                html.Ul(className="nav-links", children=[html.Li(dcc.Link(t(key), href=href, className="nav-link")) for href, key in NAV]),
            ],
        ),
    )


def synthetic_notice(synthetic: bool) -> html.Div | None:
    if not synthetic:
        return None
    return html.Div(t("synthetic_banner"), className="synthetic-notice", role="note", id="synthetic-notice")


def footer(release_id: str, licence: str, synthetic: bool) -> html.Footer:
    return html.Footer(
        className="site-footer",
        children=html.Div(
            className="container",
            children=[
                html.P([f"{t('footer_release')}: ", html.Code(release_id), " · ", f"{t('footer_licence')}: {licence}"]),
                html.P("Data sintetis, bukan statistik resmi." if synthetic else "Sumber: register DTSEN, tingkat terbuka."),
            ],
        ),
    )
