"""The headers every response carries: what a browser may run and reach on the page, and how long
any copy of the response may be kept.

`security_headers()` is computed once, at start-up, from the hashes of the inline scripts Dash
writes (app.py); `cache_control()` is a pure function of the response; `finish()` applies both.
"""
from __future__ import annotations

from dash.fingerprint import check_fingerprint
from flask import Response, request

from web.release_context import pinned_id

# Browser features no page here uses: refused to the page and to anything it might embed.
DENIED_FEATURES = ("accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
                   "hid", "magnetometer", "microphone", "midi", "payment", "serial", "usb")
# Open data read by other sites' programs (the API is CORS-open; bulk files are linked from anywhere).
OPEN_PATHS = ("/api/", "/unduh/")


def content_security_policy(script_hashes: list[str]) -> str:
    """Everything is served from this host: no CDN, font or tile server is ever contacted. Scripts
    are files from this host and the inline scripts Dash itself writes, each named by its hash:
    no other inline script, no eval. Styles may be inline: Dash, plotly and the served HTML set
    element styles (a legend swatch's colour)."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(script_hashes: list[str]) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "Permissions-Policy": ", ".join(f"{feature}=()" for feature in DENIED_FEATURES),
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


# Pages made to be framed by other sites (a news story's live map): only these may be framed.
FRAMEABLE_PATHS = ("/sematkan/",)


def frameable(path: str) -> bool:
    return path.startswith(FRAMEABLE_PATHS)


def for_path(path: str, fixed: dict[str, str]) -> dict[str, str]:
    """The fixed headers as they apply to `path`: an embed (FRAMEABLE_PATHS) may be framed by any site
    (`frame-ancestors *`, no X-Frame-Options); every other answer by none (`'none'`, DENY)."""
    if not frameable(path):
        return fixed
    out = {name: value for name, value in fixed.items() if name != "X-Frame-Options"}
    out["Content-Security-Policy"] = fixed["Content-Security-Policy"].replace("frame-ancestors 'none'", "frame-ancestors *")
    return out


ONE_YEAR = 31536000
LIVE_PATHS = ("/healthz",)
CRAWLER_PATHS = ("/robots.txt", "/sitemap.xml")  # read by crawlers; change only with a release


def names_its_content(path: str, args) -> bool:
    """The URL changes whenever the content does: an asset's ?m=…, a Dash bundle's fingerprint, a
    release's own geometry and files (named by its id)."""
    if path.startswith("/assets/"):
        return "m" in args
    if path.startswith("/_dash-component-suites/"):
        return check_fingerprint(path)[1]
    return path.startswith("/geo/")


def cache_control(path: str, status: int, pinned: bool, versioned: bool) -> str:
    """How long any copy of this response may be kept. `versioned`: the URL names its content
    (names_its_content); `pinned`: the request named its release (?rilis=, or the X-Rilis header)."""
    if status >= 400:
        return "no-store"  # a failure is not kept: the next try may succeed
    if path.startswith("/_dash-") and not path.startswith("/_dash-component-suites/"):
        return "no-store"  # callbacks, layout and dependencies answer this page load only
    if path in LIVE_PATHS:
        return "no-store"  # the state of this very moment (health, usage counts being written)
    if versioned:
        return f"public, max-age={ONE_YEAR}, immutable"
    if pinned or path.startswith("/unduh/rilis/"):
        # A release's own numbers never change, but it may be withdrawn (then 410, and the pages
        # say so), and its README/CITATION name the configured address: an hour, not a year.
        return "public, max-age=3600"
    if path in CRAWLER_PATHS:
        return "public, max-age=3600"  # a crawler reads them now and then; a new release shows within the hour
    if path.startswith(OPEN_PATHS):
        return "public, max-age=300"  # the current release may move on at the next release
    if path.startswith(("/assets/", "/_dash-component-suites/", "/_favicon.ico")):
        return "public, max-age=86400"  # a file without a fingerprint (plotly.js, the world outline): a day
    return "public, max-age=60"  # a page: it names the current release and announces withdrawals


def finish(resp: Response, fixed: dict[str, str]) -> Response:
    """Flask after_request: the fixed security headers, a resource policy, and Cache-Control from
    the one policy above (it replaces any a route set, so there is one place to read it)."""
    for name, value in for_path(request.path, fixed).items():
        resp.headers.setdefault(name, value)
    resp.headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if request.path.startswith(OPEN_PATHS + FRAMEABLE_PATHS) else "same-origin")
    resp.headers["Cache-Control"] = cache_control(request.path, resp.status_code, pinned_id() is not None,
                                                  names_its_content(request.path, request.args))
    return resp
