"""Which language a request is answered in: resolved once, before anything else.

`?lang=en` or `?lang=id` in the address decides, and every link of that page keeps it (web/ssr.py
for the served HTML, assets/04-lang.js for what Dash draws), so a shared link opens in the language
it was copied in. Dash's own requests (callbacks, the layout) carry the page's choice in `X-Lang`.
Without either, `Accept-Language` picks: the first of English or Indonesian the header names (browsers
list languages in the reader's order), else Indonesian. Because a page then depends on that header,
it answers `Vary: Accept-Language`, and nginx's page cache keys on the same choice (`$dtsen_lang` in
deploy/nginx.conf, a regular expression tests/test_i18n.py holds to `negotiate`).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, g, has_request_context, request

from components.i18n import DEFAULT, LANGUAGES, language, reset_language, set_language

PARAM = "lang"
HEADER = "X-Lang"
# Paths whose answer is the same in every language: no language, no Vary.
NEUTRAL = ("/assets/", "/_dash-component-suites/", "/geo/", "/_favicon", "/healthz")
# Files (downloads and images): their address alone decides, so a program reading a CSV's headers, or a
# cache keeping an image, gets the same file whatever the asker's Accept-Language (README, "In English").
ADDRESS_ONLY = ("/unduh/",)


def negotiate(accept_language: str | None) -> str:
    """The first of 'en' and 'id' an Accept-Language header names (quality values are not
    compared: browsers already list languages from the most wanted); 'id' when it names neither."""
    for part in (accept_language or "").split(","):
        tag = part.split(";", 1)[0].strip().lower()
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT


def from_address(args, headers, path: str) -> str | None:
    """The language the address chose (?lang=, or a Dash request's X-Lang), else None."""
    asked = args.get(PARAM)
    if asked in LANGUAGES:
        return asked
    if path.startswith("/_dash-"):
        header = headers.get(HEADER)
        if header in LANGUAGES:
            return header
    return None


def choose_language() -> None:
    """Flask before_request: sets the language of everything this request builds."""
    chosen = from_address(request.args, request.headers, request.path)
    g.lang_in_address = chosen is not None
    g.lang_fixed = chosen is not None or request.path.startswith(ADDRESS_ONLY)  # the header plays no part: no Vary
    g.lang = chosen or (DEFAULT if g.lang_fixed else negotiate(request.headers.get("Accept-Language")))
    g.lang_token = set_language(g.lang)


def forget_language(_exc=None) -> None:
    """Flask teardown: the thread's next request starts from the default."""
    token = g.pop("lang_token", None)
    if token is not None:
        try:
            reset_language(token)
        except ValueError:  # set in another context (a streamed answer): nothing to undo here
            pass


def vary(resp: Response) -> Response:
    """An answer whose language came from Accept-Language says so to caches."""
    if not getattr(g, "lang_fixed", True) and not request.path.startswith(NEUTRAL):
        resp.vary.add("Accept-Language")
    return resp


def current() -> str:
    return language()


def in_address() -> str | None:
    """The language to keep in this page's links: the one its address chose, else None."""
    if not has_request_context():
        return None
    return g.lang if getattr(g, "lang_in_address", False) else None


def for_files() -> str | None:
    """The language a page's file links (downloads, images) name: the address's, or the page's own when
    Accept-Language chose a language other than the default (a file follows only its address, so an
    English page chosen by the browser must say lang=en in its links to get English files)."""
    chosen = in_address()
    if chosen is not None or not has_request_context():
        return chosen
    return language() if language() != DEFAULT else None


def register_language(server) -> None:
    """First of all before_request hooks: even a refusal (404/410 of a pinned release) is in the reader's language."""
    server.before_request_funcs.setdefault(None, []).insert(0, choose_language)
    server.teardown_request(forget_language)
    server.after_request(vary)


def switch_href(path: str, args) -> str:
    """This view in the other language: the same path and query, `lang` set to the other one."""
    from components.links import url

    other = "id" if current() == "en" else "en"
    query = urlencode([(k, v) for k, v in _pairs(args) if k != PARAM])
    return url(path, query, lang=other)


def _pairs(args):
    return args.items(multi=True) if hasattr(args, "items") and hasattr(args, "getlist") else args.items()
