"""State of one build run: its settings, registry and the problems found so far.

The content model's part of the run's state (``culture_hub.run.Run``),
started afresh at the beginning of every run (``get_generators`` is the
first signal a run sends).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from culture_hub.run import Run

from .inventory import Inventory, scan
from .problems import ContentErrors, Level, Problem
from .registry import Registry, display_path, load_registry
from .rules import Site
from .settings import ContentSettings


def source_key(path: str) -> str:
    """A content file's path as Pelican's ``source_path`` is: absolute, symlinks as they are.

    (``Path.resolve`` would look up every link on the way: noticeable on thousands of files.)
    """
    return os.path.abspath(path)  # noqa: PTH100 - see above


class BuildState:
    """The content model's state for one run: settings, inventory, registry, problems."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.config = ContentSettings.from_settings(settings)
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()  # each problem is reported once, in O(1)
        self._site: Site | None = None
        self._inventory: Inventory | None = None
        # Files read ahead by worker processes (the parallel plugin), by path,
        # and sources of more such reads still arriving (called with a path).
        self.preread: dict[str, Any] = {}
        self.prereaders: list[Callable[[str], Any | None]] = []
        # Why each file Pelican failed to read failed, by path in the content folder.
        self.read_failures: dict[str, BaseException] = {}
        # The earliest future date of a story: the site changes then by itself.
        self.next_publication: datetime | None = None

    @classmethod
    def start(cls, settings: MutableMapping[str, Any]) -> BuildState:
        """A fresh state for the run that is beginning to generate."""
        run = Run.begin_generating(settings)
        run.drop(cls)
        return run.part(cls, lambda: cls(settings))

    @classmethod
    def end(cls, settings: MutableMapping[str, Any]) -> None:
        """Forget this run's content state (a long-lived process starting another)."""
        Run.of(settings).drop(cls)

    @classmethod
    def of(cls, settings: MutableMapping[str, Any]) -> BuildState:
        """The running build's state for these settings (started on first use)."""
        return Run.of(settings).part(cls, lambda: cls(settings))

    @property
    def site(self) -> Site:
        if self._site is None:
            registry, problems = load_registry(self.config.content, self.inventory.markdown)
            self.report(problems)
            self._site = Site(content=self.config.content, registry=registry)
        return self._site

    @property
    def inventory(self) -> Inventory:
        """Every file of the content folder, accounted for (walked once per run)."""
        if self._inventory is None:
            content = self.config.content
            if content.is_dir():
                self._inventory = scan(content, self.config.layout)
            else:
                self._inventory = Inventory(frozenset(), frozenset(), ())
            self.report(self._inventory.problems)
        return self._inventory

    def take_preread(self, path: str) -> Any | None:
        """A read done ahead of time for this file, if any (each is used once)."""
        absolute = source_key(path)
        found = self.preread.pop(absolute, None)
        for prereader in self.prereaders:
            found = found or prereader(absolute)
        return found

    @property
    def registry(self) -> Registry:
        return self.site.registry

    def report(self, problems: Iterable[Problem]) -> None:
        """Print each problem once, as ``path:line: level: message (fix)``.

        Problems are written straight to standard error, one per line, like a
        compiler's diagnostics: log handlers wrap and decorate lines, and
        editors and CI annotations need the ``path:line:`` prefix intact. In a
        dev build an error is shown as a warning and the build goes on.
        """
        for problem in problems:
            if problem in self._seen:
                continue
            self._seen.add(problem)
            self.problems.append(problem)
            if not self.config.print_problems:
                continue  # the checker prints them itself, in its own format
            shown = problem
            if problem.is_error and not self.config.strict:
                shown = replace(problem, level=Level.WARNING)
            print(shown, file=sys.stderr, flush=True)

    def note_scheduled(self, when: datetime) -> None:
        if self.next_publication is None or when < self.next_publication:
            self.next_publication = when

    def forget(self, source: Path) -> None:
        """Drop what was reported about one file, so reading it again reports afresh.

        The live preview re-reads an edited file within the same run: a
        problem still there is shown again, a fixed one is gone.
        """
        shown = display_path(source)
        self.problems = [p for p in self.problems if p.path != shown]
        self._seen = {p for p in self._seen if p.path != shown}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def gate(self) -> None:
        """Refuse to write output when a strict build found content errors."""
        if self.config.strict and self.errors:
            failure = ContentErrors(self.errors)
            print(failure.summary, file=sys.stderr, flush=True)
            raise failure
