"""Parallel builds: read and render on every core, same output as one process."""

from .plugin import register

__all__ = ["register"]
