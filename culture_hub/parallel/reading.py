"""Reading ahead: the Markdown files a generator will ask for, read by forked workers.

When the articles and pages generators are created, forked workers (each
inheriting the reader, the registry and the inventory) start reading their
files with the same ``CultureReader.read_raw``; Pelican takes
each result as it arrives (``BuildState.prereaders``), making content
objects of the first files while the workers read the rest.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import select
import signal
from collections.abc import Iterator
from typing import Any

from culture_hub.content_model.build import source_key
from culture_hub.content_model.reader import CultureReader

from .forking import die_with_parent, interrupts_held, run_and_leave

# Files a worker reads before it turns to its next share: small, so that every
# worker is reading what Pelican asks for soon, whatever the site's size.
CHUNK = 8
# A result's frame: its length, then the pickled ``(path, ok, value)``.
HEADER = 8
# How much of a worker's output is taken from its pipe at once.
READ_SIZE = 1 << 20

logger = logging.getLogger(__name__)


class ReadStream:
    """Reads done by forked workers, handed over as Pelican asks for each file.

    Results arrive in file order while Pelican is still making content
    objects of the earlier ones, so the parent's work overlaps the reading.

    Each worker writes its results to a pipe of its own; the parent takes
    whatever has arrived, from every pipe, each time it asks for a file (so no
    worker waits on a full pipe while the parent is busy), and waits only for
    the file it needs. No threads: ``multiprocessing.Pool``'s worker-handler
    thread woke at every result waiting in its queue and spun there, a third
    of a second of the parent's CPU time at 500 stories, taken from reading.
    """

    def __init__(self, pipes: dict[int, int], owners: dict[str, int]) -> None:
        self.pipes = pipes  # read end -> the worker's pid
        self.buffers: dict[int, bytearray] = {fd: bytearray() for fd in pipes}
        self.owners = owners  # each file not yet received -> the read end it comes from
        self.ready: dict[str, tuple[bool, Any]] = {}
        self.closed = False

    def take(self, path: str) -> Any | None:
        """The read of ``path`` (waiting for it if needed), or ``None`` if not read here.

        A read that raised in the worker raises here, as it would have in a
        one-process build. A worker that stopped before sending ``path`` (killed
        from outside, out of memory) leaves it to Pelican to read in this
        process, as a one-process build would: not an error at every file it
        had left, which the writer could do nothing about."""
        if self.closed or (path not in self.owners and path not in self.ready):
            return None
        self._receive(wait=False)  # keep every worker's pipe flowing
        while path not in self.ready:
            if self.owners[path] not in self.pipes:  # its worker is gone
                del self.owners[path]
                return None
            self._receive(wait=True)
        ok, value = self.ready.pop(path)
        if not ok:
            raise value
        return value

    def _receive(self, wait: bool) -> None:
        readable, _, _ = select.select(list(self.pipes), [], [], None if wait else 0)
        for fd in readable:
            data = os.read(fd, READ_SIZE)
            if not data:  # the worker is done (or died: its files never arrive)
                self._reap(fd)
                continue
            buffer = self.buffers[fd]
            buffer += data
            for path, ok, value in _frames(buffer):
                self.owners.pop(path, None)
                self.ready[path] = (ok, value)

    def _reap(self, fd: int, stopping: bool = False) -> None:
        os.close(fd)
        pid = self.pipes.pop(fd)
        del self.buffers[fd]
        status = os.waitpid(pid, 0)[1]
        left = sum(1 for owner in self.owners.values() if owner == fd)
        if left and not stopping:
            logger.warning(
                "A process reading the content stopped (%s) before it read %d of its files; "
                "the build reads them itself",
                _how(status), left,
            )  # fmt: skip

    def close(self) -> None:
        """Stop the workers (all results are in, or the build no longer needs them)."""
        if self.closed:
            return
        self.closed = True
        for fd, pid in list(self.pipes.items()):
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
            self._reap(fd, stopping=True)
        self.ready.clear()
        self.owners.clear()


def _how(status: int) -> str:
    """A worker's end, in words: "killed by SIGKILL", "exit code 1"."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.valid_signals() else number
        return f"killed by {name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _frames(buffer: bytearray) -> Iterator[tuple[str, bool, Any]]:
    """The whole results at the start of ``buffer``, taken out of it."""
    while len(buffer) >= HEADER:
        size = int.from_bytes(buffer[:HEADER], "big")
        if len(buffer) < HEADER + size:
            return
        found = pickle.loads(buffer[HEADER : HEADER + size])  # our own worker's data
        del buffer[: HEADER + size]
        yield found


def _worker(reader: CultureReader, files: list[str], pipe: int) -> None:
    """A forked worker: read ``files`` in order, send each result, leave. Never returns."""

    def read() -> int:
        die_with_parent()
        with os.fdopen(pipe, "wb") as out:
            for path in files:
                try:
                    found = (path, True, reader.read_raw(path))
                except Exception as error:  # raised again in the parent, at this file
                    found = (path, False, _portable(error))
                data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
                out.write(len(data).to_bytes(HEADER, "big") + data)
                out.flush()
        return 0

    run_and_leave(read)


def _portable(error: Exception) -> Exception:
    """``error`` if it survives pickling, else a plain one that says what it was."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # any exception that cannot make the trip
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def markdown_files(names: set[str], folder: str) -> list[str]:
    """The files among ``names`` (relative to ``folder``) the culture-hub reader reads,
    as ``source_key`` paths (the key a prereader is asked with)."""
    extensions = tuple(f".{ext}" for ext in CultureReader.file_extensions)
    return [source_key(f"{folder}/{name}") for name in names if name.endswith(extensions)]


def start_reading(reader: CultureReader, files: list[str], workers: int) -> ReadStream:
    """Fork ``workers`` processes that read ``files`` with ``reader``: each takes every
    ``workers``-th run of ``CHUNK`` files, so results come in about the order asked."""
    chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
    pipes: dict[int, int] = {}
    owners: dict[str, int] = {}
    gc.freeze()  # the workers' collectors leave the inherited objects alone (and unshared)
    try:
        with interrupts_held():
            for share in range(workers):
                mine = [path for chunk in chunks[share::workers] for path in chunk]
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    for fd in (read_end, *pipes):
                        os.close(fd)
                    _worker(reader, mine, write_end)
                os.close(write_end)
                pipes[read_end] = pid
                owners.update(dict.fromkeys(mine, read_end))
    except BaseException:  # a fork failed, or Ctrl-C came meanwhile
        ReadStream(pipes, {}).close()
        raise
    finally:
        gc.unfreeze()
    return ReadStream(pipes, owners)
