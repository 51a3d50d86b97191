"""The initials shown when a person has no photo: pure text work, no Pelican."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)  # asked for on every card and byline: a name's letters once
def initials(name: str) -> str:
    """Up to two letters: the first letters of the first and last words of ``name``.

    Letters only (a name like "Ana (she/her)" or "— Zoë" still gives letters), in
    upper case; a name with no letters at all gives "?".
    """
    words = [
        "".join(ch for ch in word if unicodedata.category(ch).startswith("L"))
        for word in name.split()
    ]
    words = [word for word in words if word]
    if not words:
        return "?"
    first, last = words[0], words[-1]
    letters = first[0] + (last[0] if len(words) > 1 else "")
    return letters.upper()
