"""Parallel build settings.

- ``BUILD_WORKERS`` (the number of CPUs): processes that read files and render
  pages; ``1`` builds in one process.
- ``PARALLEL_MIN_FILES`` (``200``): below this many files forking costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from content_model.settings import SettingsError


@dataclass(frozen=True)
class ParallelSettings:
    workers: int
    min_files: int = 200

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ParallelSettings:
        workers = settings.get("BUILD_WORKERS") or os.cpu_count() or 1
        if not isinstance(workers, int) or workers < 1:
            raise SettingsError(f"BUILD_WORKERS is {workers!r}; use a positive number")
        return cls(workers=workers, min_files=int(settings.get("PARALLEL_MIN_FILES", 200)))
