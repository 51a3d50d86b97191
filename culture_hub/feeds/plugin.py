"""Pelican glue: every feed of the site, from one generator."""

from __future__ import annotations

import logging
import mimetypes
import os
import re
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.problems import Problem
from culture_hub.content_model.registry import display_path

from .catalogue import Feed, FeedIndex, Source, build_catalogue
from .items import FeedItem, Image, absolute_html
from .ledger import Ledger, LedgerError
from .render import atom, json_feed, rss
from .settings import FeedSettings

logger = logging.getLogger(__name__)


SHARE_LINKS = re.compile(r'<span class="quote-share">.*?</span>', re.DOTALL)
RELATIVE_URL = re.compile(r"""\s(?:href|src|srcset|poster)=["'](?!https?:|mailto:|tel:)""")


def _content_for_feed(html: str, page_url: str) -> str:
    """The body for feeds: absolute URLs, without the page's share links.

    The share links are our own markup (share_tweet.render), removed as text;
    only a body that still has a relative URL is parsed to make it absolute.
    """
    html = SHARE_LINKS.sub("", html)
    return absolute_html(html, page_url) if RELATIVE_URL.search(html) else html


class FeedsGenerator(Generator):
    """Writes ``feeds/*`` (RSS, Atom, JSON Feed) and the ``/feeds/`` page."""

    def generate_context(self) -> None:
        self.config = FeedSettings.from_settings(self.settings)
        self.index = FeedIndex([], self.config.siteurl, self.config.json_feed)
        self.context["feeds"] = self.index
        if not self.config.enabled:
            logger.info("SITEURL is not absolute: feeds are written by the publish build only")
            return
        try:
            self.ledger = Ledger.load(self.config.ledger)
        except LedgerError as error:
            ledger = self.config.ledger
            BuildState.of(self.settings).report([ledger_problem(ledger, error)])
            self.ledger = Ledger(None, {}, fresh=True)  # never written over the broken file
        now = datetime.now(ZoneInfo(self.config.timezone)).replace(microsecond=0)
        content_root = Path(self.settings["PATH"])
        articles = [
            a for a in self.context.get("articles", [])
            if not getattr(a, "draft", False) and not getattr(a, "scheduled", False)
        ]  # fmt: skip
        self._pages: dict[str, tuple[Any, str]] = {}
        sources = [self._source(a, now, content_root) for a in articles]
        registry = BuildState.of(self.settings).registry
        feeds = build_catalogue(
            sources,
            sorted(registry.departments.values(), key=lambda d: d.id),
            sorted(registry.people.values(), key=lambda p: p.id),
            sitename=self.config.sitename,
            siteurl=self.config.siteurl,
            language=self.config.language,
            hub=self.config.hub,
            limit=self.config.max_items,
        )
        # Item HTML is filled in at output time: a page's content is worked out
        # once (Pelican memoizes it), and only after every generator's context
        # is made does Pelican know the pictures its {static} links point at.
        self._feeds = feeds
        self.index = FeedIndex(feeds, self.config.siteurl, self.config.json_feed)
        self.context["feeds"] = self.index

    def _with_content(self, feeds: list[Feed]) -> list[Feed]:
        """Feed HTML for the items feeds show (a few hundred), not for every article."""
        shown = {item.guid for feed in feeds for item in feed.items} & set(self._pages)
        html = {
            guid: _content_for_feed(self._pages[guid][0].content, self._pages[guid][1])
            for guid in shown
        }

        def filled(item: FeedItem) -> FeedItem:
            return replace(item, content=html[item.guid]) if item.guid in html else item

        return [replace(feed, items=tuple(map(filled, feed.items))) for feed in feeds]

    def _source(self, article: Any, now: datetime, content_root: Path) -> Source:
        relative = Path(os.path.relpath(article.source_path, content_root))
        url = f"{self.config.siteurl}/{article.url}"
        identity = self.ledger.identify(
            path=relative.as_posix(),
            body=article.source_digest,
            key=f"{article.title}|{article.date.isoformat()}",
            date=article.date,
            now=now,
            explicit_id=getattr(article, "id", ""),
            prefix=self.config.guid_prefix,
            exists=lambda p: (content_root / p).is_file(),
        )
        self._pages[identity.guid] = (article, url)
        published = max(article.date, identity.first_seen)
        updated = max(getattr(article, "modified", None) or published, published)
        image = self._image(article, content_root)
        categories = tuple(
            [d.name for d in article.departments] + [t.name for t in getattr(article, "tags", [])]
        )
        authors = tuple(p.name for p in article.people)
        item = FeedItem(
            guid=identity.guid,
            title=article.title,
            link=url,
            summary=article.summary_text,
            content="",  # filled in only for items a feed shows: see _with_content
            published=published,
            updated=updated,
            authors=authors,
            categories=categories,
            image=image,
        )
        social = tuple(
            FeedItem(
                guid=f"{identity.guid}#{quote.anchor}",
                title=quote.post.text,
                link=quote.url,
                summary=quote.post.text,
                content=(
                    f"<p>{escape(quote.text)}</p>"
                    f'<p><a href="{escape(url)}">{escape(article.title)}</a></p>'
                ),
                published=published,
                updated=updated,
                authors=authors,
                categories=categories,
                image=image,
            )
            for quote in getattr(article, "quotes", [])
            if quote.links  # quotes with share links are the shareable (public) ones
        )
        return Source(item, article.kind, tuple(article.departments), tuple(article.people), social)

    def _image(self, article: Any, content_root: Path) -> Image | None:
        image = getattr(article, "image", "")
        if not image:
            return None
        path = content_root / image
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        size = path.stat().st_size if path.is_file() else 0
        return Image(f"{self.config.siteurl}/{image.lstrip('/')}", mime, size)

    def generate_output(self, writer: Any) -> None:
        # A parallel build's writer renders these in its worker processes too.
        run = getattr(writer, "defer", lambda job: job())
        if self.config.enabled:
            self.index.feeds = self._with_content(self._feeds)
            root = Path(self.output_path)
            for feed in self.index.feeds:
                for fmt, render in (("rss", rss), ("atom", atom)):
                    run(partial(_write, root / feed.path(fmt), render, feed, self.config.siteurl))
            if self.config.json_feed:
                main = self.index.group("site")[0]
                run(partial(_write, root / main.path("json"), json_feed, main, self.config.siteurl))
            if self.config.record:
                self.ledger.save()
        writer.write_file(
            "feeds/index.html",
            self.get_template("feeds"),
            self.context,
            self.settings["RELATIVE_URLS"],
            url="feeds/",
            page_name="feeds/index",
        )


def _write(target: Path, render: Any, feed: Feed, siteurl: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render(feed.meta, feed.items, siteurl))


def ledger_problem(path: Any, error: LedgerError) -> Problem:
    return Problem(
        display_path(Path(path)),
        error.line,
        f"the feed ledger cannot be read: {error.reason}",
        "restore it from the last published version (git checkout main -- "
        "content/feed-ledger.json); only the publish workflow writes it",
    )


def get_generators(pelican: Any) -> type[Generator]:
    return FeedsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
