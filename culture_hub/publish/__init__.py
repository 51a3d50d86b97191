"""Publishing: hashed theme names in the build; deploys, twins and server configs after it."""

from .plugin import register

__all__ = ["register"]
