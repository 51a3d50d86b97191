"""Pelican glue for the live preview (``LIVE_PREVIEW = True``, set by ``invoke serve``).

Every template environment reports which content each page read, the
writer keeps its render jobs (the parallel capability's ``DeferredWriter``),
and the generators of the run are kept (``LiveRun``), so ``LiveSite`` can
re-read one file and re-render only the pages that showed it.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from culture_hub.parallel.state import ParallelRun

from .settings import LIVE_PREVIEW
from .state import LiveRun
from .tracking import track


def track_templates(generator: Any) -> None:
    """Sent when a generator is made: its templates report what they read."""
    if LIVE_PREVIEW.read(generator.settings):
        tracker = LiveRun.of(generator.settings).tracker
        track(generator.env, tracker)
        ParallelRun.of(generator.settings).observe = tracker.observe


def keep_generators(generators: list[Any]) -> None:
    if generators and LIVE_PREVIEW.read(generators[0].settings):
        LiveRun.of(generators[0].settings).generators = generators


def register() -> None:
    signals.generator_init.connect(track_templates)
    signals.all_generators_finalized.connect(keep_generators)
