"""Feeds that social schedulers can trust: RSS, Atom and JSON Feed, one code path."""

from .plugin import register

__all__ = ["register"]
