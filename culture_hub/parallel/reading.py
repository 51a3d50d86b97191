"""Reading ahead: the Markdown files a generator will ask for, read by forked workers.

When the articles and pages generators are created, a pool of workers
(forked, so each inherits the reader, the registry and the inventory) starts
reading their files with the same ``CultureReader.read_raw``; Pelican takes
each result as it arrives (``BuildState.prereaders``), making content
objects of the first files while the workers read the rest.
"""

from __future__ import annotations

import gc
import multiprocessing
from typing import Any

from culture_hub.content_model.build import source_key
from culture_hub.content_model.reader import CultureReader

from .forking import die_with_parent, interrupts_held

_READER: CultureReader | None = None  # in a worker: the reader it inherited


def _install(reader: CultureReader) -> None:
    """A worker's initializer (passed by fork, never pickled)."""
    global _READER  # noqa: PLW0603 - the worker's one reader
    _READER = reader
    die_with_parent()


def _read_one(path: str) -> Any:
    assert _READER is not None
    return _READER.read_raw(path)


class ReadStream:
    """Reads done by a worker pool, handed over as Pelican asks for each file.

    Results arrive in file order while Pelican is still making content
    objects of the earlier ones, so the parent's work overlaps the reading.
    """

    def __init__(self, pool: Any, files: list[str], chunk: int) -> None:
        self.pool = pool
        self.pending = set(files)
        self.ready: dict[str, Any] = {}
        self.closed = False
        self.results = iter(zip(files, pool.imap(_read_one, files, chunksize=chunk), strict=True))

    def take(self, path: str) -> Any | None:
        """The read of ``path`` (waiting for it if needed), or ``None`` if not read here."""
        if path in self.ready:
            return self.ready.pop(path)
        if path not in self.pending or self.closed:
            return None
        for name, result in self.results:
            self.pending.discard(name)
            if name == path:
                return result
            self.ready[name] = result
        return None

    def close(self) -> None:
        """Stop the workers (all results are in, or the build no longer needs them)."""
        if self.closed:
            return
        self.closed = True
        self.pool.terminate()
        self.pool.join()


def markdown_files(names: set[str], folder: str) -> list[str]:
    """The files among ``names`` (relative to ``folder``) the culture-hub reader reads,
    as ``source_key`` paths (the key a prereader is asked with)."""
    extensions = tuple(f".{ext}" for ext in CultureReader.file_extensions)
    return [source_key(f"{folder}/{name}") for name in names if name.endswith(extensions)]


def start_reading(reader: CultureReader, files: list[str], workers: int) -> ReadStream:
    """Fork ``workers`` processes that read ``files`` with ``reader``, in order."""
    gc.freeze()  # the workers' collectors leave the inherited objects alone (and unshared)
    try:
        context = multiprocessing.get_context("fork")
        with interrupts_held():
            pool = context.Pool(workers, initializer=_install, initargs=(reader,))
    finally:
        gc.unfreeze()
    return ReadStream(pool, files, chunk=max(1, len(files) // (workers * 16)))
