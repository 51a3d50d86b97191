"""Atomic output: a failed build never leaves a half-written site."""

from .plugin import register

__all__ = ["register"]
