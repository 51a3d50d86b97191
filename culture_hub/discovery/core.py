"""Link previews and discovery as data: JSON-LD, reading time, related stories, sitemap.

No Pelican import: articles are anything with the attributes used here.
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lxml import etree

WORDS_PER_MINUTE = 220  # the default of READING_WORDS_PER_MINUTE (discovery/settings.py)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def reading_minutes(html: str, per_minute: int = WORDS_PER_MINUTE) -> int:
    words = len(re.sub(r"<[^>]+>", " ", html).split())
    return max(1, math.ceil(words / per_minute))


def script_json(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: cannot close the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_json_ld(
    *, title: str, summary: str, url: str, image: str, published: str, modified: str,
    authors: Sequence[tuple[str, str]], publisher: str, site: str, logo: str = "",
) -> str:  # fmt: skip
    """schema.org ``Article``: what search engines and link previews read."""
    return script_json(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": title,
            "description": summary,
            "url": url,
            "mainEntityOfPage": url,
            "image": [image],
            "datePublished": published,
            "dateModified": modified,
            "author": [{"@type": "Person", "name": name, "url": link} for name, link in authors],
            "publisher": _publisher(publisher, site, logo),
        }
    )


def _publisher(name: str, site: str, logo: str) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "Organization", "name": name, "url": site}
    if logo:  # Google asks for a logo of at least 112 px, as an ImageObject
        publisher["logo"] = {"@type": "ImageObject", "url": logo, "width": 512, "height": 512}
    return publisher


def paginated_urls(url: str, count: int, per_page: int | None) -> list[str]:
    """A listing's page addresses: ``url`` then ``url/page/N/`` while stories remain
    (the ``PAGINATION_PATTERNS`` of the site's settings)."""
    pages = max(1, math.ceil(count / per_page)) if per_page else 1
    base = url.rstrip("/")
    return [url] + [f"{base}/page/{number}/" for number in range(2, pages + 1)]


def save_as_url(save_as: str) -> str | None:
    """The address of a page saved as ``save_as``: pretty folders only (None for other files)."""
    if save_as == "index.html":
        return ""
    if save_as.endswith("/index.html"):
        return save_as[: -len("index.html")]
    return None


# Newest stories looked at per shared department or tag. Not a setting: it bounds
# the work per story (related stories are picked from at most this many per key).
RELATED_POOL = 12


def related_index(articles: Sequence[Any]) -> dict[tuple[str, str], list[Any]]:
    """Articles by department and by tag, newest first (``articles`` is newest first)."""
    index: dict[tuple[str, str], list[Any]] = {}
    for article in articles:
        for dept in article.departments:
            index.setdefault(("dept", dept.id), []).append(article)
        for tag in getattr(article, "tags", []):
            index.setdefault(("tag", tag.slug), []).append(article)
    return index


def related(article: Any, index: dict[tuple[str, str], list[Any]], limit: int = 3) -> list[Any]:
    """Stories sharing departments or tags: most shared first, then newest.

    Only the newest ``RELATED_POOL`` stories of each shared department and tag
    are candidates, which keeps this linear in the size of the site (scoring
    every pair of stories took minutes at a few thousand).
    """
    keys = [("dept", d.id) for d in article.departments]
    keys += [("tag", t.slug) for t in getattr(article, "tags", [])]
    scores: dict[int, list[Any]] = {}
    for key in keys:
        weight = 2 if key[0] == "dept" else 1
        for other in index.get(key, [])[: RELATED_POOL + 1]:
            if other is not article:
                entry = scores.setdefault(id(other), [0, other])
                entry[0] += weight
    ranked = sorted(
        scores.values(), key=lambda e: (e[0], e[1].date, e[1].source_path), reverse=True
    )
    return [entry[1] for entry in ranked[:limit]]


def sitemap(urls: Sequence[tuple[str, str]]) -> bytes:
    """``sitemap.xml`` for (absolute URL, last modified ISO date) pairs, sorted."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in sorted(set(urls)):
        entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = loc
        if lastmod:
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG, GIF or JPEG header, without an imaging library."""
    try:
        with path.open("rb") as file:
            data = file.read(65536)
    except OSError:
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        at = 2
        while at + 9 < len(data):
            if data[at] != 0xFF:
                return None
            marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return width, height
            at += 2 + length
    return None
