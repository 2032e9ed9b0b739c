"""Charts as images and embeds (issue 20), beside the map's (web/images.py):

  /unduh/grafik/tren/<indikator>.svg|png?wilayah=<kode>   the trend in a region (default Indonesia)
                                                          against every region above it
  /unduh/grafik/peringkat/<indikator>.svg|png?tahun=<y>    the provinces ranked in one year
  /unduh/grafik/sebaran/<indikator>.svg|png?tahun=<y>      every kabupaten/kota as a dot, one year (the
                                                          indicator page's spread)
  /unduh/grafik/target/<indikator>.svg|png                 the national series against its path to the
                                                          RPJMN/SDG target (the /target page's chart)
  /unduh/grafik/bandingkan/<indikator>.svg|png?wilayah=A,B the trend in 2–5 regions side by side (/bandingkan's
                                                          picture)
  /sematkan/indikator/<indikator>                          the national trend, for another site's frame
  /sematkan/wilayah/<kode>?indikator=<id>                  a region's trend, for another site's frame

Each takes ?rilis= and ?lang=en; an embed without rilis= moves to the current release's id. A bad
address answers 404/400 with the reason (web/chart_views.py), never 500.
"""
from __future__ import annotations

from html import escape

from flask import Flask, Response, redirect, request

from components.chart_svg import style
from components.figure_image import SITE_NAME, card_svg, image_svg, source_line
from components.i18n import _
from components.links import chart_url, embed_url
from data import queries
from web.chart_views import (TrendView, compare_parts, compare_view, page_address, ranking_parts, ranking_view, spread_parts,
                             spread_view, target_parts, target_view, trend_parts, trend_view)
from web.images import busy, cached_png, embed_document, is_card, legend_list, view_key
from web.lang import for_files, in_address
from web.public_url import site_root
from web.state import StateError

KINDS = {"tren": (trend_view, trend_parts), "peringkat": (ranking_view, ranking_parts), "sebaran": (spread_view, spread_parts),
         "target": (target_view, target_parts), "bandingkan": (compare_view, compare_parts)}
DEFAULT_REGION_INDICATOR = "persen_penduduk_miskin"


def chart_document(rel, kind: str, view) -> str:
    svg, text, _alt = KINDS[kind][1](rel, view)
    return image_svg(svg, text)


def chart_image_url(rel, view, fmt: str = "png", card: bool = False) -> str:
    """A chart's image, pinned to its release (cached a day, per release, view and language);
    card: the PNG framed 1200 × 630 for a shared link's preview."""
    return chart_url(view.kind, view.indikator, fmt, **view.params(), rilis=rel.id, lang=for_files(), kartu="1" if card else None)


def chart_embed_url(rel, view: TrendView) -> str:
    if view.wilayah == "00":
        return embed_url(("indikator", view.indikator), rilis=rel.id, lang=in_address())
    return embed_url(("wilayah", view.wilayah), indikator=view.indikator, rilis=rel.id, lang=in_address())


def chart_embed_code(rel, view: TrendView) -> str:
    """The iframe a site pastes to show this trend, pinned to its release."""
    _svg, text, _alt = trend_parts(rel, view)
    return (f'<iframe src="{escape(site_root() + chart_embed_url(rel, view))}" title="{escape(text.title)}" width="100%" height="560" '
            f'style="border:0;max-width:760px" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>')


def trend_embed_html(rel, view: TrendView) -> str:
    svg, text, _alt = trend_parts(rel, view)
    back = page_address(rel, view)
    return embed_document(text.title, text.unit, text.synthetic, svg, legend_list(text.legend, text.legend_title), text.notes,
                          source_line(rel.id, back), back, _("Buka angka lengkap, tabel dan unduhan di {site}").format(site=_(SITE_NAME)))


def _refusal(exc: StateError) -> Response:
    return Response(exc.message + "\n", status=exc.status, mimetype="text/plain")


def register_chart_images(server: Flask) -> None:
    @server.route("/unduh/grafik/<kind>/<name>", endpoint="chart_image")
    def chart_image(kind: str, name: str):
        stem, _dot, fmt = name.rpartition(".")
        if kind not in KINDS or fmt not in ("svg", "png") or not stem:
            return Response(_("Tidak ada grafik di alamat ini. Grafik: /unduh/grafik/tren/<indikator>.png atau .svg (?wilayah=<kode>), "
                              "/unduh/grafik/peringkat/<indikator>.png atau .svg (?tahun=<tahun>), /unduh/grafik/sebaran/<indikator>.png atau .svg "
                              "(?tahun=<tahun>), /unduh/grafik/target/<indikator>.png atau .svg, /unduh/grafik/bandingkan/<indikator>.png atau .svg "
                              "(?wilayah=<kode>,<kode>).") + "\n", status=404, mimetype="text/plain")
        rel = queries.release()
        try:
            view = KINDS[kind][0](rel, stem, request.args)
        except StateError as exc:
            return _refusal(exc)
        place = (f"_{view.wilayah}" if isinstance(view, TrendView) else f"_{'-'.join(view.wilayah)}" if kind == "bandingkan" else
                 f"_{view.tahun}" if hasattr(view, "tahun") else "")
        headers = {"Content-Disposition": f'inline; filename="dtsen_grafik_{kind}_{view.indikator}{place}_{rel.id}.{fmt}"',
                   "Link": f'<{page_address(rel, view)}>; rel="canonical"'}
        if fmt == "svg":
            return Response(chart_document(rel, kind, view), mimetype="image/svg+xml", headers=headers)
        key = view_key(f"grafik-{kind}", f"{view.indikator}|{sorted(view.params().items())}")
        if is_card():
            data = cached_png(rel, key + "-kartu", lambda: card_svg(chart_document(rel, kind, view)))
        else:
            data = cached_png(rel, key, lambda: chart_document(rel, kind, view))
        return busy() if data is None else Response(data, mimetype="image/png", headers=headers)


def register_chart_embeds(server: Flask) -> None:
    def pinned_or_moved(rel):
        if not request.args.get("rilis"):  # an embedded story keeps its numbers after the next release
            query = request.query_string.decode("utf-8", "replace")
            return redirect(f"{request.path}?{query + '&' if query else ''}rilis={rel.id}", code=302)
        return None

    @server.route("/sematkan/indikator/<ind_id>", endpoint="indicator_embed")
    def indicator_embed(ind_id: str):
        rel = queries.release()
        try:
            view = trend_view(rel, ind_id, {})
        except StateError as exc:
            return _refusal(exc)
        return pinned_or_moved(rel) or Response(trend_embed_html(rel, view), mimetype="text/html")

    @server.route("/sematkan/wilayah/<kode>", endpoint="region_embed")
    def region_embed(kode: str):
        rel = queries.release()
        try:
            ind_id = request.args.get("indikator") or DEFAULT_REGION_INDICATOR
            view = trend_view(rel, ind_id, {"wilayah": kode})
        except StateError as exc:
            return _refusal(exc)
        return pinned_or_moved(rel) or Response(trend_embed_html(rel, view), mimetype="text/html")
