"""What a served page says about itself in its <head>: its title, its description and its public
address (a canonical link and Open Graph tags for a shared link's preview).

Dash Pages writes such tags too, but from the request (the Host header the asker chose); these
take the address from the configuration (web/public_url.py).
"""
from __future__ import annotations

from html import escape

from flask import request

from components.figure_image import CARD_HEIGHT, CARD_WIDTH
from components.i18n import _
from components.links import INDICATORS
from web.public_url import site_root


def _page(path: str) -> tuple[dict, dict]:
    from dash._pages import _path_to_page

    page, variables = _path_to_page(path.strip("/"))
    return page or {}, variables or {}


def page_title(path: str) -> str | None:
    """The page's own title in the served HTML (a tab reads 'Kabupaten Garut — …', not the site name
    until the scripts run). Dash Pages' title may be a function of the path's variables."""
    page, variables = _page(path)
    title = page.get("title")
    if not callable(title):
        return title
    try:  # the view's own words (an indicator's name from ?indikator=), path variables first
        return title(**{**request.args.to_dict(), **variables})
    except (TypeError, KeyError, ValueError):
        return None


def _view_value(page: dict, key: str, path: str):
    """A page's per-view value (register_page(share_image=…, share_description=…)): a function of the
    query's and the path's variables, or None when the page has none or the view cannot be drawn."""
    make = page.get(key)
    if not callable(make):
        return make
    _page_info, variables = _page(path)
    try:
        return make(**{**request.args.to_dict(), **variables})
    except (TypeError, KeyError, ValueError, LookupError):
        return None


def head_tags(path: str, query: str, title: str) -> str:
    """The canonical link and the description and Open Graph tags of the page at `path`?`query`; a view
    that has a picture (the map's PNG) names it for a shared link's preview, as a large card."""
    page, variables = _page(path)
    written = page.get("description") or ""  # marked N_ where the page registers it
    # A preview travels without the page around it: a page without words of its own for its view still
    # names the release and, for synthetic data, says so.
    description = _view_value(page, "share_description", path) or (_release_words(_(written)) if written else "")
    image = _view_value(page, "share_image", path)
    url = site_root() + path + (f"?{query}" if query else "")
    metas = [("name", "description", description), ("property", "og:title", title), ("property", "og:type", "website"),
             ("property", "og:description", description), ("property", "og:url", url),
             ("name", "twitter:card", "summary_large_image" if image else "summary")]
    if image:
        metas += [("property", "og:image", site_root() + image), ("property", "og:image:type", "image/png"),
                  ("property", "og:image:width", str(CARD_WIDTH)), ("property", "og:image:height", str(CARD_HEIGHT)),
                  ("property", "og:image:alt", title), ("name", "twitter:image", site_root() + image)]
    return (f'<link rel="canonical" href="{escape(url)}">\n'
            + "".join(f'<meta {attr}="{key}" content="{escape(value)}">\n' for attr, key, value in metas)
            + structured_data(page, variables))


def _release_words(sentence: str) -> str:
    from data import queries
    from web.share_text import with_release

    return with_release(queries.release(), sentence)


def structured_data(page: dict, variables: dict) -> str:
    """An indicator page's schema.org Dataset as JSON-LD (web/dataset_ld.py); "" elsewhere."""
    if not (page.get("path_template") or "").startswith(INDICATORS + "/"):
        return ""
    from data import queries
    from web.dataset_ld import dataset, json_ld

    rel = queries.release()
    record = dataset(rel, str(variables.get("ind_id", "")))
    return json_ld(record) if record else ""
