"""What each quote's own page shows (``share_tweet/landing.py``: which get one). No Pelican import.

The page is the quote's link preview: its card as ``og:image`` when the quote
has one, else the story's picture, else the site's. ``plugin.py`` writes the
pages with the theme's ``quote.html``, as jobs of the parallel writer. Each
page's card is one of the cards the build publishes (``assemble.plan_cards``),
the one its story page shows too; a card not drawn yet (by the feeds, or by the
pictures' workers with its thumbnail) is drawn by those jobs, once per content.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.share_tweet.landing import quote_page_file

from .cards import HEIGHT, WIDTH, CardSpec, cached_card, drawable, place
from .redirects import Redirect


@dataclass(frozen=True)
class QuotePage:
    """One quote page, ready for the template (plain strings only)."""

    file: str  # the output file, relative to the output folder
    address: str  # site-relative
    story: str  # the story's address, site-relative
    url: str  # absolute: the page's own og:url
    quote: str
    author: str
    story_title: str
    story_url: str  # the canonical link
    target: str  # the quote in its story, where visitors are sent
    image: str  # absolute
    image_alt: str
    image_size: tuple[int, int] | None
    image_type: str
    card: CardSpec | None  # drawn by the page's job when the feeds did not draw it

    @property
    def description(self) -> str:
        return f"{self.author}, in “{self.story_title}”"


def quote_pages(
    article: Any,
    cards: Mapping[str, CardSpec],
    *,
    siteurl: str,
    sitename: str,
    site_image: str,
    site_alt: str,
) -> list[QuotePage]:
    """The pages of ``article``'s public quotes that have one (``quote.page``); ``cards``
    by anchor (empty when cards are off)."""
    people = getattr(article, "people", [])
    author = people[0].name if people else sitename
    story_url = f"{siteurl}/{article.url}"
    found = []
    for quote in getattr(article, "quotes", []):
        if not quote.page or not quote.links:
            continue
        spec = cards.get(quote.anchor)
        if spec is not None and drawable(spec):
            image = f"{siteurl}/cards/{spec.name}"
            alt = f"A card of the quote “{quote.text}” — {spec.author}"
            size: tuple[int, int] | None = (WIDTH, HEIGHT)
            kind = "image/png"
        else:
            spec = None
            cover = getattr(article, "image", "")
            image = f"{siteurl}/{(cover or site_image).lstrip('/')}"
            alt = getattr(article, "image_alt", "") if cover else site_alt
            size = getattr(article, "image_size", None) if cover else None
            kind = mimetypes.guess_type(image)[0] or ""
        found.append(
            QuotePage(
                file=quote_page_file(quote.page),
                address=quote.page,
                story=article.url,
                url=quote.page_url,
                quote=quote.text,
                author=author,
                story_title=article.title,
                story_url=story_url,
                target=quote.url,
                image=image,
                image_alt=alt,
                image_size=size,
                image_type=kind,
                card=spec,
            )
        )
    return found


def at_old_addresses(
    pages: Iterable[QuotePage], redirects: Iterable[Redirect]
) -> list[tuple[str, str, QuotePage]]:
    """The same pages under each old address of their story (``file, address, page``):
    a quote link posted before the story's title changed keeps its preview and still
    leads to the quote (the story's own old address is a redirect page)."""
    by_story: dict[str, list[QuotePage]] = {}
    for page in pages:
        by_story.setdefault(page.story, []).append(page)
    found = []
    for redirect in redirects:
        for page in by_story.get(redirect.new, []):
            address = redirect.old + page.address.removeprefix(page.story)
            found.append((quote_page_file(address), address, page))
    return found


def draw_and_place(spec: CardSpec, cache: Path, target: Path) -> None:
    """A writer job: the card from the cache (drawn if missing), put into the output."""
    place(cached_card(spec, cache), target)
