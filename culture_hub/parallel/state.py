"""The parallel capability's part of a run (``culture_hub.run.Run``).

It holds the run's read streams (worker pools: released when the run ends
or a failed run is replaced), its deferring writer, and the observer the
live preview sets to learn what each page read. The live preview keeps the
run after ``finalized`` and re-runs the writer's jobs from here.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from culture_hub.run import Run

from .forking import Observe
from .reading import ReadStream
from .templates import Compiling

if TYPE_CHECKING:
    from .writers import DeferredWriter


class ParallelRun:
    """One run's read streams, deferring writer, job observer and templates compiled
    aside (``templates.Compiling``)."""

    def __init__(self) -> None:
        self.streams: list[tuple[Any, ReadStream]] = []  # (generator, its stream)
        self.writer: DeferredWriter | None = None
        self.observe: Observe | None = None
        self.compiling: Compiling | None = None

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> ParallelRun:
        return Run.of(settings).part(cls)

    def close_streams(self, generator: Any) -> None:
        """The generator has all its content: its workers can go."""
        for owner, stream in self.streams:
            if owner is generator:
                stream.close()
        self.streams = [(owner, s) for owner, s in self.streams if owner is not generator]

    def take_templates(self) -> None:
        """Keep the templates compiled aside, if that was started (before writing)."""
        if self.compiling is not None:
            self.compiling.take()
            self.compiling = None

    def release(self) -> None:
        """The run ended or failed: stop any workers still running."""
        for _owner, stream in self.streams:
            stream.close()
        self.streams = []
        if self.compiling is not None:
            self.compiling.stop()
            self.compiling = None
