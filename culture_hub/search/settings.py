"""Search settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from culture_hub.declare import Setting, boolean, whole

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

SETTINGS = (SEARCH_INDEX, SEARCH_PAGES_PER_INDEX)
