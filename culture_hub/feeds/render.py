"""RSS 2.0, Atom and JSON Feed documents from items, with feedgen. No Pelican import.

Byte-stable by construction: no "now" anywhere (the feed's own dates are its
newest item's), a fixed generator string, items in a fixed order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from markupsafe import escape

from .items import FeedItem, FeedMeta, xml_text

GENERATOR = "Culture hub (Pelican + feedgen)"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _newest(items: Sequence[FeedItem], meta: FeedMeta) -> datetime:
    """The feed's date: its newest item's; an empty feed's is the site's newest
    (1970 is "implausible" to the W3C validator, and "now" would change every build)."""
    return max((i.updated for i in items), default=meta.updated or EPOCH)


def _generator(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.load_extension("dc")
    fg.id(f"{siteurl}/{meta.path}")
    fg.title(xml_text(meta.title))
    fg.description(xml_text(meta.description))
    fg.language(meta.language)
    fg.link(href=f"{siteurl}/{meta.path}.{fmt}.xml", rel="self")
    if meta.hub:
        fg.link(href=meta.hub, rel="hub")
    fg.link(href=meta.home, rel="alternate")
    fg.generator(GENERATOR)
    fg.updated(_newest(items, meta))
    fg.lastBuildDate(_newest(items, meta))
    for item in items:
        entry = fg.add_entry(order="append")
        # feedgen's id() and guid() each set both the Atom id and the RSS guid
        if fmt == "atom":
            entry.id(atom_id(item.guid))
        else:
            entry.guid(item.guid, permalink=item.permalink)
        entry.title(xml_text(item.title))
        entry.link(href=item.link)
        entry.published(item.published)
        entry.updated(item.updated)
        # The summary is plain text; as HTML (escaped) it means the same to every reader,
        # and an "&" in it (a tagged link) is not taken for an undeclared entity.
        summary = str(escape(xml_text(item.summary)))
        entry.description(summary)
        entry.summary(summary, type="html")
        entry.content(xml_text(item.content), type="html")
        for name in item.authors:
            entry.author({"name": xml_text(name)})
            entry.dc.dc_creator(xml_text(name))
        for category in item.categories:
            entry.category(term=xml_text(category))
        if item.image:
            entry.media.content(
                {"url": item.image.url, "medium": "image", "type": item.image.mime}, group=None
            )
            if fmt == "rss":  # feedgen 1.0 drops rel on Atom entry links: keep it out
                entry.enclosure(item.image.url, str(item.image.length), item.image.mime)
    return fg


def atom_id(guid: str) -> str:
    """An Atom entry id for ``guid``: in a URN, ``#`` (a quote's anchor) as ``%23``.

    A URN cannot hold a bare ``#`` (RFC 2141, which the W3C validator follows);
    an address can, and RSS GUIDs are opaque strings that keep it.
    """
    return guid.replace("#", "%23") if guid.startswith("urn:") else guid


def rss(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str) -> bytes:
    return _generator(meta, items, siteurl, "rss").rss_str(pretty=True)


def atom(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str) -> bytes:
    return _generator(meta, items, siteurl, "atom").atom_str(pretty=True)


def json_feed(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta.title,
        "home_page_url": meta.home,
        "feed_url": f"{siteurl}/{meta.path}.json",
        "description": meta.description,
        "language": meta.language,
        "items": [
            {
                "id": item.guid,
                "url": item.link,
                "title": item.title,
                "summary": item.summary,
                "content_html": item.content,
                "date_published": item.published.isoformat(),
                "date_modified": item.updated.isoformat(),
                "authors": [{"name": name} for name in item.authors],
                "tags": list(item.categories),
                **({"image": item.image.url} if item.image else {}),
            }
            for item in items
        ],
    }
    if meta.hub:
        document["hubs"] = [{"type": "WebSub", "url": meta.hub}]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
