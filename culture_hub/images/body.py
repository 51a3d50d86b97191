"""Pictures inside a story's text, shown like its cover: a responsive ``<picture>``. No Pelican.

The reader has already checked every ``<img>`` of a body (``content_model.images``:
a picture in the content folder, alt text, width and height) and the sanitizer
has written it; Pelican has turned its ``{static}`` source into the published
picture's address. Here, at render time, each ``<img>`` whose address is a
picture this build planned (``images.plugin.ImageRun``) becomes a ``<picture>``
with the same variants the covers use (made once, cached by content): WebP and
a fallback in several widths, ``sizes`` for the prose column, lazy and
asynchronous, since a picture in the text is below the fold.

Only our own markup is added, from values that were already in the sanitized
tag or in the plan (escaped again): no attribute the allow-list refused comes
back, and every new address is one of this site's variants. A picture with no
plan (another site's, a missing one the checks reported, or image processing
off) is left exactly as it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import unquote

from .core import Plan

IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
# The sanitizer's serializer writes every attribute as name="value".
ATTRIBUTE = re.compile(r'\s([a-zA-Z][a-zA-Z0-9_:.-]*)(?:="([^"]*)")?')
# Kept from the sanitized tag as they were (the allow-list's global attributes and alt).
KEPT = ("alt", "id", "class", "title", "lang", "dir")
# The prose column: 42rem (672 px) from 48rem up, the width less its padding below.
PROSE_WIDTH = 672
PROSE_SIZES = "(min-width: 48rem) 42rem, calc(100vw - 2rem)"


def slot_sizes(width: int) -> str:
    """``sizes`` for a picture shown ``width`` pixels wide at most, in the prose column.

    A picture narrower than the column keeps its own width (CSS never stretches
    it), so a phone or a 2x screen is not sent a variant for the whole column."""
    if width >= PROSE_WIDTH:
        return PROSE_SIZES
    return f"(min-width: {width + 32}px) {width}px, calc(100vw - 2rem)"


def _size(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 100_000 else None


def picture_markup(attributes: dict[str, str], plan: Plan, prefix: str) -> str:
    """The ``<picture>`` for one sanitized ``<img>``'s (unescaped) ``attributes``.

    Width and height are the tag's (the source's size, or what the writer set);
    one given alone gets the other from the picture's proportions."""
    width, height = _size(attributes.get("width")), _size(attributes.get("height"))
    if width and not height:
        height = max(1, round(width * plan.height / plan.width))
    elif height and not width:
        width = max(1, round(height * plan.width / plan.height))
    elif not width or not height:
        width, height = plan.width, plan.height
    sizes = slot_sizes(width)
    kept = "".join(
        f' {name}="{html.escape(attributes[name])}"' for name in KEPT if name in attributes
    )
    webp = html.escape(plan.srcset("webp", prefix))
    fallback = html.escape(plan.srcset(plan.fallback, prefix))
    return (
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{html.escape(prefix + plan.fallback_src)}" srcset="{fallback}" '
        f'sizes="{sizes}" width="{width}" height="{height}"{kept} loading="lazy" '
        'decoding="async"></picture>'
    )


def responsive_body(body: str, plan_for: Callable[[str], Plan | None], prefix: str) -> str:
    """``body`` with each of this site's planned pictures as a responsive ``<picture>``.

    ``prefix`` is what the page's picture addresses start with (``SITEURL/``);
    ``plan_for`` gives the plan of a picture by its address after it (or None).
    """
    if "<img" not in body:
        return body  # most stories: no parsing at all

    def one(tag: re.Match[str]) -> str:
        text = tag.group(0)
        attributes = {
            name.lower(): html.unescape(value or "")
            for name, value in ATTRIBUTE.findall(text[4:].rstrip(">/"))
        }
        src = attributes.get("src", "")
        if not src.startswith(prefix):
            return text
        plan = plan_for(unquote(src[len(prefix) :]))
        if plan is None:
            return text
        return picture_markup(attributes, plan, prefix)

    return IMG.sub(one, body)
