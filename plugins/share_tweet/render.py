"""Put share links beside each highlighted quote in rendered HTML.

Works on the HTML tree (BeautifulSoup), never with string templates, so
values are escaped by the serializer.
"""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup, Tag

from .networks import ShareLink

QUOTE_SELECTOR = "mark.inline-quote[id]"


def quote_texts(html: str) -> dict[str, str]:
    """The plain text of every highlighted quote, by anchor."""
    soup = BeautifulSoup(html, "html.parser")
    return {mark["id"]: mark.get_text() for mark in soup.select(QUOTE_SELECTOR)}


def link_list(soup: BeautifulSoup, links: list[ShareLink], what: str, css: str) -> Tag:
    """A ``<span>`` of plain share links with accessible names."""
    box = soup.new_tag("span", attrs={"class": css})
    for link in links:
        anchor = soup.new_tag(
            "a",
            attrs={
                "class": f"share share-{link.network}",
                "href": link.href,
                "aria-label": f"Share {what} on {link.name}",
                "rel": "noopener noreferrer",
            },
        )
        anchor.string = link.name
        box.append(anchor)
        box.append(" ")
    return box


def add_share_links(html: str, links_for: Callable[[str], list[ShareLink]]) -> str:
    """Insert the links ``links_for(anchor)`` returns right after each quote."""
    soup = BeautifulSoup(html, "html.parser")
    for mark in soup.select(QUOTE_SELECTOR):
        links = links_for(mark["id"])
        if links:
            mark.insert_after(link_list(soup, links, "this quote", "quote-share"))
            mark.insert_after(" ")
    return str(soup)
