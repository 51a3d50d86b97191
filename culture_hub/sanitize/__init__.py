"""HTML sanitizing for the culture hub: one allow-list applied to all content.

Registered first (``culture_hub.CAPABILITIES``): the content model's reader uses :func:`clean` on
everything it renders, and :mod:`.plugin` sanitizes content from any other
reader.
"""

from .plugin import register
from .policy import Unsafe, clean, plain_text, unsafe_parts

__all__ = ["Unsafe", "clean", "plain_text", "register", "unsafe_parts"]
