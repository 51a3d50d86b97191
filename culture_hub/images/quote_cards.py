"""Each public quote's card, shown where the social team shares it: in the quote's share block.

The feeds capability draws a 1200x630 PNG card for every quote its social feeds
carry (``feeds/cards.py``) and publishes it as ``cards/<digest>.png``. Beside
the quote's share links, the story page gets a small thumbnail of that card,
a link that downloads it, so whoever posts by hand posts the same picture the
schedulers attach. No Pelican import.

Only quotes whose card this build publishes get one: a staff-only story's
quotes have no share links and no card, and neither has a quote the feeds do
not carry yet (the drip). The thumbnail is one of the card's responsive
variants (made once, cached by content like every picture), lazy: it is
never the full card squeezed into a few dozen pixels. The markup goes into
the share block the share capability wrote (``share_tweet/render.py``), as
our own markup with escaped values, at render time: the page's stored HTML,
which the feeds and the live preview read, is left alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from culture_hub.share_tweet.render import QUOTE

from .core import Plan

# A quote and the share block right after it (share_tweet.render's markup).
SHARE_BLOCK = re.compile(QUOTE.pattern + r' <span class="quote-share">(.*?)(</span>)', re.DOTALL)
# The widths the thumbnails are made in: enough for a 4rem thumbnail on a 3x screen.
THUMBNAIL_WIDTHS = (160, 320)
THUMBNAIL_SIZES = "4rem"
ALT = "Download the card for this quote"


@dataclass(frozen=True)
class CardLink:
    """One quote's card: its file under the site, the name a download gets, its thumbnail."""

    path: str  # "cards/<digest>.png"
    download: str  # "<story-slug>-<anchor>.png"
    thumbnail: Plan | None  # None when pictures are not resized (RESPONSIVE_IMAGES off)


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

    ``links`` are by the quote's anchor (``quote-1``); a quote without one, or
    without a share block (a staff-only story), is left as it was."""
    if not links or 'class="quote-share"' not in body:
        return body

    def one(block: re.Match[str]) -> str:
        link = links.get(block[2])
        if link is None:
            return block[0]
        end = block.start(6) - block.start(0)
        return f"{block[0][:end]} {card_link_markup(link, prefix)}{block[0][end:]}"

    return SHARE_BLOCK.sub(one, body)
