"""Pelican glue: index the finished site with Pagefind (the PyPI package ships the binary).

Runs on ``finalized``, before ``atomic_output`` swaps the build in (that plugin
comes last in ``PLUGINS``), so the index describes exactly the pages published:
in the public build, public content only. ``SEARCH_INDEX`` (default ``True``)
turns it off. A failed indexing fails the build.
"""

from __future__ import annotations

import logging
import subprocess
from typing import Any, ClassVar

from pagefind_bin import get_executable
from pelican import signals

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def index_glob(page_urls: list[str], article_urls: list[str]) -> str:
    """Only the pages Pagefind should read: stories, thought pieces and pages.

    Listings, feeds and the rest are skipped unparsed, which saves a third of
    Pagefind's time on a large site (it would find nothing to index in them).
    Article folders come from the articles' own URLs, so ``ARTICLE_URL`` decides.
    """
    folders = {url.strip("/").rpartition("/")[0] for url in article_urls}
    parts = [f"{folder}/*" for folder in sorted(folders) if folder]
    parts += sorted(url.strip("/") for url in page_urls if url.strip("/"))
    return "{" + ",".join(parts) + "}/index.html" if parts else "**/*.html"


def pagefind_command(settings: dict[str, Any], output_path: str) -> list[str] | None:
    """The Pagefind run that indexes this build's output, or ``None`` when search is off."""
    if not settings.get("SEARCH_INDEX", True):
        return None
    return [
        str(get_executable()),
        "--site", output_path,
        "--output-subdir", "pagefind",
        "--glob", index_glob(*_Indexed.urls.get(id(settings), ([], []))),
        "--quiet",
    ]  # fmt: skip


def index_site(pelican: Any) -> None:
    command = pagefind_command(pelican.settings, str(pelican.output_path))
    if command is None:
        return
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        reason = done.stderr.strip() or done.stdout.strip()
        raise SearchIndexError(f"Pagefind failed ({done.returncode}): {reason}")
    logger.debug("Pagefind: %s", done.stdout.strip())


class _Indexed:
    """This build's (page URLs, article URLs), by settings object, for the index glob."""

    urls: ClassVar[dict[int, tuple[list[str], list[str]]]] = {}


def remember_articles(generator: Any) -> None:
    _Indexed.urls[id(generator.settings)] = ([], [a.url for a in generator.articles])


def remember_pages(generator: Any) -> None:
    _pages, articles = _Indexed.urls.get(id(generator.settings), ([], []))
    _Indexed.urls[id(generator.settings)] = ([p.url for p in generator.pages], articles)


def register() -> None:
    signals.article_generator_finalized.connect(remember_articles)
    signals.page_generator_finalized.connect(remember_pages)
    signals.finalized.connect(index_site)
