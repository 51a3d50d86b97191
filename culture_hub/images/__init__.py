"""Responsive images made at build time: several widths, WebP with a fallback, cached by content."""

from .plugin import register

__all__ = ["register"]
