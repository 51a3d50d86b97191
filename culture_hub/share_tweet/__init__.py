"""Share-tweet snippets: inline quotes that are ready to post."""

from .plugin import register

__all__ = ["register"]
