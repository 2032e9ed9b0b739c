"""The portal: `create_app()` builds the Dash app on a Flask server; `server` is for gunicorn.

    gunicorn app:server            # production
    python app.py                  # development, http://127.0.0.1:8050
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import os
import re
import traceback
from pathlib import Path

import dash
from dash import Dash, html
from dash.exceptions import DependencyException
from flask import Flask, Response, abort, redirect, request

from components.links import REGIONS, region_url
from components.i18n import _
from components.shell import footer, navbar, release_notices, skip_link, synthetic_notice
from data import queries
from data.cache import cache, cache_config
from web.headers import finish as finish_headers, security_headers
from web.inputs import envelope_problem
from web.lang import current as current_language, for_files as files_language, in_address as language_in_address, register_language, switch_href
from web.page_meta import head_tags, page_title
from web import public_url
from web.public_url import site_root
from web.release_context import resolve_release
from web.routes import register_routes
from web.ssr import keep_file_language, keep_language, pin_internal_links, prerender_index
from web.status import page_status
from web.usage import register_usage
from web.versionless import content_fingerprint, unversioned_favicon, without_versions

ROOT = Path(__file__).resolve().parent
MAX_BODY = 1024 * 1024  # a callback request is a few KB; anything larger answers 413 before it is read
log = logging.getLogger("dtsen.input")


def slim_validation_layout(layout):
    """Only the components that carry an id, without their children: all that callback
    validation needs, instead of every page's full layout (figures, tables) in each HTML."""
    if layout is None:
        return None
    keep = []
    for comp in layout._traverse():
        if getattr(comp, "id", None) is not None:
            c = copy.copy(comp)
            if hasattr(c, "children"):
                c.children = None
            if hasattr(c, "figure"):
                c.figure = None
            keep.append(c)
    return html.Div(keep)


PLOTLY_BUNDLE = "vendor/plotly-geo-4.1.1.min.js"  # npm plotly.js-geo-dist-min 4.1.1 (MIT), the version plotly.py ships
BUNDLE_TRACE_TYPES = {"scatter", "scattergeo", "choropleth"}  # what that bundle draws (tests hold every figure to it)


class PortalDash(Dash):
    def _config(self):
        return without_versions(super()._config())

    @property
    def validation_layout(self):
        return self._slim_validation

    @validation_layout.setter
    def validation_layout(self, value):
        self._slim_validation = slim_validation_layout(value)

    def interpolate_index(self, **kwargs):
        # Put the page's main text into the served HTML, so it paints before the scripts run.
        rel = queries.release()
        header = [skip_link(), navbar(switch_href(request.path, request.args)), synthetic_notice(rel.synthetic), release_notices(*notice_inputs(rel))]
        kwargs["app_entry"] = prerender_index(request.path, request.args, kwargs["app_entry"], header,
                                              footer(rel.id, rel.manifest.get("lisensi", ""), rel.synthetic))
        if request.args.get("rilis"):  # a pinned page: its links stay on its release
            kwargs["app_entry"] = pin_internal_links(kwargs["app_entry"], rel.id)
        if language_in_address():  # ?lang= chose the language: its links keep it
            kwargs["app_entry"] = keep_language(kwargs["app_entry"], language_in_address())
        elif files_language():  # Accept-Language chose it: the file links say it (files follow their address)
            kwargs["app_entry"] = keep_file_language(kwargs["app_entry"], files_language())
        kwargs["title"] = page_title(request.path) or _("Portal Data DTSEN Terbuka")
        kwargs["metas"] += head_tags(request.path, request.query_string.decode("utf-8", "replace"), kwargs["title"])
        kwargs["scripts"], kwargs["renderer"] = scripts_on_demand(kwargs["scripts"])
        kwargs["favicon"] = unversioned_favicon(kwargs["favicon"])
        page = super().interpolate_index(**kwargs)
        return page.replace('<html lang="id">', f'<html lang="{current_language()}">', 1)


DASH_BUNDLE = re.compile(r'<script src="(/_dash-component-suites/[^"]+)"></script>\s*')
UNUSED_BUNDLES = ("/dash_table/",)  # no page has a DataTable


def scripts_on_demand(scripts: str) -> tuple[str, str]:
    """Dash's bundles leave the page's script tags for a list that assets/00-dash-on-demand.js
    loads on the reader's first touch, key or click (the served HTML is the whole page until
    then); our own small assets and the clientside functions stay as they are. Returns the
    new scripts block and the renderer block (the loader starts the renderer)."""
    bundles = [content_fingerprint(url) for url in DASH_BUNDLE.findall(scripts) if not any(u in url for u in UNUSED_BUNDLES)]
    listing = json.dumps(bundles).replace("</", "<\\/")
    # Dash checks that its index starts a renderer: this inert note names it; the loader starts it.
    started_by = next((u for u in bundles if "dash-renderer" in u), "")
    renderer = (f'<script id="_dash-renderer" type="text/plain" data-src="{started_by}">'
                'new DashRenderer() on demand: assets/00-dash-on-demand.js</script>')
    return f'<script id="dash-bundles" type="application/json">{listing}</script>\n' + DASH_BUNDLE.sub("", scripts), renderer


PLAIN_HTML_ROUTES = {"api_docs", "map_embed", "indicator_embed", "region_embed"}  # Flask routes that answer HTML themselves
# Dash's index warns Internet Explorer in a conditional comment (an inline script, naming Dash's version).
IE_NOTE = re.compile(r"\s*<!--\[if IE\]>.*?<!\[endif\]-->", re.S)


def referring_view() -> tuple[str, dict]:
    """The page Dash's layout request comes from (its Referer, same site), for the language switch's
    first address; assets/04-lang.js keeps it current from then on."""
    from urllib.parse import parse_qsl, urlsplit

    from flask import has_request_context

    if not has_request_context():  # Dash builds the layout once at start-up to check it
        return "/", {}
    ref = urlsplit(request.referrer or "")
    return (ref.path or "/"), dict(parse_qsl(ref.query))


WITHDRAWAL_NOTICE_DAYS = 30  # a withdrawal is announced on every page for this long


def notice_inputs(rel):
    """What the release notices need: the pin (when this page is not on the current release) and
    the withdrawals of the last WITHDRAWAL_NOTICE_DAYS days."""
    from datetime import datetime, timedelta, timezone

    store = queries.store()
    current = store.get()
    pinned = {"id": rel.id, "dibuat": rel.manifest.get("dibuat", ""), "current_id": current.id} if rel.id != current.id else None
    since = (datetime.now(timezone.utc) - timedelta(days=WITHDRAWAL_NOTICE_DAYS)).isoformat()
    recent = [e for e in store.withdrawn().values() if e.get("waktu", "") >= since]
    return pinned, recent


def create_app(release_dir: Path | None = None) -> Dash:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    release_dir = Path(release_dir or os.environ.get("DTSEN_RELEASE_DIR", ROOT / "data" / "releases"))
    if not os.environ.get(public_url.ENV):  # scripts/serve.sh sets it; a bare gunicorn elsewhere would cite the wrong address
        logging.getLogger("dtsen.config").warning("%s is not set: citations, canonical links and share previews name %s; "
                                                  "set it to the address readers use", public_url.ENV, public_url.DEFAULT)
    server = Flask(__name__)
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    # Geometry and CSV compress well; flask-compress reads this list once, when Dash enables it.
    server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "text/csv", "text/plain", "application/json", "application/javascript", "text/javascript", "application/geo+json"]
    app = PortalDash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        compress=True,
        serve_locally=True,
        title="Portal Data DTSEN Terbuka",
        update_title=None,
        include_pages_meta=False,  # Dash's would name the request's Host; web/page_meta.py writes ours
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        ],
    )
    app.index_string = IE_NOTE.sub("", app.index_string.replace("<html>", '<html lang="id">'))
    cache.init_app(server, config=cache_config())
    queries.init_store(release_dir)
    site_root()  # a malformed DTSEN_PUBLIC_URL stops the start, rather than every page that cites

    def shell():
        rel = queries.release()
        return html.Div(
            [
                skip_link(),
                navbar(switch_href(*referring_view())),
                synthetic_notice(rel.synthetic),
                release_notices(*notice_inputs(rel)),
                html.Main(dash.page_container, id="konten", className="container py-3", tabIndex="-1"),
                footer(rel.id, rel.manifest.get("lisensi", ""), rel.synthetic),
            ]
        )

    app.layout = shell

    register_language(server)  # first: every answer after it, refusals too, is in the reader's language
    server.before_request(resolve_release)

    @server.before_request
    def _undotted_region_code():
        # BPS writes region codes without dots (3471); the dotted Kemendagri form is the address.
        if request.path.startswith(f"{REGIONS}/"):
            code = request.path[len(REGIONS) + 1:]
            if code.isdigit() and len(code) > 2:
                regions = queries.release().regions
                hit = regions.index[regions["kode_bps"] == code]
                if len(hit):
                    return redirect(region_url(hit[0]), code=301)
        return None

    register_routes(server)
    register_usage(server)  # aggregate counts per day, nothing about who asked (web/usage.py)
    register_plotly_bundle(server)
    guard_input(app)
    close_dev_routes(app)
    fixed_headers = security_headers(inline_script_hashes(app))  # last: every inline script is known by now

    @server.after_request
    def _headers(resp: Response) -> Response:
        # Dash answers every path with 200: unknown paths and codes get their real status here
        # (only Dash's pages: a plain route's HTML, such as the API's documentation, has its own).
        if request.method == "GET" and resp.status_code == 200 and resp.mimetype == "text/html" and request.endpoint not in PLAIN_HTML_ROUTES:
            status = page_status(request.path, request.args)
            if status != 200:
                resp.status_code = status
        return finish_headers(resp, fixed_headers)  # security headers and Cache-Control (web/headers.py)

    return app


def inline_script_hashes(app: Dash) -> list[str]:
    """The CSP hashes of the inline scripts Dash writes into a page (app.csp_hashes()). Dash finishes
    setting itself up on its first request, and Dash Pages registers its title function (an inline
    script) only then: that set-up runs here, at start-up, so the list is whole before any request."""
    server = app.server
    with server.test_request_context("/"):
        resolve_release()
        for hook in server.before_request_funcs[None]:
            if getattr(hook, "__module__", "").startswith("dash."):
                hook()
    return app.csp_hashes()


def close_dev_routes(app: Dash) -> None:
    """Dash registers /_reload-hash (hot reload's poll, which lists the app's packages) in every mode:
    it answers 404 unless hot reload is on (a developer's app.run(debug=True))."""
    endpoint = app.config.routes_pathname_prefix + "_reload-hash"
    serve = app.server.view_functions[endpoint]

    @functools.wraps(serve)
    def reload_hash():
        if not app._dev_tools.get("hot_reload"):
            abort(404)
        return serve()

    app.server.view_functions[endpoint] = reload_hash


# A callback's code failing on what it was sent: input it should have refused (tests/test_no_5xx.py
# fuzzes every callback so none does), answered 400 rather than 500. Faults of the server's own
# (OSError, a database error, Dash's checks of what a callback returns) stay 500 with their traceback.
INPUT_ERRORS = (TypeError, ValueError, LookupError, AttributeError, ArithmeticError)


def guard_input(app: Dash) -> None:
    """The safety net under every callback's own checks: a malformed callback request (not JSON,
    too deep, not the shape dash-renderer sends) and input a callback failed on answer 400, an
    unknown bundle path 404; each with one log line, never a traceback."""
    server = app.server
    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"

    def refused(status: int, what: str, why: str) -> Response:
        why = "".join(c if c.isprintable() else "?" for c in why[:200])  # one line, whatever the request held
        log.warning("%s %s: %s", status, what, why)
        return Response(f"{what}: {why}\n", status=status, mimetype="text/plain")

    @server.before_request
    def _malformed_callback():
        if request.path != endpoint or request.method != "POST":
            return None
        try:
            body = request.get_json(silent=True)  # cached: Dash's dispatch reads the same parse
        except RecursionError:
            return refused(400, "callback request", "nested too deeply to parse")
        problem = envelope_problem(body, app.callback_map)
        return refused(400, "callback request", problem) if problem else None

    dispatch = server.view_functions[endpoint]

    @functools.wraps(dispatch)
    def guarded_dispatch(*args, **kwargs):
        try:
            return dispatch(*args, **kwargs)
        except INPUT_ERRORS as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            return refused(400, f"callback {request.get_json()['output'][:80]}", f"{type(exc).__name__} at {where}: {exc}")

    server.view_functions[endpoint] = guarded_dispatch

    @server.errorhandler(DependencyException)
    def _unknown_bundle(_exc):
        return refused(404, "bundle", f"no such file {request.path[:120]}")


def register_plotly_bundle(server: Flask) -> None:
    """Dash's renderer loads plotly.js from one fixed URL (1.47 MB gzipped, every trace type).
    A plain route at that very URL (Werkzeug tries a rule without variables before Dash's
    /_dash-component-suites/<package>/<path>) serves the official "geo" partial bundle
    instead: 0.46 MB gzipped, all that scatter and choropleth charts need."""
    bundle = (ROOT / "web" / PLOTLY_BUNDLE).read_bytes()  # read once, not per request
    etag = hashlib.sha256(bundle).hexdigest()[:16]  # the content's, not the file name's (it names plotly's version)

    @server.route("/_dash-component-suites/plotly/package_data/plotly.min.js")
    def plotly_bundle():
        resp = Response(bundle, mimetype="application/javascript")
        resp.set_etag(etag)
        return resp.make_conditional(request)


app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 8050)), debug=False)
