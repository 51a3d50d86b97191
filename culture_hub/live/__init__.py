"""Live preview: a dev server that re-renders only what an edited story touches."""

from .plugin import register

__all__ = ["register"]
