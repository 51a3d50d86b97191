"""The live preview's part of a run (``culture_hub.run.Run``).

The preview keeps its run after ``finalized`` (``culture_hub.end_run``):
``LiveSite`` re-reads files with the run's generators and re-renders pages
with its writer (``ParallelRun``), and ends the run itself before the next
full build.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from culture_hub.run import Run

from .tracking import Tracker


class LiveRun:
    """One run's template tracker and its generators (once they are all finalized)."""

    def __init__(self) -> None:
        self.tracker = Tracker()
        self.generators: list[Any] = []

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> LiveRun:
        return Run.of(settings).part(cls)
