"""Which release a request reads: resolved once, before the request is handled.

`?rilis=<id>` on a page, a download or the API pins that release; a Dash callback
carries the page's pin in the `X-Rilis` header (assets/05-rilis.js). Without a pin
the current release is served. A withdrawn release answers 410 with its reason, an
unknown one 404; both in words, as plain text for files and JSON for the API.
"""
from __future__ import annotations

import json

from flask import Response, g, request

from components.i18n import _, language
from components.links import home_url, release_url
from data import queries
from data.access import ReleaseNotFound, ReleaseWithdrawn

HEADER = "X-Rilis"


def requested_release_id() -> str | None:
    return (request.args.get("rilis") or request.headers.get(HEADER) or "").strip() or None


def resolve_release() -> Response | None:
    """Flask before_request: sets g.release, or answers 404/410 for a pin that cannot be served."""
    g.release = None
    rid = requested_release_id()
    if rid is None or request.path.startswith(("/assets/", "/_dash-component-suites/", "/geo/")):
        return None
    try:
        g.release = queries.store().by_id(rid)
    except ReleaseWithdrawn as exc:
        reason = exc.event.get("alasan", "")
        return refusal(410, _("Rilis {id} sudah ditarik ({date}): {reason}. Buka rilis yang berlaku di {url}.").format(
            id=rid, date=exc.event.get("waktu", "")[:10], reason=reason, url=release_url()))
    except ReleaseNotFound:
        return refusal(404, _("Tidak ada rilis '{id}'. Daftar semua rilis ada di {url}.").format(id=rid, url=release_url()))
    return None


def refusal(status: int, message: str) -> Response:
    """The reason in the shape the asker reads: JSON for the API, text for files, a small page otherwise."""
    if request.path.startswith("/api/"):
        return Response(json.dumps({"galat": message}, ensure_ascii=False), status=status, mimetype="application/json")
    if request.path.startswith(("/unduh/", "/_dash-update-component")):
        return Response(message + "\n", status=status, mimetype="text/plain")
    from html import escape

    heading = escape(_("Rilis tidak tersedia"))
    # Messages outside the f-strings, where pybabel finds them.
    site, releases, home = escape(_("Portal Data DTSEN Terbuka")), escape(_("Semua rilis")), escape(_("Beranda (rilis terbaru)"))
    body = (f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{heading} — {site}</title></head>'
            f'<body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">'
            f'<h1>{heading}</h1><p id="rilis-galat">{escape(message)}</p><p><a href="{release_url()}">{releases}</a> · '
            f'<a href="{home_url()}">{home}</a></p></body></html>')
    return Response(body, status=status, mimetype="text/html")


def pinned_id() -> str | None:
    """The release id this request pinned (None when it reads the current release)."""
    rel = getattr(g, "release", None)
    return rel.id if rel is not None else None
