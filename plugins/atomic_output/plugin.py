"""Pelican glue: point each run at a staging folder, swap it in when finalized."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals

from .swap import Staging


class _Runs:
    """The staging of each Pelican instance's current run (by instance id)."""

    active: ClassVar[dict[int, Staging]] = {}


def start_run(pelican: Any) -> None:
    if not pelican.settings.get("ATOMIC_OUTPUT", False):
        return
    previous = _Runs.active.get(id(pelican))
    final = previous.final if previous else Path(pelican.output_path)
    staging = Staging.beside(final)
    pelican.output_path = str(staging.prepare())
    _Runs.active[id(pelican)] = staging
    # A failed run raises past `finalized`: remove its half-written folder.
    atexit.register(staging.abandon)


def finish_run(pelican: Any) -> None:
    staging = _Runs.active.get(id(pelican))
    if staging is None or not staging.staging.exists():
        return
    staging.commit(tuple(pelican.settings.get("OUTPUT_RETENTION", ())))
    pelican.output_path = str(staging.final)


def register() -> None:
    signals.get_generators.connect(start_run)
    signals.finalized.connect(finish_run)
