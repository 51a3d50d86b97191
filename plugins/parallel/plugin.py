"""Use every core: read files in worker processes, render pages in forked children.

Reading: when the articles and pages generators are created, the Markdown
files they will ask for are read ahead by a pool of forked workers (the same
``CultureReader.read_raw``), and Pelican then gets each result instantly.

Rendering: the writer records every page Pelican asks for instead of writing
it; when the build is finalized (before search indexing and the atomic swap,
which come later in ``PLUGINS``), forked children, each with the whole
context inherited, render their share. Output is byte-identical to a
single-process build (a test compares them).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from content_model.build import BuildState
from content_model.reader import CultureReader
from pelican import signals
from pelican.writers import Writer

from .settings import ParallelSettings

_READER: CultureReader | None = None  # set just before forking the read pool


def _read_one(path: str) -> Any:
    assert _READER is not None
    return _READER.read_raw(path)


class ParallelBuildError(RuntimeError):
    """A worker process failed; its traceback was printed."""


def read_ahead(generator: Any) -> None:
    """Read this generator's Markdown files in worker processes."""
    global _READER  # noqa: PLW0603 - the fork hands it to the workers
    config = ParallelSettings.from_settings(generator.settings)
    reader = generator.readers.readers.get("md")
    if config.workers < 2 or not isinstance(reader, CultureReader):
        return
    paths_key = "ARTICLE_PATHS" if hasattr(generator, "articles") else "PAGE_PATHS"
    exclude_key = "ARTICLE_EXCLUDES" if paths_key == "ARTICLE_PATHS" else "PAGE_EXCLUDES"
    files = [
        str((Path(generator.path) / name).resolve())
        for name in generator.get_files(
            generator.settings[paths_key], exclude=generator.settings[exclude_key]
        )
        if name.endswith(tuple(f".{ext}" for ext in CultureReader.file_extensions))
    ]
    if len(files) < config.min_files:
        return
    state = BuildState.of(generator.settings)
    state.site  # noqa: B018 - load the registry once, before the fork shares it
    _READER = reader
    try:
        with multiprocessing.get_context("fork").Pool(config.workers) as pool:
            chunk = max(1, len(files) // (config.workers * 8))
            results = pool.map(_read_one, files, chunksize=chunk)
    finally:
        _READER = None
    state.preread.update(zip(files, results, strict=True))


class DeferredWriter(Writer):
    """Records page writes; ``flush`` renders them in forked children."""

    active: ClassVar[dict[int, DeferredWriter]] = {}

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.jobs: list[Callable[[], None]] = []
        DeferredWriter.active[id(settings)] = self

    def write_file(self, *args: Any, **kwargs: Any) -> None:
        self.jobs.append(partial(Writer.write_file, self, *args, **kwargs))

    def defer(self, job: Callable[[], None]) -> None:
        """Other output (feeds) rendered by the same children: any call that only writes files."""
        self.jobs.append(job)

    def flush(self, workers: int) -> None:
        jobs, self.jobs = self.jobs, []
        children = []
        for share in range(workers):
            pid = os.fork()
            if pid == 0:  # the child: render every workers-th page, then leave at once
                code = 0
                try:
                    for job in jobs[share::workers]:
                        job()
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            children.append(pid)
        failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
        if failed:
            raise ParallelBuildError(f"{len(failed)} of {workers} page-writing processes failed")


def writer_class(pelican: Any) -> type[Writer] | None:
    config = ParallelSettings.from_settings(pelican.settings)
    return DeferredWriter if config.workers > 1 else None


def flush(pelican: Any) -> None:
    writer = DeferredWriter.active.pop(id(pelican.settings), None)
    if writer is not None:
        writer.flush(ParallelSettings.from_settings(pelican.settings).workers)


def register() -> None:
    signals.article_generator_init.connect(read_ahead)
    signals.page_generator_init.connect(read_ahead)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(flush)
