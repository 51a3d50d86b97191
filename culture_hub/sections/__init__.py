"""Department and people sections of the culture hub."""

from .plugin import register

__all__ = ["register"]
