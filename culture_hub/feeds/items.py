"""Feed items as plain data, and the clean-up every item needs. No Pelican import.

Items carry absolute URLs only: relative ``src``/``href`` in content are
resolved against the item's page, as a browser would, because feed readers
and schedulers do not resolve them. Characters XML 1.0 forbids are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

# XML 1.0 allows tab, newline, carriage return and U+0020 upwards, minus
# surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
URL_ATTRIBUTES = {"a": ("href",), "img": ("src",), "source": ("src",), "video": ("src", "poster")}


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _FORBIDDEN.sub("", text)


def absolute_html(html: str, page_url: str) -> str:
    """Every link and image in ``html`` made absolute against ``page_url``."""
    # Imported when needed (a body with something to report or to make absolute):
    # BeautifulSoup and soupsieve take a twentieth of a second of every start.
    from bs4 import BeautifulSoup  # noqa: PLC0415

    soup = BeautifulSoup(html, "html.parser")
    for tag, attributes in URL_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            for name in attributes:
                if element.get(name):
                    element[name] = urljoin(page_url, element[name].strip())
            if element.get("srcset"):
                element["srcset"] = ", ".join(
                    " ".join([urljoin(page_url, part.split()[0]), *part.split()[1:]])
                    for part in element["srcset"].split(",")
                    if part.strip()
                )
    return str(soup)


@dataclass(frozen=True)
class Image:
    url: str
    mime: str
    length: int


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    link: str
    summary: str
    content: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: Image | None = None
    permalink: bool = False  # the GUID is an address (RSS isPermaLink="true")


@dataclass(frozen=True)
class FeedMeta:
    """What a feed says about itself; ``path`` (site-relative) lacks the format suffix."""

    key: str
    title: str
    description: str
    path: str
    home: str
    language: str
    hub: str = ""
    updated: datetime | None = None  # the site's newest item: an empty feed's own date
