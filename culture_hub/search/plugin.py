"""Pelican glue: index the finished site with Pagefind (the PyPI package ships the binary).

Pagefind starts as soon as the stories and pages are written, while the
parallel writers render the listings and feeds (``index_early`` asks
``parallel`` to render those pages first); ``finalized`` waits for it, before
``atomic_output`` swaps the build in (that plugin comes last in
``culture_hub.CAPABILITIES``), so the index describes exactly the pages
published: in the public build, public content only. A one-process build,
which writes as it goes, indexes at ``finalized``. A failed indexing fails the
build, in one plain line (``index``: the Pagefind runs and their read-back).

Settings (``settings.py``): ``SEARCH_INDEX`` turns indexing off;
``SEARCH_PAGES_PER_INDEX`` indexes a larger site in equal parts of at most
that many pages, ``BUILD_WORKERS`` at a time, into ``pagefind/``, ``pagefind-2/``...; the
search page merges them in the browser (Pagefind's ``mergeIndex``).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from culture_hub.declare import value
from culture_hub.parallel.state import ParallelRun
from culture_hub.parallel.writers import Written
from culture_hub.run import Run

from .index import Background, Indexing, SearchPages, bundles
from .settings import SEARCH_INDEX, SEARCH_PAGES_PER_INDEX

__all__ = ["Indexing", "index_site", "register"]


def index_early(generators: list[Any]) -> None:
    """Sent when every generator has its context: have the stories and pages rendered
    first, and index them while the listings and feeds are rendered (in a build
    that renders its pages at ``finalized``; otherwise ``index_site`` does it all)."""
    if not generators or not SEARCH_INDEX.read(generators[0].settings):
        return
    settings, output = generators[0].settings, str(generators[0].output_path)
    found = Run.of(settings).part(SearchPages)

    def start() -> None:
        found.background = Background(Indexing(settings, output))

    ParallelRun.of(settings).first = Written(frozenset(found.files), start)


def index_site(pelican: Any) -> None:
    """Sent when the pages are written: index them, or wait for the indexing started
    when the stories and pages were written (a failure is a ``SearchIndexError``)."""
    if not SEARCH_INDEX.read(pelican.settings):
        return
    found = Run.of(pelican.settings).part(SearchPages)
    if found.background is not None:
        background, found.background = found.background, None
        background.wait()
        return
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
    signals.all_generators_finalized.connect(index_early)
    signals.finalized.connect(index_site)
