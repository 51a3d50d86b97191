"""Static search with Pagefind: no server, no third party."""

from .plugin import register

__all__ = ["register"]
