"""Pelican glue: index the finished site with Pagefind (the PyPI package ships the binary).

Runs on ``finalized``, before ``atomic_output`` swaps the build in (that plugin
comes last in ``culture_hub.CAPABILITIES``), so the index describes exactly the pages published:
in the public build, public content only. A failed indexing fails the build,
in one plain line (``index``: the Pagefind runs and their read-back).

Settings (``settings.py``): ``SEARCH_INDEX`` turns indexing off;
``SEARCH_PAGES_PER_INDEX`` indexes a larger site in equal parts of at most
that many pages, ``BUILD_WORKERS`` at a time, into ``pagefind/``, ``pagefind-2/``...; the
search page merges them in the browser (Pagefind's ``mergeIndex``);
``SEARCH_CACHE_PATH`` keeps each page's fragment for the next build
(``kept.py``).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from culture_hub.declare import value
from culture_hub.run import Run

from .index import Indexing, SearchPages, bundles
from .settings import SEARCH_INDEX, SEARCH_PAGES_PER_INDEX

__all__ = ["Indexing", "index_site", "register"]


def index_site(pelican: Any) -> None:
    """Sent when the pages are written: index them (a failure is a ``SearchIndexError``)."""
    if SEARCH_INDEX.read(pelican.settings):
        Indexing(pelican.settings, str(pelican.output_path)).run()


def remember_articles(generator: Any) -> None:
    found = Run.of(generator.settings).part(SearchPages)
    found.articles = [a.url for a in generator.articles]
    found.files = sorted([*found.files, *(a.save_as for a in generator.articles)])


def remember_pages(generator: Any) -> None:
    found = Run.of(generator.settings).part(SearchPages)
    found.pages = [p.url for p in generator.pages]
    found.files = sorted([*found.files, *(p.save_as for p in generator.pages)])
    # The search page names every bundle after the first, to merge them.
    per_index = SEARCH_PAGES_PER_INDEX.read(generator.settings)
    together = value(generator.settings, "BUILD_WORKERS")  # as ``Indexing`` cuts them
    generator.context["SEARCH_MERGE"] = [
        name for name, _ in bundles(found.files, per_index, together)[1:]
    ]


def register() -> None:
    signals.article_generator_finalized.connect(remember_articles)
    signals.page_generator_finalized.connect(remember_pages)
    signals.finalized.connect(index_site)
