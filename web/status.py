"""The HTTP status of a page URL. Dash answers 200 for every path; we answer honestly.

Each page declares its own status in its module: a function `status(args, **path_variables)`
returning 200, 400, 404 or 410 (a page without one is always 200). A path no page serves is 404.
"""
from __future__ import annotations

import sys


def page_status(path: str, args) -> int:
    from dash._pages import _path_to_page

    page, variables = _path_to_page(path.strip("/"))
    if not page:
        return 404
    module = sys.modules.get(page["module"])
    declared = getattr(module, "status", None)
    return declared(args, **(variables or {})) if callable(declared) else 200


def parsed_state_status(parser, args) -> int:
    """For a page whose query string is parsed: 200, or the parser's 400/404."""
    from data import queries
    from web.state import StateError

    try:
        parser(args, queries.release())
    except StateError as exc:
        return exc.status
    return 200
