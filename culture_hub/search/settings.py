"""Search settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from culture_hub.declare import Setting, boolean, text, whole


def _cache(settings: Mapping[str, Any]) -> str:
    return str(Path(settings.get("CACHE_PATH") or "cache") / "search")


SEARCH_INDEX = Setting(
    "SEARCH_INDEX", True, "index the built site with Pagefind (`/search/`)",
    boolean, "use True or False",
)  # fmt: skip
SEARCH_PAGES_PER_INDEX = Setting(
    "SEARCH_PAGES_PER_INDEX", 600,
    "Pagefind holds a whole index in memory (~130 KB a page): larger sites are indexed in "
    "equal parts of at most this many pages, `BUILD_WORKERS` parts at a time (one thread "
    "each), and the search page merges them",
    whole(1), "set a number of pages above 0",
)  # fmt: skip
SEARCH_CACHE_PATH = Setting(
    "SEARCH_CACHE_PATH", "",
    "each page's search entry (Pagefind's fragment) kept between builds with the SHA-256 of "
    "the page it was made from: a rebuild gives Pagefind the entries of unchanged pages, so "
    "it writes only the changed ones; an entry is used only while its file has the size and "
    "time recorded when it was kept; `invoke clean` empties it",
    text(), "give a folder path in quotes",
    shown="`<CACHE_PATH>/search` (`cache/search`)", compute=_cache,
)  # fmt: skip

SETTINGS = (SEARCH_INDEX, SEARCH_PAGES_PER_INDEX, SEARCH_CACHE_PATH)


def cache_folder(settings: Mapping[str, Any]) -> Path:
    """Where the search cache is (an empty setting: the default under ``CACHE_PATH``)."""
    return Path(SEARCH_CACHE_PATH.read(settings) or _cache(settings))
