"""One build run's state, in one object hung on the run's settings.

Pelican's signals are module-level: a receiver gets a Pelican instance, a
generator, a writer or a list of generators, never "the run". What every
one of them does have is the settings dict (the same object for the
Pelican instance, its generators and its writer), so a run's state lives
there, under one private key no settings file can set (settings files only
define upper-case names).

Each capability keeps its part of the state as an object of its own class,
made on first use: ``Run.of(settings).part(FeedRun)``. A run begins when
Pelican starts (``initialized``: an up-to-date check or the output folder's
guard may keep something for the end) and ends at ``finalized``, after every
capability's receiver (``culture_hub.register`` connects the end last). A
run that fails never reaches ``finalized``: when the same Pelican instance
runs again (the preview, Pelican's autoreload), ``get_generators`` finds it
already generating and starts a fresh one, so nothing of a failed run
survives into the next, and no table keyed by ``id()`` outlives the objects
it names. A part that holds something Python does not free by itself (worker
processes) has a ``release()`` method: it is called when its run ends or is
replaced by a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

KEY = "_culture_hub_run"

T = TypeVar("T")


class Run:
    """The state of one build run: one part per capability."""

    def __init__(self) -> None:
        self._parts: dict[type, Any] = {}
        self.generating = False  # set at ``get_generators``: the run has begun making pages

    def part(self, kind: type[T], make: Callable[[], T] | None = None) -> T:
        """This run's ``kind`` part, made (by ``make``, or ``kind()``) on first use."""
        found = self._parts.get(kind)
        if found is None:
            found = self._parts[kind] = (make or kind)()
        return found

    def has(self, kind: type) -> bool:
        return kind in self._parts

    def drop(self, kind: type) -> None:
        self._parts.pop(kind, None)

    def release(self) -> None:
        """Let go of what the parts hold outside Python (see the module docstring)."""
        for part in list(self._parts.values()):
            release = getattr(part, "release", None)
            if callable(release):
                release()

    @staticmethod
    def start(settings: MutableMapping[str, Any]) -> Run:
        """A fresh run for these settings (the one before, if any, is released and forgotten)."""
        before = settings.get(KEY)
        if isinstance(before, Run):
            before.release()
        run = settings[KEY] = Run()
        return run

    @staticmethod
    def of(settings: MutableMapping[str, Any]) -> Run:
        """The current run for these settings (started on first use)."""
        run = settings.get(KEY)
        return run if isinstance(run, Run) else Run.start(settings)

    @staticmethod
    def begin_generating(settings: MutableMapping[str, Any]) -> Run:
        """Sent at ``get_generators``: the current run, or a fresh one if the one before
        began generating and never finished (it failed): nothing of it is kept."""
        run = Run.of(settings)
        if run.generating:
            run = Run.start(settings)
        run.generating = True
        return run

    @staticmethod
    def end(settings: MutableMapping[str, Any]) -> None:
        run = settings.pop(KEY, None)
        if isinstance(run, Run):
            run.release()

    def __reduce__(self) -> Any:
        # A run never travels to another process: worker processes are forked
        # and inherit it, and a pickled settings dict (spawn) starts without one.
        return (Run, ())
