"""The comparison's address, parsed: /bandingkan?wilayah=34.01,34.02[&cari=…].

One parser serves the page, its HTTP status and its download, so they agree on what an address
means. Without `wilayah` the page starts a comparison; one region with a `cari` field (words to search,
perhaps none yet) is the step of choosing the second: the profile's "Bandingkan dengan…" form sends
exactly that. One region alone is not a comparison.
Anything else short of 2–5 known, distinct regions is refused: 400 for a malformed list, 404 for a
code that is well formed but names no region; the reason in words (components/compare_view.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from components.compare_view import TEXT
from data.comparison import MAX_REGIONS, MIN_REGIONS
from data.search import MAX_QUERY
from web.state import StateError, arg

# As the site writes codes (34, 34.71, 34.71.01) or as BPS does, without dots (3471, 347101).
CODE = re.compile(r"^[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2,3})?)?$|^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2,3})?)?$")  # ASCII: \d takes ３４ too


@dataclass(frozen=True)
class CompareState:
    wilayah: tuple[str, ...]  # dotted codes, in the reader's order
    cari: str = ""            # words to search for a region to add

    @property
    def complete(self) -> bool:
        return len(self.wilayah) >= MIN_REGIONS


class BadList(StateError):
    """A list that cannot be compared (too short, a bad or unknown code, one twice, too many): its
    400/404, with the good regions it does name, so the page offers to go on from them instead of
    starting over."""

    def __init__(self, status: int, message: str, wilayah: tuple[str, ...]):
        super().__init__(status, message)
        self.wilayah = wilayah


def parse_compare(args, resolve) -> CompareState:
    """args: the query mapping; resolve(code) → the dotted code of a region (either spelling), or None."""
    raw = arg(args, "wilayah")
    cari = (arg(args, "cari") or "")[:MAX_QUERY]
    if raw is None:
        return CompareState((), cari)
    items = [s.strip() for s in raw.split(",")]
    resolved = [resolve(item) if CODE.match(item) else None for item in items]  # each code looked up once
    # The good regions named, each once, in order: kept by a refusal for the reader to go on from.
    kept = tuple(dict.fromkeys(k for k in resolved if k is not None))[:MAX_REGIONS]
    if any(not s for s in items):
        raise BadList(400, TEXT["err_empty_item"].format(raw=raw), kept)
    if len(items) > MAX_REGIONS:
        raise BadList(400, TEXT["err_too_many"].format(max=MAX_REGIONS, n=len(items)), kept)
    for item in items:
        if not CODE.match(item):
            raise BadList(400, TEXT["err_junk"].format(item=item), kept)
    codes = []
    for item, kode in zip(items, resolved):
        if kode is None:
            raise BadList(404, TEXT["err_unknown"].format(item=item), kept)
        if kode in codes:
            raise BadList(400, TEXT["err_duplicate"].format(kode=kode), kept)
        codes.append(kode)
    choosing = len(codes) == 1 and "cari" in args  # the search form's step: one region, the second being looked for
    if len(codes) < MIN_REGIONS and not choosing:
        raise BadList(400, TEXT["err_too_few"].format(min=MIN_REGIONS, n=len(codes)), kept)
    return CompareState(tuple(codes), cari)


def compare_state(args, rel) -> CompareState:
    """parse_compare wired to a release (the I/O edge)."""
    regions = rel.regions
    by_bps = dict(zip(regions["kode_bps"].astype(str), regions.index))

    def resolve(code: str) -> str | None:
        if code == "00" or code in regions.index:
            return code
        return by_bps.get(code)

    return parse_compare(args, resolve)

