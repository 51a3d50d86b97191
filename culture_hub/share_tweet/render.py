"""Share links beside each highlighted quote, by string work on our own markup.

The Markdown extension (in the worker that reads the file) records each
quote's plain text and leaves an empty ``<span class="quote-share"
id="share-quote-N">`` after it; once the page's address is known, the links
go into that span. Both steps only touch markup this package generated, so
no HTML parser is needed on the hot path; link text and attributes are
escaped with MarkupSafe.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

from culture_hub.sanitize.policy import plain_text

from .networks import ShareLink

QUOTE = re.compile(r'(<mark class="inline-quote" id="(quote-\d+)">)(.*?)(</mark>)', re.DOTALL)
PLACEHOLDER = re.compile(r'<span class="quote-share" id="share-(quote-\d+)"></span>')


def mark_quotes(html: str) -> tuple[str, dict[str, str]]:
    """Each quote's plain text by anchor, and ``html`` with a link placeholder after it."""
    texts: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        texts[match[2]] = plain_text(match[3])
        return f'{match[0]} <span class="quote-share" id="share-{match[2]}"></span>'

    return QUOTE.sub(placeholder, html), texts


def link_list(links: list[ShareLink], what: str) -> str:
    """Share links as icons (the theme's ``icon-<network>`` symbols) with accessible names.

    No space after the last link: the sentence's own punctuation follows the
    list, and a space there read as "quote X LinkedIn , accounting".
    """
    return " ".join(
        f'<a class="share share-{escape(link.network)}" href="{escape(link.href)}" '
        f'aria-label="Share {escape(what)} on {escape(link.name)}" '
        f'rel="noopener noreferrer"><svg class="icon" aria-hidden="true" focusable="false">'
        f'<use href="#icon-{escape(link.network)}"></use></svg></a>'
        for link in links
    )


def add_share_links(html: str, links_for: Callable[[str], list[ShareLink]]) -> str:
    """Fill each quote's placeholder with its links (or drop it when there are none)."""

    def fill(match: re.Match[str]) -> str:
        links = links_for(match[1])
        if not links:
            return ""
        return f'<span class="quote-share">{link_list(links, "this quote")}</span>'

    return PLACEHOLDER.sub(fill, html)
