"""Pelican glue: every feed of the site, and its redirects, from one generator.

What goes in the feeds is decided in ``assemble.py``; this file reads the
settings, keeps the run's part (``FeedRun``), and writes what it made.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.problems import Problem, refuse
from culture_hub.content_model.registry import display_path
from culture_hub.content_model.settings import SettingsError
from culture_hub.run import Run

from .assemble import FeedRun, assemble, with_content
from .cards import place
from .catalogue import Feed, FeedIndex, describe_interval
from .ledger import Ledger, LedgerError
from .quote_pages import at_old_addresses, draw_and_place
from .redirects import REDIRECTS_FILE, page_path, redirect_page, redirects_file
from .render import atom, json_feed, rss
from .settings import FeedSettings

logger = logging.getLogger(__name__)


class FeedsGenerator(Generator):
    """Writes ``feeds/*`` (RSS, Atom, JSON Feed), the ``/feeds/`` page and redirects."""

    def generate_context(self) -> None:
        self.config = FeedSettings.from_settings(self.settings)
        state = Run.of(self.settings).part(FeedRun)
        self.context["feeds"] = FeedIndex([], self.config.siteurl, self.config.json_feed)
        if not self.config.enabled:
            logger.info("SITEURL is not absolute: feeds are written by the publish build only")
            return
        try:
            state.ledger = Ledger.load(self.config.ledger)
        except LedgerError as error:
            BuildState.of(self.settings).report([ledger_problem(self.config.ledger, error)])
            state.ledger = Ledger(None, {}, fresh=True)  # never written over the broken file
        registry = BuildState.of(self.settings).registry
        articles = [
            a for a in self.context.get("articles", [])
            if not getattr(a, "draft", False) and not getattr(a, "scheduled", False)
        ]  # fmt: skip
        others = [*self.context.get("pages", []), *self.context.get("hidden_pages", [])]
        assemble(
            state,
            articles,
            sorted(registry.departments.values(), key=lambda d: d.id),
            sorted(registry.people.values(), key=lambda p: p.id),
            config=self.config,
            now=datetime.now(ZoneInfo(self.config.timezone)).replace(microsecond=0),
            content_root=Path(self.settings["PATH"]),
            taken=[page.url for page in others],
        )
        self.context["feeds"] = FeedIndex(
            state.feeds,
            self.config.siteurl,
            self.config.json_feed,
            describe_interval(self.config.quote_interval),
        )

    def generate_output(self, writer: Any) -> None:
        # A parallel build's writer renders these in its worker processes too.
        run = getattr(writer, "defer", lambda job: job())
        state = Run.of(self.settings).part(FeedRun)
        root = Path(self.output_path)
        if self.config.enabled:
            for feed in with_content(state.feeds, state.pages):
                for fmt, render in (("rss", rss), ("atom", atom)):
                    run(partial(_write, root / feed.path(fmt), render, feed, self.config.siteurl))
            if self.config.json_feed:
                main = self.context["feeds"].group("site")[0]
                run(partial(_write, root / main.path("json"), json_feed, main, self.config.siteurl))
            _write_redirects(root, state, self.config.siteurl)
            for name, card in state.cards.items():
                place(card, root / "cards" / name)
            self._write_quote_pages(writer, state, run)
            if self.config.record and state.ledger is not None:
                state.ledger.save()
        writer.write_file(
            "feeds/index.html",
            self.get_template("feeds"),
            self.context,
            self.settings["RELATIVE_URLS"],
            url="feeds/",
            page_name="feeds/index",
        )

    def _write_quote_pages(self, writer: Any, state: FeedRun, run: Any) -> None:
        """Each public quote's own page, and the cards the feeds did not draw (both as
        the parallel writer's jobs). A card is drawn once per content: the pictures'
        workers already drew those with a thumbnail, and the job finds it cached."""
        template = self.get_template("quote")
        for page in state.quote_pages:
            writer.write_file(page.file, template, self.context, False, url=page.address,
                              quote_page=page)  # fmt: skip
        for file, address, page in at_old_addresses(state.quote_pages, state.redirects):
            writer.write_file(file, template, self.context, False, url=address, quote_page=page)
        root, cache = Path(self.output_path), self.config.cache / "cards"
        for name, spec in state.specs.items():
            if name not in state.cards:
                run(partial(draw_and_place, spec, cache, root / "cards" / name))


def _write(target: Path, render: Any, feed: Feed, siteurl: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render(feed.meta, feed.items, siteurl))


def _write_redirects(root: Path, state: FeedRun, siteurl: str) -> None:
    """A page at each old address, and ``_redirects`` (always written: an empty list
    tells the server config there is nothing to redirect)."""
    root.mkdir(parents=True, exist_ok=True)
    for found in state.redirects:
        target = root / page_path(found.old)
        if target.exists():
            continue  # something this build wrote is there now: it wins
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            redirect_page(f"{siteurl}/{found.new}", state.titles.get(found.new, "")),
            encoding="utf-8",
        )
    (root / REDIRECTS_FILE).write_text(redirects_file(state.redirects), encoding="utf-8")


def ledger_problem(path: Any, error: LedgerError) -> Problem:
    return Problem(
        display_path(Path(path)),
        error.line,
        f"the feed ledger cannot be read: {error.reason}",
        "restore it from the last published version (git checkout main -- "
        "content/feed-ledger.json); only the publish workflow writes it",
    )


def check_settings(pelican: Any) -> None:
    """Feed and share settings, checked before anything is read or written."""
    try:
        FeedSettings.from_settings(pelican.settings)
    except SettingsError as error:
        refuse(f"The settings cannot be used: {error}; nothing was written.")


def get_generators(pelican: Any) -> type[Generator]:
    return FeedsGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
