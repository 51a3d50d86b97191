"""Parallel build settings: declared here once (``SETTINGS``).

Where the platform cannot ``fork`` (Windows), the build runs in one process
whatever ``BUILD_WORKERS`` says, with the same output: the workers inherit
the whole build's state by forking, and starting fresh interpreters
(``spawn``) that re-read it would cost more than they save on a writer's
laptop.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.declare import Setting, items, read_all, whole
from culture_hub.pelican_internals import can_fork


def _cpus(settings: Mapping[str, Any]) -> int:
    return os.cpu_count() or 1


def _three(value: Any) -> str | None:
    problem = items(whole(0), "a tuple of three whole numbers")(value)
    if problem is None and len(value) != 3:
        problem = f"{value!r} is not three whole numbers"
    return problem


BUILD_WORKERS = Setting(
    "BUILD_WORKERS", None,
    "processes that read files and render pages; `1` builds in one process (same "
    "output); where the platform cannot fork (Windows), always one process",
    whole(1), "set a number of processes above 0, or remove the line for one per CPU",
    shown="the number of CPUs", compute=_cpus,
)  # fmt: skip
SETTINGS = (
    BUILD_WORKERS,
    Setting(
        "BUILD_GC_THRESHOLD", (50_000, 20, 100),
        "Python's garbage-collector thresholds during a build: a build's objects live to "
        "its end, and the default `(700, 10, 10)` walks them again and again (~5% of a "
        "large build)",
        _three, "use three whole numbers such as (50_000, 20, 100)",
    ),
    Setting(
        "PARALLEL_MIN_FILES", 200,
        "smaller sites are built in one process (forking would cost more)",
        whole(0), "set a number of files (0 or more)",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ParallelSettings:
    workers: int
    min_files: int = 200
    gc_threshold: tuple[int, int, int] = (50_000, 20, 100)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ParallelSettings:
        values = read_all(settings, SETTINGS)
        return cls(
            workers=values["BUILD_WORKERS"] if can_fork() else 1,
            min_files=values["PARALLEL_MIN_FILES"],
            gc_threshold=tuple(values["BUILD_GC_THRESHOLD"]),  # type: ignore[arg-type]
        )
