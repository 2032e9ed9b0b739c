"""The HTTP status of a page URL. Dash answers 200 for every path; we answer honestly."""
from __future__ import annotations

from data import queries
from web.state import StateError, state_from_release, tracker_state

STATIC_PAGES = {"/", "/tentang", "/cari", "/indikator", "/rilis"}
STATE_PAGES = {"/peta": state_from_release, "/target": tracker_state}  # pages whose query string is parsed (and can be wrong)


def page_status(path: str, args) -> int:
    if path in STATIC_PAGES:
        return 200
    if path.startswith("/wilayah/"):
        return 200 if queries.release().region(path[len("/wilayah/"):]) is not None else 404
    if path.startswith("/rilis/"):
        rid = path[len("/rilis/"):]
        if rid in queries.store().withdrawn():
            return 410
        return 200 if any(e["id"] == rid for e in queries.store().listing()) else 404
    if path.startswith("/indikator/"):
        return 200 if path[len("/indikator/"):] in queries.release().catalog else 404
    if path in STATE_PAGES:
        try:
            STATE_PAGES[path](args, queries.release())
        except StateError as exc:
            return exc.status
        return 200
    return 404
