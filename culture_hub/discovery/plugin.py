"""Pelican glue: template filters, related stories, sitemap.xml and robots.txt."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from culture_hub.content_model.urls import absolute_url
from culture_hub.declare import value

from .core import (
    article_json_ld,
    image_size,
    paginated_urls,
    reading_minutes,
    related,
    related_index,
    save_as_url,
    sitemap,
)
from .settings import READING_WORDS_PER_MINUTE, SITE_IMAGE, SITE_LOGO

# Index pages other generators write (sections, feeds); the sitemap test checks that
# every page written is listed, so a page added there without one here fails it.
SECTION_INDEXES = ("departments/", "people/", "contributions/", "feeds/")


def _absolute(settings: dict[str, Any], url: str) -> str:
    return absolute_url(settings.get("SITEURL", ""), url)


@pass_context
def json_ld(context: Any, article: Any) -> str:
    """``article | json_ld``: the page's schema.org Article, ready for a script element."""
    settings = context
    image = getattr(article, "image", "") or SITE_IMAGE.read(settings)
    return article_json_ld(
        title=article.title,
        summary=getattr(article, "summary_text", ""),
        url=_absolute(settings, article.url),
        image=_absolute(settings, image),
        published=article.date.isoformat(),
        modified=(getattr(article, "modified", None) or article.date).isoformat(),
        authors=[(p.name, _absolute(settings, f"people/{p.id}/")) for p in article.people],
        publisher=settings.get("SITENAME", ""),
        site=_absolute(settings, ""),
        logo=_absolute(settings, SITE_LOGO.read(settings)),
    )


def add_filters(generator: Any) -> None:
    """Filters for templates: ``article | json_ld(settings)``, ``content | reading_minutes``."""
    generator.env.filters["json_ld"] = json_ld
    generator.env.filters["reading_minutes"] = partial(
        reading_minutes, per_minute=READING_WORDS_PER_MINUTE.read(generator.settings)
    )


def attach_related(generator: Any) -> None:
    """Each article gets ``related``, ``newer`` and ``older`` (only among the articles
    this build lists, so nothing unpublished leaks in) and ``image_size`` (so the
    cover reserves its space before it loads)."""
    listed = generator.articles  # newest first
    content = Path(generator.settings["PATH"])
    for index, article in enumerate(listed):
        article.newer = listed[index - 1] if index > 0 else None
        article.older = listed[index + 1] if index + 1 < len(listed) else None
    index = related_index(listed)
    sizes: dict[str, tuple[int, int] | None] = {}  # many stories share a cover
    for article in [*listed, *generator.drafts]:
        article.related = related(article, index)
        image = getattr(article, "image", "")
        if image and image not in sizes:
            sizes[image] = image_size(content / image)
        article.image_size = sizes[image] if image else None


class DiscoveryGenerator(Generator):
    """Writes sitemap.xml (listed, non-internal pages only) and robots.txt."""

    def generate_output(self, writer: Any) -> None:
        siteurl = self.settings.get("SITEURL", "")
        if not siteurl.startswith(("https://", "http://")):
            return
        articles = [
            a for a in self.context.get("articles", []) if not getattr(a, "internal", False)
        ]
        pages = [p for p in self.context.get("pages", []) if not getattr(p, "internal", False)]
        urls = [(_absolute(self.settings, ""), "")]
        urls += [
            (
                _absolute(self.settings, item.url),
                item.date.date().isoformat() if hasattr(item, "date") else "",
            )
            for item in [*articles, *pages]
        ]
        urls += [(_absolute(self.settings, url), "") for url in self.listing_urls()]
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {_absolute(self.settings, 'sitemap.xml')}\n"
        # Written with the pages (a parallel build's writer runs every write in
        # its own phase, once the output folder exists), never before them.
        run = getattr(writer, "defer", lambda job: job())
        run(partial(_write_files, Path(self.output_path), sitemap(urls), robots.encode()))

    def listing_urls(self) -> list[str]:
        """Every indexable listing: kinds, tags, departments (each page of each), people,
        the section indexes and the direct templates (not the 404 page)."""
        settings, context = self.settings, self.context
        per_page = settings.get("DEFAULT_PAGINATION") or None
        paginated = value(settings, "PAGINATED_TEMPLATES") or {}

        def pages(template: str, url: str, items: list[Any]) -> list[str]:
            if template not in paginated:
                return [url]
            return paginated_urls(url, len(items), paginated[template] or per_page)

        urls: list[str] = []
        for category, listed in context.get("categories", []):
            urls += pages("category", category.url, listed)
        for tag, listed in context.get("tags", []):
            urls += pages("tag", tag.url, listed)
        for section in context.get("department_sections", []):
            urls += pages("department", section.url, section.articles)
        urls += [section.url for section in context.get("people_sections", [])]
        urls += list(SECTION_INDEXES)
        for name in settings.get("DIRECT_TEMPLATES", ()):
            if name in {"index", "404"}:
                continue
            url = save_as_url(settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"))
            if url:
                urls.append(url)
        return urls


def _write_files(output: Path, sitemap_xml: bytes, robots: bytes) -> None:
    output.mkdir(parents=True, exist_ok=True)
    (output / "sitemap.xml").write_bytes(sitemap_xml)
    (output / "robots.txt").write_bytes(robots)


def get_generators(pelican: Any) -> type[Generator]:
    return DiscoveryGenerator


def register() -> None:
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(attach_related)
    signals.get_generators.connect(get_generators)
