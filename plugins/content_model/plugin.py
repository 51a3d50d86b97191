"""Pelican glue for the content model: reader, per-run state, the strict gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pelican import signals

from .build import BuildState
from .duplicates import duplicate_problems
from .failures import watch
from .reader import CultureReader

# Per settings object: what stops reporting the files Pelican leaves out.
_STOP_WATCHING: dict[int, Callable[[], None]] = {}


def start_run(pelican: Any) -> None:
    """Every run starts with a fresh registry and problem list, and reports as a
    problem any file Pelican itself fails to make a page of."""
    state = BuildState.start(pelican.settings)
    end_run(pelican)
    _STOP_WATCHING[id(pelican.settings)] = watch(state.config.content, state.report)


def end_run(pelican: Any) -> None:
    stop = _STOP_WATCHING.pop(id(pelican.settings), None)
    if stop:
        stop()


def add_reader(readers: Any) -> None:
    for extension in CultureReader.file_extensions:
        readers.reader_classes[extension] = CultureReader


def unique_urls_and_ids(generator: Any) -> None:
    """Two articles at one URL, or with one ``id``, are an error on the later file."""
    state = BuildState.of(generator.settings)
    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    problems, repeated = duplicate_problems(articles)
    state.report(problems)
    for name in ("articles", "drafts", "hidden_articles"):
        setattr(generator, name, [a for a in getattr(generator, name) if a not in repeated])


def fix_url(content: Any) -> None:
    """Work out each story's and page's URL once, as Pelican's own ``url`` override.

    Pelican formats it from the settings on every ``.url`` (about 40 µs);
    templates ask for it many times a page (menus, cards, related stories),
    which cost a tenth of a large build. It depends only on metadata that is
    fixed once the object exists. (``save_as`` is left alone: overriding it
    would let Pelican skip a second page written to the same file.)
    """
    if getattr(content, "kind", None) is None or not hasattr(content, "_content"):
        return  # not read by the culture-hub reader (or a skipped stub)
    content.override_url = content.url


def gate(pelican: Any) -> None:
    """Sent just before the writer is made (nothing has been written yet), and
    when the pages are recorded or written: two pages at one address are found
    only then, and must still keep the build from being published."""
    BuildState.of(pelican.settings).gate()


def register() -> None:
    signals.get_generators.connect(start_run)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(fix_url)
    signals.article_generator_pretaxonomy.connect(unique_urls_and_ids)
    signals.get_writer.connect(gate)
    signals.finalized.connect(gate)
    signals.finalized.connect(end_run)
