"""Pelican glue: plan every published picture, make what the cache lacks, copy variants out.

- ``generator_init``: templates get ``path | responsive`` (the picture's plan, or
  None when it has none, e.g. a picture that is not published), and
  ``html | body_pictures``, which shows the pictures in a story's text the same
  way (``body.py``), and ``html | quote_cards(article)``, which puts a thumbnail
  link to each public quote's card in its share block (``quote_cards.py``).
- ``all_generators_finalized`` (after ``content_model`` cut the static files
  down to the pictures published pages use, and after the feeds planned the
  quote cards this build publishes; nothing is written yet): each published
  picture is planned from its bytes, each card's thumbnail from the card's
  name; variants missing from the cache are made (a card not drawn yet is
  drawn first, into the feeds' card cache), ``BUILD_WORKERS`` at a time; a
  picture Pillow cannot read is a located problem (the strict build then
  stops before writing).
- ``get_generators``: a generator whose output is one copy job per picture,
  run with the pages (the parallel writer spreads them over its children;
  the live preview never runs them again after an edit in place).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.problems import Level, Problem, refuse
from culture_hub.content_model.registry import display_path
from culture_hub.feeds.assemble import FeedRun
from culture_hub.feeds.cards import CardSpec, cached_card
from culture_hub.feeds.settings import FeedSettings
from culture_hub.parallel.forking import ContentFree, interrupts_held
from culture_hub.run import Run

from .body import responsive_body
from .core import HEADERS, Headers, ImageError, Plan, cached, make, planned, publish
from .people import initials
from .quote_cards import CARDS, card_links, thumbnail_plan, with_card_links
from .settings import ImageSettings, ImageSettingsError

RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")


@dataclass
class ImageRun:
    """This run's pictures: their plans by content-relative name, and where the cache is."""

    plans: dict[str, Plan] = field(default_factory=dict)
    cache: Path = Path()
    # The same plans by the picture's published address (``Static.url``): what a
    # page's HTML names a picture by, after Pelican resolved its ``{static}`` link.
    by_url: dict[str, Plan] = field(default_factory=dict)
    # Every quote card this build publishes, by file name, with its thumbnail's plan
    # (None when pictures are not resized), and the feed settings that name them.
    cards: dict[str, Plan | None] = field(default_factory=dict)
    feeds: FeedSettings | None = None


def _config(settings: dict[str, Any]) -> ImageSettings:
    try:
        return ImageSettings.from_settings(settings)
    except ImageSettingsError as error:
        refuse(f"The settings cannot be used: {error}; nothing was written.")


def responsive(settings: dict[str, Any], path: str | None) -> Plan | None:
    """``path | responsive``: the picture's plan in this run, or None."""
    if not path:
        return None
    return Run.of(settings).part(ImageRun).plans.get(str(path).lstrip("/"))


def department_of(settings: dict[str, Any], person: Any) -> Any:
    """``person | department_of``: the person's department record (its colours), or None."""
    registry = BuildState.of(settings).site.registry
    return registry.departments.get(getattr(person, "department", ""))


def body_pictures(settings: dict[str, Any], context: Any, body: str) -> Markup:
    """``html | body_pictures``: the pictures in a page's text, responsive (``body.py``).

    Pictures are addressed as the page addresses everything: ``SITEURL/`` (which
    is relative with ``RELATIVE_URLS``, as Pelican resolved the ``{static}`` links)."""
    plans = Run.of(settings).part(ImageRun).by_url
    if not plans:
        return Markup(body)
    prefix = f"{context.get('SITEURL', '')}/"
    return Markup(responsive_body(str(body), plans.get, prefix))


def quote_cards(settings: dict[str, Any], context: Any, body: str, article: Any) -> Markup:
    """``html | quote_cards(article)``: a link to each public quote's card in its share
    block, for every quote whose card this build publishes (``quote_cards.py``)."""
    state = Run.of(settings).part(ImageRun)
    if not state.cards or state.feeds is None or not getattr(article, "quotes", None):
        return Markup(body)
    planned = Run.of(settings).part(FeedRun).story_cards.get(article.source_path, {})
    links = card_links(article, planned, state.cards, state.feeds.sitename)
    return Markup(with_card_links(str(body), links, f"{context.get('SITEURL', '')}/"))


def add_filters(generator: Any) -> None:
    """Template filters: ``path | responsive``, ``html | body_pictures``,
    ``html | quote_cards(article)``, ``person | department_of``, ``name | initials``."""
    generator.env.filters["responsive"] = partial(responsive, generator.settings)
    generator.env.filters["body_pictures"] = pass_context(
        partial(body_pictures, generator.settings)
    )
    generator.env.filters["quote_cards"] = pass_context(partial(quote_cards, generator.settings))
    generator.env.filters["department_of"] = partial(department_of, generator.settings)
    generator.env.filters["initials"] = initials


# One picture to make: its plan, its file, the cache, and what to draw first (a quote
# card not drawn yet, into ``source``'s folder) or None.
Job = tuple[Plan, Path, Path, CardSpec | None]


def _make_one(job: Job) -> tuple[str, str]:
    """Make one picture's missing variants; an unreadable picture is returned as its
    message and its fix (``""`` for the usual one)."""
    chosen, source, cache, card = job
    try:
        if card is not None:
            cached_card(card, source.parent)  # drawn once per content, by whoever comes first
        make(chosen, source, cache)
    except ImageError as error:
        return str(error), error.fix
    return "", ""


def _workers(settings: dict[str, Any], jobs: int) -> int:
    wanted = settings.get("BUILD_WORKERS") or os.cpu_count() or 1
    return max(1, min(int(wanted), jobs)) if hasattr(os, "fork") else 1


def prepare(generators: list[Any]) -> None:
    """Plan the published pictures and fill the cache with what it lacks."""
    if not generators:
        return
    settings = generators[0].settings
    config = _config(settings)
    state = Run.of(settings).part(ImageRun)
    state.plans.clear()
    state.by_url.clear()
    state.cards = dict.fromkeys(Run.of(settings).part(FeedRun).specs)
    state.feeds = FeedSettings.from_settings(settings) if state.cards else None
    if not config.enabled:
        return
    cache = config.cache if config.cache.is_absolute() else Path.cwd() / config.cache
    state.cache = cache
    statics = [
        static
        for generator in generators
        for static in getattr(generator, "staticfiles", ())
        if static.relative_source_path.lower().endswith(RASTER)
    ]
    problems: list[Problem] = []
    missing: list[Job] = []
    headers = Headers(cache / HEADERS)  # no picture decoded again while unchanged
    for static in statics:
        source = Path(static.source_path)
        relative = static.relative_source_path
        try:
            chosen, header = planned(source, relative, config.widths, config.quality, headers)
        except ImageError as error:
            problems.append(_problem(source, str(error)))
            continue
        problems += [
            Problem(display_path(source), 1, message, fix, Level.WARNING)
            for message, fix in header.notes
        ]
        if not cached(chosen, cache):
            missing.append((chosen, source, cache, None))
        state.plans[chosen.source] = chosen
        state.by_url[static.url] = chosen
    headers.save()
    missing += _plan_cards(settings, config, state, cache)
    workers = _workers(settings, len(missing))
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            with interrupts_held():  # the workers are forked as the jobs are handed out
                made = [pool.submit(_make_one, job) for job in missing]
            results = [future.result() for future in made]
    else:
        results = [_make_one(job) for job in missing]
    for (chosen, source, _, _), (message, fix) in zip(missing, results, strict=True):
        if message:
            state.plans.pop(chosen.source, None)
            if chosen.source.startswith(CARDS):  # our own drawing: shown as a text link
                state.cards[chosen.source.removeprefix(CARDS)] = None
            else:
                problems.append(_problem(source, message, fix))
    state.by_url = {url: p for url, p in state.by_url.items() if p.source in state.plans}
    BuildState.of(settings).report(problems)


def _plan_cards(
    settings: dict[str, Any], config: ImageSettings, state: ImageRun, cache: Path
) -> list[Job]:
    """Plan the thumbnail of every quote card this build publishes (from the card's
    name: no card is read here); the jobs the cache lacks, each drawing its card
    first if the card cache lacks it too."""
    feeds = Run.of(settings).part(FeedRun)
    if not feeds.specs:
        return []
    cards = FeedSettings.from_settings(settings).cache / "cards"
    missing: list[Job] = []
    for name, spec in sorted(feeds.specs.items()):
        chosen = thumbnail_plan(name, config.quality)
        if not cached(chosen, cache):
            missing.append((chosen, cards / name, cache, spec))
        state.plans[chosen.source] = chosen
        state.cards[name] = chosen
    return missing


def _problem(source: Path, message: str, fix: str = "") -> Problem:
    return Problem(
        display_path(source),
        1,
        message,
        fix or "save it again as a PNG, JPEG or WebP from an image editor, or replace it",
    )


class ImagesGenerator(Generator):
    """Copies each planned picture's variants from the cache into the output."""

    def generate_output(self, writer: Any) -> None:
        state = Run.of(self.settings).part(ImageRun)
        run = getattr(writer, "defer", lambda job: job())
        output = Path(self.output_path)
        for chosen in state.plans.values():
            run(ContentFree(partial(publish, chosen, state.cache, output)))


def get_generators(pelican: Any) -> type[Generator]:
    return ImagesGenerator


def register() -> None:
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(prepare)
    signals.get_generators.connect(get_generators)
