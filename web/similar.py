"""The "similar regions" block, read from a release: the profile (/wilayah/<kode>) and the
comparison's choosing step (/bandingkan?wilayah=<kode>&cari=) both show it."""
from __future__ import annotations

from components.compare_view import similar_section
from components.links import compare_url, indicator_url, region_url
from components.texts import indicator_name, level_name
from data import queries
from data.comparison import MAX_REGIONS
from data.similarity import INDICATORS, MIN_COMMON


def similar_block(rel, kode: str):
    """The section, or None for Indonesia (no other region of its level)."""
    info = rel.region(kode)
    if info is None or info["tingkat"] == "nasional":
        return None
    found = queries.similar_regions(rel, kode)
    neighbours = [{"nama": rel.regions.at[n.kode, "nama"], "href": region_url(n.kode), "compare_href": compare_url([kode, n.kode]),
                   "distance": n.distance, "common": n.common} for n in found]
    together = [n.kode for n in found][: MAX_REGIONS - 1]
    indicators = [(indicator_name(rel.catalog[i]), indicator_url(i)) for i in INDICATORS if i in rel.catalog]
    return similar_section(info["nama"], level_name(info["tingkat"], plural=True), rel.years[-1], indicators, neighbours, MIN_COMMON,
                           (compare_url([kode, *together]), len(together)) if len(together) > 1 else None)
