"""Pre-render a page's main text into the served HTML (before any script runs).

The server calls the page's own `layout()` and writes its plain-HTML parts
into the loading placeholder; React replaces it once the scripts arrive. On a
slow phone the reader sees the heading and text seconds earlier.
"""
from __future__ import annotations

import html as htmlesc
import logging
import re

import dash
from dash.development.base_component import Component

from components.i18n import _
from components.svgmap import choropleth_svg

log = logging.getLogger("dtsen.ssr")
PASS_PROPS = {"id": "id", "className": "class", "href": "href", "role": "role", "title": "title", "scope": "scope",
              "htmlFor": "for", "name": "name", "type": "type", "placeholder": "placeholder", "value": "value",
              "action": "action", "method": "method", "autoComplete": "autocomplete", "aria-label": "aria-label",
              "aria-live": "aria-live", "aria-current": "aria-current", "open": "open", "colSpan": "colspan",
              "readOnly": "readonly", "rows": "rows", "lang": "lang", "hrefLang": "hreflang",
              "required": "required", "maxLength": "maxlength", "tabIndex": "tabindex",  # these three: a plain form (/lapor)
              "src": "src", "alt": "alt", "width": "width", "height": "height"}  # a sparkline's picture and its words
VOID = {"br", "hr", "img", "input"}


def _attr(prop: str) -> str | None:
    """The HTML attribute a Dash prop becomes ('className' → 'class'; data-* and aria-* as they are)."""
    if prop in PASS_PROPS:
        return PASS_PROPS[prop]
    return prop if prop.startswith(("data-", "aria-")) else None


def style_text(style: dict) -> str:
    """A React style object as CSS ('{"fontSize": "12px"}' → 'font-size:12px')."""
    return ";".join(f"{re.sub(r'([A-Z])', lambda m: '-' + m.group(1).lower(), k)}:{v}" for k, v in style.items() if v is not None)


def to_html(node) -> str:
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(n) for n in node)
    if isinstance(node, (str, int, float)):
        return htmlesc.escape(str(node))
    if not isinstance(node, Component):
        return ""
    ns, kind = node._namespace, node._type
    children = getattr(node, "children", None)
    if ns == "dash_html_components":
        tag = kind.lower()
    elif kind == "Link":
        tag = "a"
    elif kind == "Markdown" and getattr(node, "dangerously_allow_html", False):
        return children if isinstance(children, str) else ""  # our own HTML string, already escaped
    elif kind == "Input":  # a dcc.Input: a plain text box until the scripts take it over
        props = node.to_plotly_json()["props"]
        attrs = "".join(f' {PASS_PROPS[k]}="{htmlesc.escape(str(v))}"' for k, v in props.items() if k in PASS_PROPS and v not in (None, ""))
        return f"<input{attrs}>"
    elif kind == "Select":  # a dbc.Select: the native control, showing its value, until the scripts take it over
        return _select(node)
    elif kind == "Graph":
        return _map_svg(node)  # a map paints as SVG at once; other charts arrive with the scripts
    elif kind in ("Dropdown", "Store", "Location", "RadioItems"):
        return ""  # interactive parts arrive with the scripts
    else:
        return to_html(children)
    props = node.to_plotly_json()["props"]
    attrs = "".join(f' {_attr(k)}="{htmlesc.escape(str(v))}"' for k, v in props.items() if _attr(k) and v is not None)
    if props.get("style"):  # e.g. a legend swatch's colour, which the scripts would paint too late
        attrs += f' style="{htmlesc.escape(style_text(props["style"]))}"'
    if tag in VOID:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{to_html(children)}</{tag}>"


def _id_and_class(props: dict, *classes) -> str:
    """' id="…" class="…"' for a component drawn by hand here (its id and the classes given)."""
    names = " ".join(c for c in classes if c)
    return (f' id="{htmlesc.escape(str(props["id"]))}"' if props.get("id") else "") + f' class="{htmlesc.escape(names)}"'


def _select(node) -> str:
    props = node.to_plotly_json()["props"]
    attrs = _id_and_class(props, "form-select", props.get("className"))
    if props.get("name"):  # a form field: the served page works without JavaScript
        attrs += f' name="{htmlesc.escape(str(props["name"]))}"'
    value = str(props.get("value"))
    options = "".join(f'<option value="{htmlesc.escape(str(o["value"]))}"{" selected" if str(o["value"]) == value else ""}'
                      f'{" disabled" if o.get("disabled") else ""}>'
                      f'{htmlesc.escape(str(o["label"]))}</option>' for o in props.get("options") or [])
    return f'<select{attrs}>{options}</select>'


def _map_svg(graph) -> str:
    """A choropleth dcc.Graph as the SVG picture of the same figure, in a box with the graph's
    id and classes (so the page's CSS sizes it as it will size the map); "" for other charts."""
    figure = graph.figure
    if figure is None:
        return ""
    figure = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
    urls = {t.get("geojson") for t in figure.get("data", []) if t.get("type") == "choropleth"}
    if len(urls) != 1:
        return ""
    features = _geometry(urls.pop())
    if not features:
        return ""
    props = graph.to_plotly_json()["props"]
    attrs = _id_and_class(props, props.get("className"), "svg-map-box")  # sized by the drawing, not a fixed box
    label = _("Peta; nilai tiap wilayah ada di tabel halaman ini")  # outside the f-string, where pybabel finds it
    return f"<div{attrs}>{choropleth_svg(figure, features, label)}</div>"


def _geometry(url: str) -> list[dict]:
    """The features of a release's geometry file, from its /geo/<release>/<name> URL (the release
    reads each file once, for this and for framing the map)."""
    from data import queries
    from data.access import ReleaseNotFound, ReleaseWithdrawn

    m = re.match(r"^/geo/([^/]+)/(.+)$", str(url))
    if not m:
        return []
    try:
        return queries.store().by_id(m.group(1)).geo_features(m.group(2))
    except (ReleaseNotFound, ReleaseWithdrawn):
        return []


_SITE_FORM = re.compile(r'(<form[^>]*action="/[^"]*"[^>]*>)')
# A pin leaves alone the release pages (each names its own release) and bulk files; a language
# follows every page and view download (their headers are in it), but not assets, Dash's, geometry,
# the API (no lang parameter: Accept-Language) or a release's bulk files (always in Indonesian).
_PINNABLE_HREF = re.compile(r'href="(/(?!/|assets/|_dash|_favicon|geo/|unduh/rilis/|rilis)[^"]*)"')
_LANGUAGE_HREF = re.compile(r'href="(/(?!/|assets/|_dash|_favicon|geo/|api/|unduh/rilis/)[^"]*)"')


_FILE_HREF = re.compile(r'href="(/unduh/(?!rilis/)[^"]*)"')


def keep_param(page: str, name: str, value: str, links: re.Pattern = _PINNABLE_HREF, forms: bool = True) -> str:
    """Every link `links` matches, and every form of the site, carries name=value (a link that
    already names it keeps its own): the page's links can be copied, opened in a new tab or
    followed without JavaScript and stay on the page's release or language."""
    def add(m: re.Match) -> str:
        href = htmlesc.unescape(m.group(1))
        path, hash_, frag = href.partition("#")
        if re.search(rf"[?&]{name}=", path):
            return m.group(0)
        path += ("&" if "?" in path else "?") + f"{name}={value}"
        return f'href="{htmlesc.escape(path + hash_ + frag)}"'

    def hidden(m: re.Match) -> str:
        return m.group(1) + f'<input type="hidden" name="{name}" value="{htmlesc.escape(value)}">'

    page = links.sub(add, page)
    return _SITE_FORM.sub(hidden, page) if forms else page


def pin_internal_links(page: str, release_id: str) -> str:
    """A pinned page's links keep ?rilis=<id>."""
    return keep_param(page, "rilis", release_id)


def keep_language(page: str, lang: str) -> str:
    """A page whose address chose its language: its links keep ?lang=<lang> (the language switch
    names the other one, and keeps it)."""
    return keep_param(page, "lang", lang, _LANGUAGE_HREF)


def keep_file_language(page: str, lang: str) -> str:
    """A page whose language Accept-Language chose: its file links (downloads, images) name it, since a
    file follows only its address (web/lang.py); its page links stay as they are."""
    return keep_param(page, "lang", lang, _FILE_HREF, forms=False)


def page_for(path: str):
    """The page serving `path` and its path variables (for templates like /wilayah/<kode>)."""
    for page in dash.page_registry.values():
        if page.get("path") == path:
            return page, {}
        template = page.get("path_template")
        if template:
            pattern = "^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template) + "$"
            m = re.match(pattern, path)
            if m:
                return page, m.groupdict()
    return next((p for p in dash.page_registry.values() if p["module"].endswith("not_found_404")), None), {}


def prerender_index(path: str, args, app_entry: str, header=None, footer=None) -> str:
    """header / footer: components shown around every page (skip link, navigation, the
    synthetic-data notice; the footer). The page itself is the document's <main>."""
    page, variables = page_for(path)
    if page is None:
        return app_entry
    try:
        layout = page["layout"](**{**dict(args), **variables}) if callable(page["layout"]) else page["layout"]
        inner = (f'{to_html(header)}<main id="konten" class="container py-3 prerendered" tabindex="-1">{to_html(layout)}</main>'
                 f'{to_html(footer)}')
    except Exception:  # never let pre-rendering break the page: the scripts render it anyway
        log.exception("pre-render failed for %s", path)
        return app_entry
    return re.sub(r'<div class="_dash-loading">.*?</div>', lambda _: inner, app_entry, count=1, flags=re.S)
