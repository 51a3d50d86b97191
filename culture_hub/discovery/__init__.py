"""Link previews and discovery: Open Graph data, JSON-LD, related stories, sitemap."""

from .plugin import register

__all__ = ["register"]
