"""Every feed of a site, and its redirects, from its articles. No Pelican import.

``plugin.py`` hands this module the articles Pelican read (read through their
attributes only) and writes what it returns; everything a feed decides is
here: identity from the ledger, items, social posts per network, the drip,
campaign tags, old addresses.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from culture_hub.share_tweet.mentions import handles_for

from .cards import CardSpec, cached_card, drawable
from .catalogue import Feed, Source, build_catalogue
from .items import FeedItem, Image, absolute_html
from .ledger import Ledger
from .quote_pages import QuotePage, quote_pages
from .redirects import Redirect, redirects
from .settings import FeedSettings
from .social import QuoteSource, release, social_items

SHARE_LINKS = re.compile(r'<span class="quote-share">.*?</span>', re.DOTALL)
RELATIVE_URL = re.compile(r"""\s(?:href|src|srcset|poster)=["'](?!https?:|mailto:|tel:)""")


def content_for_feed(html: str, page_url: str) -> str:
    """The body for feeds: absolute URLs, without the page's share links.

    The share links are our own markup (share_tweet.render), removed as text;
    only a body that still has a relative URL is parsed to make it absolute.
    """
    html = SHARE_LINKS.sub("", html)
    return absolute_html(html, page_url) if RELATIVE_URL.search(html) else html


@dataclass
class FeedRun:
    """The feeds' part of one run (``Run.of(settings).part(FeedRun)``)."""

    ledger: Ledger | None = None
    feeds: list[Feed] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # new address → story title
    cards: dict[str, Path] = field(default_factory=dict)  # output name → cached card
    # Every card this build publishes, by output name: the feeds' and every quote
    # page's, planned before anything is rendered (drawn once, by whoever needs it
    # first: the feeds here, the pictures' workers for thumbnails, the page jobs).
    specs: dict[str, CardSpec] = field(default_factory=dict)
    # Each story's quotes whose card this build publishes: source path → anchor → card
    # name. The story page shows those cards (``images/quote_cards.py``), so the page,
    # the quote's own page and the feeds agree on one card per quote.
    story_cards: dict[str, dict[str, str]] = field(default_factory=dict)
    # Each story's page and address, by GUID: its HTML is put into the feeds only at
    # output time (``with_content``). A page's content is worked out once (Pelican
    # memoizes it), and only after every generator's context is made does Pelican
    # know the pictures its {static} links point at: asked for earlier, the page
    # itself would be published with a literal "{static}" in it.
    pages: dict[str, tuple[Any, str]] = field(default_factory=dict)
    quote_pages: list[QuotePage] = field(default_factory=list)  # each public quote's own page


def image_of(article: Any, content_root: Path, siteurl: str) -> Image | None:
    image = getattr(article, "image", "")
    if not image:
        return None
    path = content_root / image
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    size = path.stat().st_size if path.is_file() else 0
    return Image(f"{siteurl}/{image.lstrip('/')}", mime, size)


def handles_of(article: Any, quote: Any, config: FeedSettings) -> dict[str, str]:
    """Network → handle a quote's posts mention: the quote's own ``via`` on X,
    else the first author's, else the site's."""
    people = getattr(article, "people", [])
    site = {"x": config.site_x, "mastodon": config.site_mastodon, "bluesky": config.site_bluesky}
    return handles_for(people[0] if people else None, quote.post.via, site)


def quote_sources(article: Any, config: FeedSettings) -> list[QuoteSource]:
    """The story's public quotes (those with share links), in order."""
    departments = getattr(article, "departments", [])
    campaign = departments[0].id if departments else ""
    public = [q for q in getattr(article, "quotes", []) if q.links]
    return [
        QuoteSource(
            anchor=quote.anchor,
            order=order,
            text=quote.text,
            prefix=quote.post.prefix,
            hashtags=quote.post.suffix,
            handles=handles_of(article, quote, config),
            url=quote.url,
            story_title=article.title,
            story_url=quote.story_url,
            campaign=campaign,
            link=quote.link,
        )
        for order, quote in enumerate(public)
    ]


class Quoted(Protocol):
    """A quote as a card needs it: a ``QuoteSource`` or the share capability's ``Quote``."""

    anchor: str
    text: str


def card_specs(article: Any, quotes: Sequence[Quoted], sitename: str) -> dict[str, CardSpec]:
    """Each quote's card (by the quote's item GUID suffix, its anchor)."""
    people = getattr(article, "people", [])
    departments = getattr(article, "departments", [])
    department = departments[0] if departments else None
    return {
        quote.anchor: CardSpec(
            quote.text,
            people[0].name if people else sitename,
            department.name if department else "",
            department.colour if department else "#38576b",
            sitename,
        )
        for quote in quotes
    }


def source_of(
    article: Any, ledger: Ledger, config: FeedSettings, now: datetime, content_root: Path
) -> tuple[Source, Quotes, dict[str, CardSpec]]:
    """One article's item (GUID recorded in the ledger), its quotes and their cards
    (by anchor)."""
    relative = Path(os.path.relpath(article.source_path, content_root))
    url = f"{config.siteurl}/{article.url}"
    identity = ledger.identify(
        path=relative.as_posix(),
        body=article.source_digest,
        key=f"{article.title}|{article.date.isoformat()}",
        date=article.date,
        now=now,
        explicit_id=getattr(article, "id", ""),
        prefix=config.guid_prefix,
        exists=lambda p: (content_root / p).is_file(),
        address=article.url,
    )
    published = max(article.date, identity.first_seen)
    updated = max(getattr(article, "modified", None) or published, published)
    categories = tuple(
        [d.name for d in article.departments] + [t.name for t in getattr(article, "tags", [])]
    )
    item = FeedItem(
        guid=identity.guid,
        title=article.title,
        link=url,
        summary=article.summary_text,
        content="",  # filled in only for items a feed shows: see with_content
        published=published,
        updated=updated,
        authors=tuple(p.name for p in article.people),
        categories=categories,
        image=image_of(article, content_root, config.siteurl),
    )
    quotes = quote_sources(article, config)
    permalink = f"{config.siteurl}/{ledger.first_address(identity.guid) or article.url}"
    source = Source(item, article.kind, tuple(article.departments), tuple(article.people), {})
    cards = card_specs(article, quotes, config.sitename) if config.cards else {}
    return source, Quotes(quotes, permalink), cards


@dataclass(frozen=True)
class Quotes:
    """A story's public quotes, composed into posts only if a feed can show them."""

    quotes: list[QuoteSource]
    permalink: str  # the story's first address: the network feeds' GUIDs


def newest_release(
    sources: Sequence[Source], quotes: Sequence[Quotes], config: FeedSettings, now: datetime
) -> datetime | None:
    """The release time of the oldest quote a social feed can show, or ``None``
    when every released quote fits. Composing a post for every network costs
    (graphemes, bisection): at thousands of quotes, only those compete for a
    feed's ``FEED_MAX_ITEMS`` places are composed. Ties are all kept, so each
    feed still picks its own newest in its own order."""
    times = sorted(
        (
            when
            for source, story in zip(sources, quotes, strict=True)
            for quote in story.quotes
            if (when := release(source.item.published, quote.order, config.quote_interval)) <= now
        ),
        reverse=True,
    )
    return times[config.max_items - 1] if len(times) > config.max_items else None


def with_social(
    sources: list[Source], quotes: Sequence[Quotes], config: FeedSettings, now: datetime
) -> list[Source]:
    """Each source with its social items (neutral and per network)."""
    cutoff = newest_release(sources, quotes, config, now)
    found = []
    for source, story in zip(sources, quotes, strict=True):
        chosen = [
            quote
            for quote in story.quotes
            if cutoff is None
            or release(source.item.published, quote.order, config.quote_interval) >= cutoff
        ]
        social = social_items(
            source.item,
            chosen,
            networks=config.networks,
            campaign=config.campaign,
            interval=config.quote_interval,
            now=now,
            permalink=story.permalink,
        )
        found.append(replace(source, social=social) if chosen else source)
    return found


def with_content(feeds: list[Feed], pages: dict[str, tuple[Any, str]]) -> list[Feed]:
    """Feed HTML for the items feeds show (a few hundred), not for every article."""
    shown = {item.guid for feed in feeds for item in feed.items} & set(pages)
    html = {guid: content_for_feed(pages[guid][0].content, pages[guid][1]) for guid in shown}

    def filled(item: FeedItem) -> FeedItem:
        return replace(item, content=html[item.guid]) if item.guid in html else item

    return [replace(feed, items=tuple(map(filled, feed.items))) for feed in feeds]


def with_cards(
    feeds: list[Feed], specs: dict[str, CardSpec], state: FeedRun, config: FeedSettings
) -> list[Feed]:
    """Social items get their quote's card as their image; only the quotes feeds show
    (a few hundred at most) get one drawn, and only if the cache lacks it. ``specs``
    are by item GUID (both the neutral and the network feeds' GUIDs)."""
    images: dict[str, Image] = {}
    for feed in feeds:
        for item in feed.items:
            spec = specs.get(item.guid)
            if spec is None or item.guid in images or not drawable(spec):
                continue  # no card (the story's image stays): unknown, done, or not drawable
            card = cached_card(spec, config.cache / "cards")
            state.cards[spec.name] = card
            state.specs[spec.name] = spec
            url = f"{config.siteurl}/cards/{spec.name}"
            images[item.guid] = Image(url, "image/png", card.stat().st_size)

    def carded(item: FeedItem) -> FeedItem:
        return replace(item, image=images[item.guid]) if item.guid in images else item

    return [replace(feed, items=tuple(map(carded, feed.items))) for feed in feeds]


def plan_cards(state: FeedRun, stories: Sequence[tuple[str, dict[str, CardSpec]]]) -> None:
    """Every card this build publishes (``state.specs``: the feeds' cards, then each
    quote page's) and which story's quote shows which (``state.story_cards``).

    The stories are those the feeds read (no draft, nothing scheduled) and their
    quotes only the public ones (with share links), so nothing unpublished ever
    gets a card; a quote whose card cannot be drawn (``drawable``) has none here."""
    for page in state.quote_pages:
        if page.card is not None:
            state.specs.setdefault(page.card.name, page.card)
    for path, cards in stories:
        shown = {anchor: spec.name for anchor, spec in cards.items() if spec.name in state.specs}
        if shown:
            state.story_cards[path] = shown


def assemble(
    state: FeedRun,
    articles: Sequence[Any],
    departments: Sequence[Any],
    people: Sequence[Any],
    *,
    config: FeedSettings,
    now: datetime,
    content_root: Path,
    taken: Iterable[str] = (),
) -> None:
    """Fill ``state`` with the site's feeds and redirects (``state.ledger`` is loaded)."""
    assert state.ledger is not None
    pages: dict[str, tuple[Any, str]] = {}
    sources = []
    quotes = []
    current: dict[str, str] = {}
    specs: dict[str, CardSpec] = {}
    story_specs: list[tuple[str, dict[str, CardSpec]]] = []
    for article in articles:
        source, story_quotes, cards = source_of(article, state.ledger, config, now, content_root)
        guid = source.item.guid
        for anchor, card in cards.items():  # by the neutral and the network feeds' GUIDs
            specs[f"{guid}#{anchor}"] = specs[f"{story_quotes.permalink}#{anchor}"] = card
        state.quote_pages += quote_pages(
            article, cards, siteurl=config.siteurl, sitename=config.sitename,
            site_image=config.site_image, site_alt=config.site_image_alt,
        )  # fmt: skip
        story_specs.append((article.source_path, cards))
        sources.append(source)
        quotes.append(story_quotes)
        pages[guid] = (article, f"{config.siteurl}/{article.url}")
        current[guid] = article.url
        state.titles[article.url] = article.title
    feeds = build_catalogue(
        with_social(sources, quotes, config, now),
        departments,
        people,
        sitename=config.sitename,
        siteurl=config.siteurl,
        language=config.language,
        hub=config.hub,
        limit=config.max_items,
        networks=config.networks,
    )
    state.pages = pages
    state.feeds = with_cards(feeds, specs, state, config)
    plan_cards(state, story_specs)
    state.redirects = redirects(state.ledger.addresses(), current, taken)
