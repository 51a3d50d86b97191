"""Pelican glue: index the finished site with Pagefind (the PyPI package ships the binary).

Runs on ``finalized``, before ``atomic_output`` swaps the build in (that plugin
comes last in ``culture_hub.CAPABILITIES``), so the index describes exactly the pages published:
in the public build, public content only. A failed indexing fails the build,
in one plain line (``index``: the Pagefind runs and their read-back).

With the parallel writer, indexing starts earlier: once the stories and
pages are written (they are written first), beside the listings, feeds and
pictures still being made (``index_ahead``, ``parallel``'s ``Ahead``);
``finalized`` then waits for it.

Settings (``settings.py``): ``SEARCH_INDEX`` turns indexing off;
``SEARCH_PAGES_PER_INDEX`` indexes a larger site in equal parts of at most
that many pages, ``BUILD_WORKERS`` at a time, into ``pagefind/``, ``pagefind-2/``...; the
search page merges them in the browser (Pagefind's ``mergeIndex``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from culture_hub.declare import value
from culture_hub.parallel.state import Ahead, ParallelRun
from culture_hub.run import Run

from .index import Background, Indexing, SearchPages, bundles
from .settings import SEARCH_INDEX, SEARCH_PAGES_PER_INDEX

__all__ = ["Indexing", "index_site", "register"]


class SearchRun:
    """This run's part (``culture_hub.run``): the indexing started ahead, if any."""

    def __init__(self) -> None:
        self.background: Background | None = None


def index_ahead(generators: list[Any]) -> None:
    """Sent when every generator has its content: index the stories and pages as soon
    as they are written (the parallel writer writes them first)."""
    settings = generators[0].settings
    if not SEARCH_INDEX.read(settings):
        return
    background = Background(Indexing(settings, generators[0].output_path))
    Run.of(settings).part(SearchRun).background = background
    files = frozenset(Run.of(settings).part(SearchPages).files)
    ParallelRun.of(settings).ahead.append(Ahead(files, background.start, background.stop))


def index_site(pelican: Any) -> None:
    """Sent when the pages are written: finish indexing them, or index them now (a
    failure is a ``SearchIndexError``)."""
    if not SEARCH_INDEX.read(pelican.settings):
        return
    background = Run.of(pelican.settings).part(SearchRun).background
    output = Path(pelican.output_path).absolute()
    if background is not None and background.indexing.output == output:
        background.finish()
        return
    if background is not None:  # the pages went elsewhere after all: index them there
        background.stop()
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
    signals.all_generators_finalized.connect(index_ahead)
    signals.finalized.connect(index_site)
