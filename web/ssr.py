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

log = logging.getLogger("dtsen.ssr")
PASS_PROPS = {"id": "id", "className": "class", "href": "href", "role": "role", "title": "title", "scope": "scope",
              "htmlFor": "for", "name": "name", "type": "type", "placeholder": "placeholder", "value": "value",
              "action": "action", "method": "method", "autoComplete": "autocomplete", "aria-label": "aria-label",
              "aria-live": "aria-live", "aria-current": "aria-current", "open": "open", "colSpan": "colspan"}
VOID = {"br", "hr", "img", "input"}


def _attr(prop: str) -> str | None:
    """The HTML attribute a Dash prop becomes ('className' → 'class'; data-* and aria-* as they are)."""
    if prop in PASS_PROPS:
        return PASS_PROPS[prop]
    return prop if prop.startswith(("data-", "aria-")) else None


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
    elif kind in ("Graph", "Dropdown", "Store", "Location", "RadioItems"):
        return ""  # interactive parts arrive with the scripts
    else:
        return to_html(children)
    attrs = "".join(f' {_attr(k)}="{htmlesc.escape(str(v))}"' for k, v in node.to_plotly_json()["props"].items() if _attr(k) and v is not None)
    if tag in VOID:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{to_html(children)}</{tag}>"


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


def prerender_index(path: str, args, app_entry: str, header=None) -> str:
    """header: components shown above every page (navigation, the synthetic-data notice)."""
    page, variables = page_for(path)
    if page is None:
        return app_entry
    try:
        layout = page["layout"](**{**dict(args), **variables}) if callable(page["layout"]) else page["layout"]
        inner = f'{to_html(header)}<div class="container py-3 prerendered">{to_html(layout)}</div>'
    except Exception:  # never let pre-rendering break the page: the scripts render it anyway
        log.exception("pre-render failed for %s", path)
        return app_entry
    return re.sub(r'<div class="_dash-loading">.*?</div>', lambda _: inner, app_entry, count=1, flags=re.S)
