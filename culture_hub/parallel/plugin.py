"""Pelican glue for parallel builds: read and render on every core, same output.

Reading (``reading``): when the articles and pages generators are created,
forked workers start reading their Markdown files; Pelican takes each result
as it arrives. Rendering (``writers``, ``forking``): the writer records every
page as a job; at ``finalized`` (before search indexing and the atomic swap,
which come later in ``culture_hub.CAPABILITIES``) forked children, each with
the whole context inherited, run their share. Output is byte-identical to a
one-process build (a test compares them). The run's streams, writer and
observer are its ``ParallelRun`` part (``state``).
"""

from __future__ import annotations

import atexit
import gc
from typing import Any

from pelican import signals
from pelican.writers import Writer

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.reader import CultureReader
from culture_hub.declare import value
from culture_hub.pelican_internals import add_template_global, markdown_reader

from .cards import card_function
from .membership import index_all
from .reading import markdown_files, start_reading
from .settings import ParallelSettings
from .state import ParallelRun
from .templates import (
    Compiling,
    SharedTemplates,
    share_compiled_templates,
    template_names,
    theme_folders,
)
from .writers import ClaimingWriter, DeferredWriter


def tune_collector(pelican: Any) -> None:
    """Sent when Pelican starts: collect garbage less often during the build, and
    not at all at exit (``leave_at_exit``)."""
    gc.set_threshold(*ParallelSettings.from_settings(pelican.settings).gc_threshold)
    if leave_at_exit not in _AT_EXIT:
        _AT_EXIT.append(leave_at_exit)
        atexit.register(leave_at_exit)


_AT_EXIT: list[Any] = []  # registered once per process, however many runs it makes


def leave_at_exit() -> None:
    """At interpreter exit: the build's objects go with the process, so the collector
    leaves them. Python's last collection and the freeing of every cycle took a
    second at 5,000 stories, on one core, after the site was finished. (Every file
    the build writes is closed where it is written; nothing waits for a collection.)"""
    gc.freeze()


def share_templates(generator: Any) -> None:
    """Sent when a generator is made: its templates are compiled once for the whole
    run, and a story's card is rendered once per process (``cards``)."""
    share_compiled_templates(generator.env, generator.settings)
    add_template_global(generator, "remembered_card", card_function(generator.settings))


def read_ahead(generator: Any) -> None:
    """Sent when the articles or pages generator is made: start reading its files."""
    config = ParallelSettings.from_settings(generator.settings)
    reader = markdown_reader(generator)
    if config.workers < 2 or not isinstance(reader, CultureReader):
        return
    kind = "ARTICLE" if hasattr(generator, "articles") else "PAGE"
    names = generator.get_files(
        generator.settings[f"{kind}_PATHS"], exclude=generator.settings[f"{kind}_EXCLUDES"]
    )
    files = markdown_files(names, generator.path)
    if len(files) < config.min_files:
        return
    state = BuildState.of(generator.settings)
    state.site  # noqa: B018 - load the registry once, before the fork shares it
    stream = start_reading(reader, files, config.workers)
    state.prereaders.append(stream.take)
    ParallelRun.of(generator.settings).streams.append((generator, stream))


def close_streams(generator: Any) -> None:
    """Sent when the generator has its content: its workers can go."""
    ParallelRun.of(generator.settings).close_streams(generator)


def compile_aside(generator: Any) -> None:
    """Sent when the stories are read: while the build works out the rest in one
    process, a forked child compiles the theme's templates for the page writers."""
    parallel = ParallelRun.of(generator.settings)
    if ParallelSettings.from_settings(generator.settings).workers < 2 or parallel.compiling:
        return
    names = template_names(theme_folders(generator.settings))
    shared = SharedTemplates.of(generator.settings)
    if generator.env.bytecode_cache is shared:  # not a theme's own bytecode cache
        parallel.compiling = Compiling.start(generator.env, names, shared)


def writer_class(pelican: Any) -> type[Writer]:
    config = ParallelSettings.from_settings(pelican.settings)
    keep = value(pelican.settings, "LIVE_PREVIEW")  # the live preview re-runs the jobs
    return DeferredWriter if config.workers > 1 or keep else ClaimingWriter


def flush(pelican: Any) -> None:
    """Sent at ``finalized``: render the recorded pages."""
    parallel = ParallelRun.of(pelican.settings)
    parallel.take_templates()
    if parallel.writer is not None:
        workers = ParallelSettings.from_settings(pelican.settings).workers
        parallel.writer.flush(workers, parallel.observe)


def fast_memberships(generators: list[Any]) -> None:
    """Sent when every generator has its context: make Pelican's ``story in tag`` cheap."""
    index_all(generators)


def register() -> None:
    signals.initialized.connect(tune_collector)
    signals.generator_init.connect(share_templates)
    signals.all_generators_finalized.connect(fast_memberships)
    signals.article_generator_init.connect(read_ahead)
    signals.page_generator_init.connect(read_ahead)
    signals.article_generator_finalized.connect(close_streams)
    signals.article_generator_finalized.connect(compile_aside)
    signals.page_generator_finalized.connect(close_streams)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(flush)
