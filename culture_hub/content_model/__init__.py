"""The culture-hub content model: YAML front matter, kinds, registries, rules."""

from .plugin import register

__all__ = ["register"]
