"""Absolute URLs for output pages, as share links, link previews and JSON-LD need them."""

from __future__ import annotations


def absolute_url(siteurl: str, url: str) -> str:
    """``url`` (relative to the site root) under ``siteurl``; root-relative when it is unset."""
    return f"{siteurl.rstrip('/')}/{url}"
