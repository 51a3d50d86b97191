"""The parallel capability's part of a run (``culture_hub.run.Run``).

It holds the run's read streams (worker pools: released when the run ends
or a failed run is replaced), its deferring writer, and the observer the
live preview sets to learn what each page read. The live preview keeps the
run after ``finalized`` and re-runs the writer's jobs from here.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from culture_hub.run import Run

from .forking import Observe
from .reading import ReadStream

if TYPE_CHECKING:
    from .writers import DeferredWriter


@dataclass(frozen=True)
class Ahead:
    """Work to start once ``files`` are written, beside the pages still being written.

    The search index is one: Pagefind reads the stories while the listings,
    feeds and pictures are still being made. ``stop`` ends it if the build
    fails meanwhile. Without a deferring writer nothing is started here, and
    whoever registered it does the work when its turn comes.
    """

    files: frozenset[str]
    start: Callable[[], None]
    stop: Callable[[], None]


class ParallelRun:
    """One run's read streams, deferring writer, job observer and work to start ahead."""

    def __init__(self) -> None:
        self.streams: list[tuple[Any, ReadStream]] = []  # (generator, its stream)
        self.writer: DeferredWriter | None = None
        self.observe: Observe | None = None
        self.ahead: list[Ahead] = []

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> ParallelRun:
        return Run.of(settings).part(cls)

    def close_streams(self, generator: Any) -> None:
        """The generator has all its content: its workers can go."""
        for owner, stream in self.streams:
            if owner is generator:
                stream.close()
        self.streams = [(owner, s) for owner, s in self.streams if owner is not generator]

    def release(self) -> None:
        """The run ended or failed: stop any workers and any work ahead still running."""
        for _owner, stream in self.streams:
            stream.close()
        self.streams = []
        for work in self.ahead:
            work.stop()
        self.ahead = []
