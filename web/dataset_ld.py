"""schema.org `Dataset` for an indicator page, as JSON-LD in the page's <head>, for harvesters (Google
Dataset Search, DCAT tools reading schema.org).

`<script type="application/ld+json">` is a data block: browsers never run it, so the strict CSP
(no inline scripts) does not apply to it (tests/test_headers.py hashes only types a browser runs).
The JSON is written with every '<' escaped, so no value can close the element.
"""
from __future__ import annotations

import json

from components.export import citation
from components.formats import FORMATS
from components.formatting import unit_name
from components.i18n import N_, _, language, pick
from components.links import api_url, download_url, indicator_url, release_url, url as links_url
from components.texts import indicator_name
from data.catalog import DOMAIN_NAMES
from web.lang import in_address
from web.public_url import site_root
from web.state import LEVEL_NAMES, MAP_LEVELS

SITE = "Portal Data DTSEN Terbuka"
PUBLISHER = {"@type": "Organization", "name": "Kementerian PPN/Bappenas", "alternateName": SITE}
BPS = {"@type": "Organization", "name": "Badan Pusat Statistik", "url": "https://www.bps.go.id"}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SYNTHETIC = N_("DATA SINTETIS: rilis demo dari register simulasi yang dikalibrasi ke angka BPS; bukan statistik resmi.")  # translated where used
TABLE_FORMATS = ("csv", "xlsx", "parquet")


def dataset(rel, ind_id: str) -> dict | None:
    """The Dataset record of one indicator in `rel`, or None for an id not in its catalogue."""
    from data import queries

    ind = rel.catalog.get(ind_id)
    if ind is None:
        return None
    root = site_root()
    years = queries.indicator_years(rel, ind.id)
    levels = queries.indicator_levels(rel, ind.id)
    synthetic = rel.synthetic and not ind.official
    # In the page's language (?lang=en: the catalogue's English name, its texts through the message catalogue).
    name = indicator_name(ind)
    description = _("{definition} Rumus: {formula}. Satuan: {unit}.").format(definition=_(ind.definisi), formula=_(ind.rumus),
                                                                            unit=unit_name(ind.satuan))
    description = f"{_(SYNTHETIC)} {description}" if synthetic else description
    distribution = [
        {"@type": "DataDownload", "name": _("{name} per {level}, semua tahun ({format})").format(name=name, level=LEVEL_NAMES[lv], format=FORMATS[fmt].name),
         "encodingFormat": FORMATS[fmt].mimetype, "contentUrl": root + download_url("peta", fmt, indikator=ind.id, tahun="semua", tingkat=lv, lang=in_address())}
        for lv in MAP_LEVELS if lv in levels and lv != "kecamatan" for fmt in TABLE_FORMATS  # kecamatan come a parent at a time
    ] + [
        {"@type": "DataDownload", "name": _("{name}, semua tingkat dan tahun (API, {format})").format(name=name, format=label), "encodingFormat": mime,
         "contentUrl": root + api_url("nilai", indikator=ind.id, **extra)}
        for label, mime, extra in (("JSON", "application/json", {}), ("CSV", "text/csv", {"format": "csv"}))
    ]
    url = root + links_url(indicator_url(ind.id), lang=in_address())
    record = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": _("{name} (data sintetis)").format(name=name) if synthetic else name,
        "description": description,
        "inLanguage": language(),
        "url": url,
        "identifier": f"{ind.id}@{rel.id}",
        "version": rel.id,
        "dateModified": rel.manifest.get("dibuat", "")[:10],
        "keywords": [k for k in (pick(ind.domain, _(DOMAIN_NAMES.get(ind.domain, ind.domain))), ind.kode_sdg and f"SDG {ind.kode_sdg}", "DTSEN",
                                 _("data sintetis") if synthetic else None) if k],
        "license": "https://www.bps.go.id" if ind.official else CC_BY,
        "isAccessibleForFree": True,
        "creator": BPS if ind.official else PUBLISHER,
        "publisher": PUBLISHER,
        "temporalCoverage": f"{years[0]}/{years[-1]}" if len(years) > 1 else str(years[0]) if years else None,
        "spatialCoverage": {"@type": "Place", "name": "Indonesia",
                            "description": _("Menurut {levels}").format(levels=", ".join(LEVEL_NAMES.get(lv, lv) for lv in levels))},
        "variableMeasured": {"@type": "PropertyValue", "name": name, "unitText": unit_name(ind.satuan)},
        "citation": citation(rel.id, name, url, rel.manifest.get("dibuat", "")),
        "isBasedOn": root + release_url(rel.id),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": SITE, "url": root + "/"},
        "distribution": distribution,
    }
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def json_ld(record: dict) -> str:
    """The record as a <script type="application/ld+json"> element ('<' escaped, so nothing closes it)."""
    text = json.dumps(record, ensure_ascii=False, indent=None).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>\n'
