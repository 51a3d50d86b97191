"""Each public quote's own small page: the address its share links carry. No Pelican import.

A link to ``story/#quote-3`` previews as the *story* (a fragment cannot carry
an ``og:image`` of its own), so a shared quote would show the story's picture,
not the quote's card. Each public quote therefore gets a page of its own under
its story's folder (``stories/<slug>/quote-3/``): its link preview is the
quote and its card, it is ``noindex`` with a canonical link to the story (so
it never competes with the story in search), and it sends a visitor on to the
quote in its story at once. Share links and the social feeds' links point at
it; GUIDs never do.

Which quotes get one is decided here only (``has_quote_pages``), so the share
links and the pages written (``feeds``) never disagree: a quote of a story the
public build publishes (a story or thought piece, not staff-only, not a draft,
not scheduled), in a build with an absolute ``SITEURL``.
"""

from __future__ import annotations

from typing import Any

from culture_hub.content_model.schema import ARTICLE_KINDS


def quote_page_address(story_url: str, anchor: str) -> str:
    """The site-relative address of a quote's page: ``stories/x/`` + ``quote-3`` →
    ``stories/x/quote-3/`` (a story at ``stories/x.html`` gets ``stories/x/quote-3/``)."""
    folder = story_url.rstrip("/").removesuffix(".html").removesuffix("/index")
    return f"{folder}/{anchor}/" if folder else f"{anchor}/"


def quote_page_file(address: str) -> str:
    """The output file of a quote page's address."""
    return f"{address}index.html"


def has_quote_pages(content: Any, enabled: bool, siteurl: str) -> bool:
    """Whether ``content``'s public quotes get pages of their own in this build.

    Only what the public reads and the feeds show: a story or thought piece,
    not staff-only, not a draft, not scheduled, and only when links can be
    absolute (a link preview's image must be).
    """
    return (
        enabled
        and siteurl.startswith(("https://", "http://"))
        and getattr(content, "kind", "") in ARTICLE_KINDS
        and not getattr(content, "internal", False)
        and not getattr(content, "draft", False)
        and not getattr(content, "scheduled", False)
    )
