"""The comparison's machine twin: /unduh/bandingkan.<fmt>?wilayah=A,B,C.

The page's rows in its order (its sections, indicators in catalogue order, the regions in the
address's order) with every year its trends draw. Protected values are empty cells with their
status, the synthetic warning is on every row (`sumber`) and in the metadata: the profile
download's own code (web/routes.py) writes them.
"""
from __future__ import annotations

from flask import Flask, Response, request

from components.compare_view import TEXT
from components.formats import FORMATS
from components.links import compare_url, download_url
from data import queries
from data.comparison import MIN_REGIONS
from web.compare_state import compare_state
from web.public_url import site_root
from web.routes import download, in_profile_order, labelled_rows, region_names, release_meta, unknown_format
from web.state import StateError

COLUMNS = ["bagian", "indicator_id", "indikator", "satuan", "tahun", "kode_wilayah", "kode_bps", "nama", "tingkat", "nilai", "status",
           "keterangan_status", "periode", "sumber"]


def refusal(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def register_compare_download(server: Flask) -> None:
    @server.route(download_url("bandingkan", "<fmt>"))
    def compare_download(fmt: str):
        if fmt not in FORMATS:
            return unknown_format(fmt)
        rel = queries.release()
        try:
            state = compare_state(request.args, rel)
        except StateError as exc:
            return refusal(exc.status, exc.message)
        if len(request.args.getlist("wilayah")) > 1 or not state.complete:  # a file is a comparison or nothing
            return refusal(400, TEXT["err_too_few"].format(min=MIN_REGIONS, n=len(state.wilayah)))
        kodes = state.wilayah
        df = labelled_rows(rel, in_profile_order(rel, queries.profile_download(rel, kodes), kodes))
        levels = {k: (rel.region(k) or {}).get("tingkat") for k in kodes}
        df = df.assign(tingkat=df["kode_wilayah"].map(levels))
        names = region_names(rel)
        years = f"{rel.years[0]}–{rel.years[-1]}"
        listed = ", ".join(f"{names[k]} ({k})" for k in kodes)
        meta = release_meta(rel, [("wilayah", listed), ("tahun", years), ("bagian", TEXT["download_order"])],
                            TEXT["download_title"].format(names=listed, years=years), site_root() + compare_url(kodes))
        decimals = {"nilai": df["indicator_id"].map(lambda i: rel.catalog[i].desimal)}
        stem = f"dtsen_bandingkan_{'_'.join(kodes)}_{rel.years[0]}-{rel.years[-1]}_{rel.id}"
        return download("bandingkan", df, meta, COLUMNS, decimals, fmt, stem)
