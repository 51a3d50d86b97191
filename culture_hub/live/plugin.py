"""Pelican glue for the live preview (``LIVE_PREVIEW = True``, set by ``invoke serve``).

Every template environment reports which content each page read, the
writer keeps its render jobs (the parallel plugin's ``DeferredWriter``), and
the generators of the last run are kept, so ``LiveSite`` can re-read one
file and re-render only the pages that showed it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pelican import signals

from culture_hub.parallel.plugin import DeferredWriter

from .settings import LIVE_PREVIEW
from .tracking import Tracker


class Runs:
    """Per settings object (one per ``Pelican`` instance): its tracker and generators."""

    trackers: ClassVar[dict[int, Tracker]] = {}
    generators: ClassVar[dict[int, list[Any]]] = {}


def track_templates(generator: Any) -> None:
    if not LIVE_PREVIEW.read(generator.settings):
        return
    key = id(generator.settings)
    tracker = Runs.trackers.setdefault(key, Tracker())
    env = generator.env
    if not getattr(env.getattr, "tracked", False):
        env.getattr = tracker.wrap(env.getattr)
        env.getitem = tracker.wrap(env.getitem)
    DeferredWriter.observers[key] = tracker.observe


def keep_generators(generators: list[Any]) -> None:
    if generators and LIVE_PREVIEW.read(generators[0].settings):
        Runs.generators[id(generators[0].settings)] = generators


def register() -> None:
    signals.generator_init.connect(track_templates)
    signals.all_generators_finalized.connect(keep_generators)
