"""The live preview's site: one full build kept in memory, then edits applied in place.

``LiveSite.build`` runs Pelican once and keeps its generators and render
jobs. ``LiveSite.update`` takes the watcher's changes: an edit to the words
of known stories or pages (``changes.plan``) is read again, applied to the
object every listing already holds, and only the pages that read a field it
changed (``tracking``) are rendered again, in well under a second on a large
site; the search index follows in the background.
Anything else, or an edit that moves the story in the site, rebuilds fully.

After each build or update the site tells the truth about itself
(``report``): the errors the publish build would refuse, and a version the
browser's reload script compares with its own. A full build removes the pages
the last one wrote and this one did not (a story whose address changed leaves
no stale page), and a story that cannot be built gets a page saying why at
the address it had, until it is fixed.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.contents import Content, SkipStub
from pelican.settings import read_settings

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.problems import Problem
from culture_hub.content_model.registry import display_path
from culture_hub.parallel.state import ParallelRun
from culture_hub.pelican_internals import forget_written, read_again
from culture_hub.run import Run
from culture_hub.search.plugin import Indexing
from culture_hub.search.settings import SEARCH_INDEX

from .changes import Plan, apply_in_place, changed_fields, plan, structural_change
from .report import error_page
from .state import LiveRun
from .tracking import affected

# The lists a generator keeps its content in (articles or pages generator).
CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles",
    "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip


class LiveSite:
    """A built site that can take edits; see the module docstring."""

    def __init__(self, settings_file: str, overrides: dict[str, Any]) -> None:
        self.settings_file = settings_file
        self.overrides = {**overrides, "LIVE_PREVIEW": True}
        self.settings: dict[str, Any] = read_settings(settings_file, override=self.overrides)
        self.known: dict[str, tuple[Any, Any]] = {}  # real path -> (generator, content)
        self.search: tuple[Indexing, threading.Thread] | None = None
        # What the browser is told: (version, problems), replaced as one value.
        self.view: tuple[int, tuple[Problem, ...]] = (0, ())
        self.pages: set[str] = set()  # the HTML files the last full build wrote
        self.broken: dict[str, str] = {}  # real path -> the address its page had

    @property
    def output(self) -> Path:
        return Path(self.settings["OUTPUT_PATH"])

    def watched(self) -> list[str]:
        """What the watcher looks at: the settings file, the theme and the content."""
        paths = [self.settings_file, self.settings["THEME"], self.settings["PATH"]]
        return [str(Path(p).resolve()) for p in paths if p and Path(p).exists()]

    def build(self) -> bool:
        """A full build (settings read again); ``False`` if it failed, already reported."""
        self._stop_search()
        addresses = {path: content.save_as for path, (_g, content) in self.known.items()}
        self.known = {}
        self._forget_run()
        before = self._html_files()
        try:
            self.settings = read_settings(self.settings_file, override=self.overrides)
            pelican = Pelican(self.settings)
            run = Run.of(self.settings)  # held: the run's state goes when the build ends
            pelican.run()
            problems = list(run.part(BuildState).problems)
        except Exception as error:  # a template or plugin error: report it, keep serving
            traceback.print_exc()
            self._show(
                [
                    *self.view[1],
                    Problem(
                        _shown(self.settings_file),
                        1,
                        f"the site could not be rebuilt: {type(error).__name__}: {error}",
                        "see the terminal running invoke serve; the pages are the last good ones",
                    ),
                ]
            )
            return False
        for generator in LiveRun.of(self.settings).generators:
            for name in CONTENT_LISTS:
                for content in getattr(generator, name, []):
                    self.known[str(Path(content.source_path).resolve())] = (generator, content)
        self._tidy(before, {**self.broken, **addresses}, problems)
        self._show(problems)
        return True

    def _show(self, problems: list[Problem]) -> None:
        """Tell the browser: a new version, and what is wrong now."""
        self.view = (self.view[0] + 1, tuple(problems))

    def _html_files(self) -> dict[str, int]:
        """Every HTML file of the output (relative POSIX path -> modification time)."""
        if not self.output.is_dir():
            return {}
        return {
            path.relative_to(self.output).as_posix(): path.stat().st_mtime_ns
            for path in self.output.rglob("*.html")
            if path.is_file()
        }

    def _tidy(
        self, before: dict[str, int], addresses: dict[str, str], problems: list[Problem]
    ) -> None:
        """Remove the pages the last build wrote and this one did not; give each story
        that cannot be built a page saying why, at the address it had."""
        after = self._html_files()
        written = {name for name, stamp in after.items() if before.get(name) != stamp}
        self.broken = {
            path: address
            for path, address in addresses.items()
            if path not in self.known and Path(path).is_file() and address.endswith(".html")
        }
        for path, address in self.broken.items():
            target = self.output / address
            if address in written or not target.resolve().is_relative_to(self.output.resolve()):
                continue  # another page has that address now
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(error_page(display_path(Path(path)), problems), encoding="utf-8")
            written.add(address)
        for name in self.pages - written:
            stale = self.output / name
            stale.unlink(missing_ok=True)
            for folder in stale.parents:  # the pretty URL's folder, if now empty
                if folder == self.output or any(folder.iterdir()):
                    break
                folder.rmdir()
        self.pages = written

    def _forget_run(self) -> None:
        """Let the last run's jobs and state go (kept after ``finalized`` for the updates)."""
        Run.end(self.settings)

    def update(self, changes: set[tuple[str, str]]) -> str:
        """Apply the watcher's changes; a line saying what was done."""
        started = time.perf_counter()
        work = plan(changes, self.known, Path(self.settings["PATH"]))
        if not work.rebuild and not work.edits:
            return ""
        self._stop_search()  # it would read pages while they are written
        try:
            reason, changed = (work.rebuild, set()) if work.rebuild else self._edit_in_place(work)
            pages = 0 if reason else self._render(changed)
        except Exception:  # reported; a full build starts from a clean slate
            traceback.print_exc()
            reason = "the update in place failed"
        if reason:
            done = self.build()
            verb = "rebuilt the site" if done else "the build failed"
            return f"-> {verb} ({reason}) in {time.perf_counter() - started:.2f} s"
        self._start_search()
        shown = {display_path(Path(path)) for path in work.edits}
        fresh = [p for p in BuildState.of(self.settings).problems if p.path in shown]
        self._show([*(p for p in self.view[1] if p.path not in shown), *fresh])
        edited = ", ".join(_shown(path) for path in work.edits)
        return (
            f"-> updated {edited} in place: {pages} pages rendered "
            f"in {time.perf_counter() - started:.2f} s"
        )

    def _edit_in_place(self, work: Plan) -> tuple[str, set[tuple[str, str]]]:
        """Read each edited file again and apply it.

        Returns the reason it cannot be applied (``""`` when it was) and the
        (source path, field) pairs that changed.
        """
        read = []
        for path in work.edits:
            generator, old = self.known[path]
            new = self._read(generator, old, path)
            if not isinstance(new, Content) or isinstance(new, SkipStub) or not new.is_valid():
                return f"{_shown(path)} cannot be built as it is; see the problems above", set()
            change = structural_change(old, new)
            if change:
                return f"the {change} of {_shown(path)} changed", set()
            read.append((old, new))
        changed = {
            (old.source_path, field) for old, new in read for field in changed_fields(old, new)
        }
        for old, new in read:
            apply_in_place(old, new)
        return "", changed

    def _read(self, generator: Any, old: Any, path: str) -> Any:
        BuildState.of(self.settings).forget(Path(path))
        new = read_again(generator, os.path.relpath(path, generator.path), type(old))
        if isinstance(new, Content) and not isinstance(new, SkipStub):
            new.refresh_metadata_intersite_links()
        return new

    def _render(self, changed: set[tuple[str, str]]) -> int:
        """Render again every page that read a changed field (and untracked output)."""
        parallel = ParallelRun.of(self.settings)
        writer, observe = parallel.writer, parallel.observe
        if writer is None or observe is None:
            raise RuntimeError("the last build kept no render jobs")  # a full build follows
        forget_written(writer)  # these pages are meant to be rewritten
        indexes = affected(writer.results, changed)
        for index in indexes:
            writer.results[index] = observe(writer.done[index])
        return len(indexes)

    def _start_search(self) -> None:
        """Index the site again in the background: the edited pages are already on disk."""
        self._stop_search()
        if not SEARCH_INDEX.read(self.settings):
            return
        indexing = Indexing(self.settings, str(self.output))
        thread = threading.Thread(target=self._index, args=(indexing,), daemon=True)
        thread.start()
        self.search = (indexing, thread)

    @staticmethod
    def _index(indexing: Indexing) -> None:
        try:
            indexing.run()
        except Exception:  # shown, and the preview goes on: the next edit indexes again
            traceback.print_exc()

    def _stop_search(self) -> None:
        if self.search is not None:
            indexing, thread = self.search
            indexing.stop()
            thread.join()
        self.search = None


def _shown(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def log(line: str) -> None:
    print(line, file=sys.stdout, flush=True)
