"""Each public quote's card, shown where the social team shares it: in the quote's share block.

The feeds capability plans a 1200x630 PNG card for every public quote this
build publishes (``feeds/assemble.py`` ``plan_cards``: the cards its social
feeds carry and each quote page's ``og:image``) and publishes it as
``cards/<digest>.png``. Beside the quote's share links, the story page gets a
small thumbnail of that card, a link that downloads it, so whoever posts by
hand posts the same picture the schedulers attach and the link preview shows.
No Pelican import.

Only quotes whose card this build publishes get one: a staff-only story's
quotes have no share links and no card, a draft's or a scheduled story's are
not in the feeds, and a quote no font here can draw has no card at all. The
thumbnail is one of the card's responsive variants (made once, cached by
content like every picture), lazy: it is never the full card squeezed into a
few dozen pixels. It is planned from the card's name, a digest of everything
drawn on it, before the card is drawn (``thumbnail_plan``), so every page
knows its files before the page workers are forked. The markup goes into
the share block the share capability wrote (``share_tweet/render.py``), as
our own markup with escaped values, at render time: the page's stored HTML,
which the feeds and the live preview read, is left alone.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.feeds.assemble import card_specs
from culture_hub.feeds.cards import HEIGHT, WIDTH

from .core import Plan, cache_key, plan_of

# A quote and the share block right after it (share_tweet.render's markup).
QUOTE_START = '<mark class="inline-quote" id="{anchor}">'
QUOTE_END = "</mark>"
SHARE_BLOCK = ' <span class="quote-share">'
SHARE_BLOCK_END = "</span>"
# Where the feeds publish the cards (never a content picture's folder).
CARDS = "cards/"
# The widths the thumbnails are made in: enough for a 3.5rem thumbnail on a 3x screen.
THUMBNAIL_WIDTHS = (160, 320)
THUMBNAIL_SIZES = "3.5rem"
ALT = "Download the card for this quote"


@dataclass(frozen=True)
class CardLink:
    """One quote's card: its file under the site, the name a download gets, its thumbnail."""

    path: str  # "cards/<digest>.png"
    download: str  # "<story-slug>-<anchor>.png"
    thumbnail: Plan | None  # None when pictures are not resized (RESPONSIVE_IMAGES off)


def thumbnail_plan(name: str, quality: int) -> Plan:
    """The thumbnail of the card ``name`` (``<digest>.png``), planned without the card.

    The name is a digest of everything drawn on the card and of how it is drawn,
    so it identifies the card as its bytes would: an unchanged quote keeps its
    thumbnail, a changed one gets a new one. A card is opaque (JPEG fallback)."""
    key = cache_key(f"card:{name}".encode(), THUMBNAIL_WIDTHS, quality)
    return plan_of(
        f"{CARDS}{name}", key, (WIDTH, HEIGHT), False, THUMBNAIL_WIDTHS, quality, f"{CARDS}r"
    )


def card_links(
    article: Any, planned: Mapping[str, str], cards: Mapping[str, Plan | None], sitename: str
) -> dict[str, CardLink]:
    """The article's quotes that show a card, by anchor, in the page's order.

    ``planned`` is the feeds' plan for this story (anchor → card name) and
    ``cards`` every card this build publishes, with its thumbnail. The card is
    worked out again from the quote as it is now: a quote edited in the live
    preview since the plan shows no card rather than its old one."""
    if not planned:
        return {}
    public = [quote for quote in getattr(article, "quotes", []) if quote.links]
    return {
        anchor: CardLink(f"{CARDS}{spec.name}", f"{article.slug}-{anchor}.png", cards[spec.name])
        for anchor, spec in card_specs(article, public, sitename).items()
        if planned.get(anchor) == spec.name and spec.name in cards
    }


def card_link_markup(link: CardLink, prefix: str) -> str:
    """The link to a card: its thumbnail (or its name, without one), named for what it does."""
    attributes = (
        f'class="quote-card" href="{html.escape(prefix + link.path)}" '
        f'download="{html.escape(link.download)}" data-pagefind-ignore'
    )
    plan = link.thumbnail
    if plan is None:
        hidden = '<span class="visually-hidden"> for this quote</span>'
        return f"<a {attributes}>Download the card{hidden}</a>"
    webp = html.escape(plan.srcset("webp", prefix))
    fallback = html.escape(plan.srcset(plan.fallback, prefix))
    smallest = next(v.name for v in plan.variants if v.format == plan.fallback)
    return (
        f"<a {attributes}><picture>"
        f'<source type="image/webp" srcset="{webp}" sizes="{THUMBNAIL_SIZES}">'
        f'<img src="{html.escape(prefix + smallest)}" srcset="{fallback}" '
        f'sizes="{THUMBNAIL_SIZES}" width="{plan.width}" height="{plan.height}" alt="{ALT}" '
        'loading="lazy" decoding="async"></picture></a>'
    )


def with_card_links(body: str, links: Mapping[str, CardLink], prefix: str) -> str:
    """``body`` with each quote's card link at the end of its share block.

    ``links`` are by the quote's anchor (``quote-1``), in the page's order; a
    quote without one, or without a share block (a staff-only story), is left
    as it was. Found with plain searches from one cursor, never a pattern that
    could scan a hostile body once per quote-like tag: linear in the body."""
    if not links or SHARE_BLOCK not in body:
        return body
    parts: list[str] = []
    cursor = 0
    for anchor, link in links.items():
        start = body.find(QUOTE_START.format(anchor=anchor), cursor)
        end = body.find(QUOTE_END, start) if start >= 0 else -1
        if end < 0 or not body.startswith(SHARE_BLOCK, end + len(QUOTE_END)):
            continue
        close = body.find(SHARE_BLOCK_END, end + len(QUOTE_END) + len(SHARE_BLOCK))
        if close < 0:
            continue
        parts += [body[cursor:close], " ", card_link_markup(link, prefix)]
        cursor = close
    parts.append(body[cursor:])
    return "".join(parts)
