"""Parallel build settings.

- ``BUILD_WORKERS`` (the number of CPUs): processes that read files and render
  pages; ``1`` builds in one process. Where the platform cannot ``fork``
  (Windows), the build runs in one process whatever this says, with the same
  output: the workers inherit the whole build's state by forking, and
  starting fresh interpreters (``spawn``) that re-read it would cost more
  than they save on a writer's laptop.
- ``PARALLEL_MIN_FILES`` (``200``): below this many files forking costs more than it saves.
- ``BUILD_GC_THRESHOLD`` (``(50_000, 20, 100)``): Python's garbage collector
  thresholds during a build. A build makes hundreds of thousands of objects
  that live to its end; at the default ``(700, 10, 10)`` the collector walks
  them again and again (about 5% of a large build) to free almost nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.content_model.settings import SettingsError
from culture_hub.pelican_internals import can_fork


@dataclass(frozen=True)
class ParallelSettings:
    workers: int
    min_files: int = 200
    gc_threshold: tuple[int, int, int] = (50_000, 20, 100)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ParallelSettings:
        workers = settings.get("BUILD_WORKERS") or os.cpu_count() or 1
        if not isinstance(workers, int) or workers < 1:
            raise SettingsError(f"BUILD_WORKERS is {workers!r}; use a positive number")
        threshold = tuple(settings.get("BUILD_GC_THRESHOLD", (50_000, 20, 100)))
        if len(threshold) != 3 or not all(isinstance(n, int) and n >= 0 for n in threshold):
            raise SettingsError(f"BUILD_GC_THRESHOLD is {threshold!r}; use three whole numbers")
        if not can_fork():
            workers = 1
        return cls(
            workers=workers,
            min_files=int(settings.get("PARALLEL_MIN_FILES", 200)),
            gc_threshold=threshold,  # type: ignore[arg-type]
        )
