"""Every internal URL of the portal, built in one place.

Pages, routes and citations link through these builders instead of writing paths by hand, so
a page's path or a parameter's name lives here once. Pure: no Flask or Dash, only strings.

Each builder takes an optional query string already written by a page state (web/state.py's
`state.query()`) and keyword parameters after it. A keyword replaces the same name in that
query where it stands (`tahun="semua"` on a map state's query) or is appended in the order
given; None leaves a parameter out. Values are encoded by `urlencode`, so a region code
(34.71.01) stays as it is and a search text is escaped.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

# Each page's path: the modules in pages/ register these (dash.register_page) and nothing else
# writes them.
HOME = "/"
MAP = "/peta"
REGIONS = "/wilayah"      # /wilayah/<kode>
INDICATORS = "/indikator"  # the catalogue; /indikator/<id> one indicator
TARGETS = "/target"
SEARCH = "/cari"
RELEASES = "/rilis"       # every release; /rilis/<id> one release
ABOUT = "/tentang"
USAGE = "/statistik-penggunaan"
DOWNLOADS = "/unduh"
GEO = "/geo"
API = "/api/v1"
EMBED = "/sematkan"       # frameable views for other sites: /sematkan/peta
SCHEDULE = "/jadwal"      # the release calendar (a plan)
REPORT = "/lapor"         # contact / report a data problem (a plain form; POST stores the report)
COMPARE = "/bandingkan"   # regions side by side: ?wilayah=32.05,32.06,32.07
ROBOTS = "/robots.txt"
SITEMAP = "/sitemap.xml"


def _segment(value) -> str:
    """A path segment, escaped so a value can never add a '/' or a '?' (codes and ids pass unchanged)."""
    return quote(str(value), safe="")


def url(path: str, query: str = "", /, **params) -> str:
    """path?query with params merged in: a param replaces the same name in `query` in place or
    follows in the order given; None drops it. Without params `query` is kept verbatim."""
    if not params:
        return f"{path}?{query}" if query else path
    pairs = parse_qsl(query, keep_blank_values=True)
    names = {k for k, _ in pairs}
    merged = [(k, params[k]) if k in params else (k, v) for k, v in pairs]
    merged += [(k, v) for k, v in params.items() if k not in names]
    encoded = urlencode([(k, v) for k, v in merged if v is not None])
    return f"{path}?{encoded}" if encoded else path


def home_url(**params) -> str:
    return url(HOME, **params)


def map_url(query: str = "", /, **params) -> str:
    """/peta: indikator, tahun, tingkat, induk, dimensi, kategori (or a MapState's query())."""
    return url(MAP, query, **params)


def region_url(kode: str, /, **params) -> str:
    return url(f"{REGIONS}/{_segment(kode)}", **params)


def compare_url(codes=(), /, **params) -> str:
    """/bandingkan?wilayah=A,B,C (codes in the reader's order; none: the page that starts a comparison).
    The commas stay commas, so the address reads as it is typed; each code is escaped on its own."""
    rest = url(COMPARE, **params).partition("?")[2]
    listed = "wilayah=" + ",".join(quote(str(c), safe="") for c in codes) if codes else ""
    query = "&".join(q for q in (listed, rest) if q)
    return f"{COMPARE}?{query}" if query else COMPARE


def indicator_url(indicator_id: str | None = None, /) -> str:
    """One indicator's page; without an id the catalogue."""
    return INDICATORS if indicator_id is None else f"{INDICATORS}/{_segment(indicator_id)}"


def target_url(query: str = "", /, **params) -> str:
    """/target: indikator, tingkat, urut, wilayah (or a TrackerState's query())."""
    return url(TARGETS, query, **params)


def search_url(q: str | None = None, /) -> str:
    return url(SEARCH, q=q)


def release_url(release_id: str | None = None, /) -> str:
    """One release's page; without an id the list of every release."""
    return RELEASES if release_id is None else f"{RELEASES}/{_segment(release_id)}"


def about_url(section: str | None = None, /) -> str:
    """/tentang, or one of its sections (#sel-kosong)."""
    return ABOUT if section is None else f"{ABOUT}#{section}"


def usage_url() -> str:
    """The usage figures (its download: download_url("statistik-penggunaan", fmt))."""
    return USAGE


def geo_url(release_id: str, level: str, province: str | None = None, /) -> str:
    """A release's geometry for a level; kecamatan come one province (its two-digit code) at a time."""
    name = f"kecamatan/{_segment(province[:2])}" if level == "kecamatan" else _segment(level)
    return f"{GEO}/{_segment(release_id)}/{name}.geojson"


def download_url(view, fmt: str, query: str = "", /, **params) -> str:
    """A view's file: view is "peta", "target", "bandingkan", "statistik-penggunaan" or ("wilayah", kode); fmt a key of components.formats.FORMATS."""
    if isinstance(view, tuple):
        kind, key = view
        path = f"{DOWNLOADS}/{kind}/{_segment(key)}.{fmt}"
    else:
        path = f"{DOWNLOADS}/{view}.{fmt}"
    return url(path, query, **params)


def bulk_url(release_id: str, name: str | None = None, /) -> str:
    """A release's whole-table files; without a name their index."""
    base = f"{DOWNLOADS}/rilis/{_segment(release_id)}"
    return base if name is None else f"{base}/{_segment(name)}"


def api_url(resource: str | None = None, query: str = "", /, **params) -> str:
    """The read API (/api/v1/<resource>); without a resource its index."""
    return url(API if resource is None else f"{API}/{resource}", query, **params)


def embed_url(view, query: str = "", /, **params) -> str:
    """A view made to be framed by another site (view "peta", ("indikator", id) or ("wilayah", kode);
    pin it with rilis=<id>)."""
    path = f"{EMBED}/{view[0]}/{_segment(view[1])}" if isinstance(view, tuple) else f"{EMBED}/{_segment(view)}"
    return url(path, query, **params)


def chart_url(kind: str, indicator_id: str, fmt: str, /, **params) -> str:
    """A chart as an image: kind "tren" (wilayah=<kode>, default Indonesia, against every region above
    it), "peringkat" (provinces ranked, tahun=), "sebaran" (kabupaten/kota as dots, tahun=) or "target"
    (the national path to the RPJMN/SDG target); fmt "png" or "svg"."""
    return url(f"{DOWNLOADS}/grafik/{_segment(kind)}/{_segment(indicator_id)}.{fmt}", **params)


def schedule_url() -> str:
    """The release calendar: planned and past releases."""
    return SCHEDULE


def report_url(**params) -> str:
    """The contact / report-a-problem form (halaman=<the page the reader came from>, indikator=, wilayah=)."""
    return url(REPORT, **params)


def sitemap_url() -> str:
    return SITEMAP


def robots_url() -> str:
    return ROBOTS
