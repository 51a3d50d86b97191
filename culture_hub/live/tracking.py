"""Which fields of which content files each page read, found while its template runs.

Templates reach a story's fields through ``environment.getattr`` (Jinja
compiles ``story.title`` to it) and ``environment.getitem`` (``story["title"]``,
and the ``sort``, ``map`` and ``groupby`` filters' ``attribute=``), so
wrapping those two methods sees every field of every story, thought piece
and page a template touched: its own, the listing's, the related and
neighbouring ones. A page that read a field an edit changed is rendered
again; no other page can have changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from pelican.contents import Content
from pelican.writers import Writer

from culture_hub.parallel.forking import ContentFree

Getattr = Callable[[Any, Any], Any]
Read = tuple[str, str]  # (source path, field)


class Tracker:
    """Records the (source path, field) of content read while a job runs."""

    def __init__(self) -> None:
        self.seen: set[Read] | None = None

    def wrap(self, getattr_: Getattr) -> Getattr:
        """``getattr_`` (or ``getitem``) that also notes every content field it is asked for."""

        def tracking(obj: Any, name: Any) -> Any:
            if self.seen is not None and isinstance(obj, Content) and isinstance(name, str):
                self.seen.add((obj.source_path, name))
            return getattr_(obj, name)

        tracking.tracked = True  # type: ignore[attr-defined]
        return tracking

    def observe(self, job: Callable[[], None]) -> frozenset[Read] | None:
        """Run ``job``; the fields its template read, or ``None`` when it cannot be known.

        Only template renders are tracked; other jobs (feeds, written by Python)
        answer ``None`` and are re-run after every change, except those marked
        ``ContentFree`` (a picture's copies), which read no content at all.
        """
        if isinstance(job, ContentFree):
            job()
            return frozenset()
        if not (isinstance(job, partial) and job.func is Writer.write_file):
            job()
            return None
        self.seen = set()
        try:
            job()
            return frozenset(self.seen)
        finally:
            self.seen = None


def track(env: Any, tracker: Tracker) -> None:
    """Make the Jinja environment ``env`` report to ``tracker`` (once)."""
    if not getattr(env.getattr, "tracked", False):
        env.getattr = tracker.wrap(env.getattr)
        env.getitem = tracker.wrap(env.getitem)


def affected(results: list[frozenset[Read] | None], changed: set[Read]) -> list[int]:
    """Indexes of the jobs to run again after the ``changed`` fields were edited."""
    return [i for i, read in enumerate(results) if read is None or not read.isdisjoint(changed)]
