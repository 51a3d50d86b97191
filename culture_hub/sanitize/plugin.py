"""Pelican glue: sanitize content that did not come through the culture-hub reader.

The culture-hub reader sanitizes (and reports) as it reads; this receiver is
the backstop for anything else (an HTML or reStructuredText file, another
plugin's reader), so no unsanitized body reaches a template.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .policy import clean


def sanitize_foreign_content(content: Any) -> None:
    body = getattr(content, "_content", None)
    if body and not hasattr(content, "kind"):
        content._content = clean(body)


def register() -> None:
    signals.content_object_init.connect(sanitize_foreign_content)
