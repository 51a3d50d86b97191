"""RSS 2.0, Atom and JSON Feed documents from items, with feedgen. No Pelican import.

Byte-stable by construction: no "now" anywhere (the feed's own dates are its
newest item's), a fixed generator string, items in a fixed order.

A story is an item of several feeds (the site's, its department's, its
people's...): about three on average. feedgen builds each item's XML again
for every feed it is in, so an item's element is made once per format
(``_element``, a cache of a pure function of the item) and each feed gets a
copy, put where feedgen puts its own (``_document``). The bytes are
feedgen's own: a test holds them equal to ``atom_str``/``rss_str``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.ext.media import MediaEntryExtension, MediaExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import escape

from .items import FeedItem, FeedMeta, xml_text

GENERATOR = "Culture hub (Pelican + feedgen)"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _newest(items: Sequence[FeedItem], meta: FeedMeta) -> datetime:
    """The feed's date: its newest item's; an empty feed's is the site's newest
    (1970 is "implausible" to the W3C validator, and "now" would change every build)."""
    return max((i.updated for i in items), default=meta.updated or EPOCH)


# feedgen's extensions (namespace, feed class, entry class), registered by class:
# ``load_extension`` tries to import a module that does not exist each time, which
# was 45 ms of failed imports in a 500-story build.
EXTENSIONS = (
    ("media", MediaExtension, MediaEntryExtension),
    ("dc", DcExtension, DcEntryExtension),
)
# Items whose element is kept, per process and format: more than a feed-heavy
# site's distinct items (the newest 50 of each feed), fewer than would hold
# every story's HTML of a large site twice over.
ELEMENTS_KEPT = 4096


def _generator(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str, fmt: str) -> FeedGenerator:
    """The whole feed as feedgen's own object (``_document`` writes the same bytes faster)."""
    fg = _frame(meta, _newest(items, meta), siteurl, fmt)
    for item in items:
        _fill(fg.add_entry(order="append"), item, fmt)
    return fg


def _frame(meta: FeedMeta, newest: datetime, siteurl: str, fmt: str) -> FeedGenerator:
    """The feed without its items."""
    fg = FeedGenerator()
    for namespace, feed_class, entry_class in EXTENSIONS:
        fg.register_extension(namespace, feed_class, entry_class)
    fg.id(f"{siteurl}/{meta.path}")
    fg.title(xml_text(meta.title))
    fg.description(xml_text(meta.description))
    fg.language(meta.language)
    fg.link(href=f"{siteurl}/{meta.path}.{fmt}.xml", rel="self")
    if meta.hub:
        fg.link(href=meta.hub, rel="hub")
    fg.link(href=meta.home, rel="alternate")
    fg.generator(GENERATOR)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    return fg


def _fill(entry: FeedEntry, item: FeedItem, fmt: str) -> None:
    """Set ``entry``'s fields from ``item``, for a feed in ``fmt``."""
    # feedgen's id() and guid() each set both the Atom id and the RSS guid
    if fmt == "atom":
        entry.id(atom_id(item.guid))
    else:
        entry.guid(item.guid, permalink=item.permalink)
    entry.title(xml_text(item.title))
    entry.link(href=item.link)
    # As plain datetimes: feedgen writes RSS dates with strftime, which a
    # subclass (Pelican's dates are SafeDatetime) runs in Python, not C.
    entry.published(_plain(item.published))
    entry.updated(_plain(item.updated))
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


def _plain(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), moment.timetz())  # timetz keeps fold


def _element(item: FeedItem, fmt: str) -> etree._Element:
    """``item``'s ``<entry>`` or ``<item>``, as feedgen makes it for any feed.

    Never changed once made: a feed gets a copy (``_document``). Kept by the
    item and its dates as written: two dates in different zones are equal
    when they are the same moment, but are written differently."""
    return _made(item, fmt, item.published.isoformat(), item.updated.isoformat())


@lru_cache(maxsize=ELEMENTS_KEPT)
def _made(item: FeedItem, fmt: str, *_written: str) -> etree._Element:
    entry = FeedEntry()
    for namespace, _, entry_class in EXTENSIONS:
        entry.register_extension(namespace, entry_class)
    _fill(entry, item, fmt)
    return entry.atom_entry() if fmt == "atom" else entry.rss_entry()


def _document(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str, fmt: str) -> bytes:
    """The feed as ``atom_str``/``rss_str(pretty=True)`` would write it, its items'
    elements copied from ``_element`` into feedgen's own frame of the feed."""
    frame = _frame(meta, _newest(items, meta), siteurl, fmt)
    root, document = frame._create_atom() if fmt == "atom" else frame._create_rss()
    parent = root if fmt == "atom" else root.find("channel")
    for item in items:
        parent.append(copy.deepcopy(_element(item, fmt)))
    return etree.tostring(document, pretty_print=True, encoding="UTF-8", xml_declaration=True)


def atom_id(guid: str) -> str:
    """An Atom entry id for ``guid``: in a URN, ``#`` (a quote's anchor) as ``%23``.

    A URN cannot hold a bare ``#`` (RFC 2141, which the W3C validator follows);
    an address can, and RSS GUIDs are opaque strings that keep it.
    """
    return guid.replace("#", "%23") if guid.startswith("urn:") else guid


def rss(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str) -> bytes:
    return _document(meta, items, siteurl, "rss")


def atom(meta: FeedMeta, items: Sequence[FeedItem], siteurl: str) -> bytes:
    return _document(meta, items, siteurl, "atom")


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
