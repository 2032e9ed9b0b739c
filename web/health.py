"""`GET /healthz`: is this worker serving a release, which one, and how old it is.

For load balancers and monitoring: cheap (no query, no page), never cached. "degraded" (still
200: readers are served) when `current` dangles or names a release that was refused and the last
good release serves instead. A worker that has no release at all does not start (gunicorn stops).
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from flask import Flask, Response

from data import queries

STARTED = time.monotonic()


def store_current_target() -> str | None:
    """Where the releases folder's `current` points now (None: no link)."""
    link = queries.store().root / "current"
    return str(link.resolve()) if link.exists() or link.is_symlink() else None


def health() -> tuple[int, dict]:
    """(status code, body) for the current release of this worker's store."""
    try:
        rel = queries.store().get()
    except (RuntimeError, OSError) as exc:  # no store yet, no release that verifies, the folder unreadable
        return 503, {"status": "unavailable", "loaded": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    created = rel.manifest.get("dibuat", "")
    try:
        age = round((datetime.now(timezone.utc) - datetime.fromisoformat(created)).total_seconds())
    except (TypeError, ValueError):
        age = None
    pointed = store_current_target()
    served_path = str(rel.path)
    degraded = pointed != served_path  # `current` dangles, or names a release that was refused
    return 200, {
        "status": "degraded" if degraded else "ok",
        "current_served": not degraded,  # false: the last good release serves while `current` is refused
        "release_id": rel.id,
        "release_created": created,
        "age_seconds": age,  # since the release was built: monitoring can alert on stale data
        "loaded": "cells" in rel.__dict__,  # the cell index is built before a release is served
        "uptime_seconds": round(time.monotonic() - STARTED),  # this worker's
    }


def register_health(server: Flask) -> None:
    @server.route("/healthz")
    def healthz():
        status, body = health()
        return Response(json.dumps(body), status=status, mimetype="application/json",
                        headers={"Cache-Control": "no-store"})
