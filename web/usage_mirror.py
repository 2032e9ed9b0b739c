"""Page views nginx answers from its page cache (deploy/nginx.conf) never reach the app, so nginx
sends a copy of every request for a page (its `mirror` directive) to MIRROR + the page's address,
marked `X-Penggunaan-Cermin: 1`, and marks the original it passes on `X-Penggunaan-Dicermin: 1`.

The copy is counted here without building the page: it counts when the page would answer 200,
as the page's own check says (web/status.py; the pin is resolved from the copy's ?rilis= or X-Rilis
as for the original). The marked original is then not counted again (web/usage.py), so each page
view is counted once whether nginx kept the page or not. Both marks count only with
DTSEN_USAGE_MIRROR=1, which scripts/serve.sh gives gunicorn behind nginx (nginx strips both marks
from every client's request); without nginx the app counts every page itself, as before.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from flask import Flask, Response, abort, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

MIRROR = "/_penggunaan-cermin"
COPY, ORIGINAL = "X-Penggunaan-Cermin", "X-Penggunaan-Dicermin"
ENV = "DTSEN_USAGE_MIRROR"
DASH_PAGES = ("/", "/<path:path>")  # Dash's page routes; every other HTML route lives under /api/ or is below


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def mirrored(headers: Mapping[str, str]) -> bool:
    """The request is an original whose copy nginx sent to MIRROR: its view is counted there."""
    return enabled() and headers.get(ORIGINAL) == "1"


def answers_200(server: Flask, path: str, args) -> bool:
    """Whether GET `path` with `args` answers a page with 200, without building it."""
    from web.state import state_from_release
    from web.status import page_status, parsed_state_status

    try:
        rule, _ = server.url_map.bind("portal").match(path, method="GET", return_rule=True)
    except (HTTPException, RequestRedirect):
        return False
    if rule.rule in DASH_PAGES:
        return page_status(path, args) == 200
    if rule.endpoint == "map_embed":  # web/images.py: pinned, else a redirect
        return bool(args.get("rilis")) and parsed_state_status(state_from_release, args) == 200
    return False


def register_mirror(server: Flask, count: Callable[[str, Mapping], None]) -> None:
    @server.route(MIRROR + "/", defaults={"path": ""}, endpoint="usage_mirror")
    @server.route(MIRROR + "/<path:path>", endpoint="usage_mirror")
    def usage_mirror(path: str) -> Response:
        if not enabled() or request.headers.get(COPY) != "1":
            abort(404)
        if request.method == "GET" and answers_200(server, "/" + path, request.args):
            count("/" + path, request.args)
        return Response(status=204)
