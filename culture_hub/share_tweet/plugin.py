"""Pelican glue: compose each quote's post once the page's URL is known (``quotes.py``)."""

from __future__ import annotations

from pelican import signals

from .quotes import attach_shares


def register() -> None:
    signals.content_object_init.connect(attach_shares)
