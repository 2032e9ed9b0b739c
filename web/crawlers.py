"""What crawlers and harvesters read first: /robots.txt and /sitemap.xml.

Both name the site by its configured public address (web/public_url.py), never the Host header.
The sitemap lists every page a reader can land on from a search: the main pages, every region
profile and every indicator of the current release, and every release still standing.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Flask, Response

from components import links
from data import queries
from web.public_url import site_root

# Crawled: the pages. Not crawled: Dash's machinery, the files and the API (a crawler following every
# combination of a download's parameters would ask for millions of files; harvesters find the files
# through each indicator page's schema.org Dataset and the API's OpenAPI document), and search results.
DISALLOWED = ("/_dash-", "/_reload-hash", links.DOWNLOADS + "/", links.API + "/", "/api/", links.GEO + "/", links.SEARCH)


# Allowed inside the files: the images that share previews point at (a card's crawler obeys robots.txt,
# and Allow with the longer path wins over the shorter Disallow, RFC 9309 §2.2.2).
ALLOWED_FILES = (links.DOWNLOADS + "/peta.png", links.DOWNLOADS + "/peta.svg", links.DOWNLOADS + "/grafik/")


def robots_txt() -> str:
    lines = (["User-agent: *", "Allow: /"] + [f"Allow: {p}" for p in ALLOWED_FILES] + [f"Disallow: {p}" for p in DISALLOWED]
             + ["", f"Sitemap: {site_root()}{links.sitemap_url()}", ""])
    return "\n".join(lines)


def sitemap_urls(rel, releases: list[dict]) -> list[tuple[str, str]]:
    """(path, lastmod date) of every page in the sitemap, main pages first."""
    day = rel.manifest.get("dibuat", "")[:10]
    main = [links.home_url(), links.map_url(), links.indicator_url(), links.target_url(), links.release_url(), links.about_url(),
            links.usage_url(), links.schedule_url(), links.report_url(), links.compare_url()]  # a comparison's start, not every pair
    out = [(p, day) for p in main]
    out += [(links.indicator_url(i), day) for i in rel.catalog]
    out += [(links.region_url("00"), day)] + [(links.region_url(k), day) for k in rel.regions.index]
    out += [(links.release_url(r["id"]), r["manifest"].get("dibuat", "")[:10]) for r in releases if not r["withdrawn"]]
    return out


def sitemap_xml(rel, releases: list[dict]) -> str:
    root = site_root()
    entries = "".join(f"<url><loc>{escape(root + path)}</loc>{f'<lastmod>{day}</lastmod>' if day else ''}</url>\n"
                      for path, day in sitemap_urls(rel, releases))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")


def register_crawlers(server: Flask) -> None:
    @server.route(links.robots_url())
    def robots():
        return Response(robots_txt(), mimetype="text/plain")

    @server.route(links.sitemap_url())
    def sitemap():
        return Response(sitemap_xml(queries.release(), queries.store().listing()), mimetype="application/xml")
