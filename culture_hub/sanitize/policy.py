"""The HTML allow-list: what Markdown produces, and nothing that can run.

One table, used by the build (every story, page, summary, bio and department
description goes through :func:`clean`) and by the rule that tells writers
what was removed (:func:`unsafe_parts`). No Pelican import.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

import nh3

TAGS = frozenset(nh3.ALLOWED_TAGS - {"acronym", "center", "area", "map"}) | {"mark"}
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers", "style", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "style", "align"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
}
# Markdown's tables align cells with style="text-align: …"; nothing else.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = ("href", "src", "cite", "action", "formaction", "xlink:href", "poster", "data")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def clean(html: str) -> str:
    """Sanitize rendered HTML: keep ordinary Markdown output, drop anything live."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """The text a reader sees in ``html``: no tags, no comments, no script contents.

    A quote's share text is made from this, so nothing hidden from the page
    (an HTML comment, say) can be posted by a scheduler.
    """
    return htmllib.unescape(nh3.clean(html, tags=set(), attributes={}, strip_comments=True))


@dataclass(frozen=True)
class Unsafe:
    """Something :func:`clean` removes: ``needle`` is what to look for in the source."""

    what: str
    needle: str


def _scheme(url: str) -> str:
    found = _SCHEME.match(_INVISIBLE.sub("", url))
    return found.group(1).lower() if found else ""


def unsafe_parts(html: str) -> list[Unsafe]:
    """Name each tag, attribute or URL in ``html`` that the policy does not allow."""
    found: list[Unsafe] = []
    # Imported when needed (a body with something to report or to make absolute):
    # BeautifulSoup and soupsieve take a twentieth of a second of every start.
    from bs4 import BeautifulSoup  # noqa: PLC0415

    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        tag = element.name.lower()
        if tag not in TAGS:
            found.append(Unsafe(f"the <{tag}> element", f"<{tag}"))
            continue
        allowed = ATTRIBUTES.get(tag, set()) | GLOBAL_ATTRIBUTES
        for name, value in element.attrs.items():
            if name.lower() not in allowed:
                found.append(Unsafe(f"the {name} attribute on <{tag}>", name))
            elif name.lower() in URL_ATTRIBUTES:
                scheme = _scheme(str(value))
                if scheme and scheme not in URL_SCHEMES:
                    found.append(Unsafe(f"a {scheme}: link", str(value)[:20]))
    return found
