"""Pelican's own "could not process" errors, turned into problems at the file.

When making a page of a file fails in Pelican itself (not in our reader,
which reports its own problems), Pelican logs "Could not process <path>",
without the reason, and leaves the file out: the publish build would go on
without the story. This filter sees those log records as they are made
(inside Pelican's ``except`` block, so the exception is still at hand) and
reports a problem at the file with the reason, which fails a strict build.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .problems import Problem
from .registry import display_path

# The records Pelican makes when it leaves a source file out, by logger.
WATCHED = ("pelican.generators", "pelican.contents")
_NOT_PROCESSED = "Could not process %s"
_MISSING = "Skipping %s: could not find information about '%s'"


class LeftOutFiles(logging.Filter):
    """Reports each file Pelican leaves out of the build (always lets the record through)."""

    def __init__(self, content: Path, report: Callable[[list[Problem]], None]) -> None:
        super().__init__()
        self.content = content
        self.report = report

    def filter(self, record: logging.LogRecord) -> bool:
        problem = left_out(record, self.content, sys.exc_info()[1])
        if problem:
            self.report([problem])
        return True


def left_out(
    record: logging.LogRecord, content: Path, error: BaseException | None
) -> Problem | None:
    """The problem a Pelican log record stands for, if it says a file was left out."""
    args = record.args if isinstance(record.args, tuple) else ()
    if record.msg == _NOT_PROCESSED and args:
        reason = f": {error}" if error else ""
        return Problem(
            _shown(content, str(args[0])),
            1,
            f"Pelican could not make a page of this file{reason}",
            "correct what the message names; `invoke check --file` lists every problem",
        )
    if record.msg == _MISSING and len(args) == 2:
        return Problem(
            _shown(content, str(args[0])),
            1,
            f"the page has no {args[1]}, so Pelican left it out",
            f"add `{args[1]}:` to the front matter",
        )
    return None


def _shown(content: Path, path: str) -> str:
    source = Path(path)
    return display_path(source if source.is_absolute() else content / source)


def watch(content: Path, report: Callable[[list[Problem]], None]) -> Callable[[], None]:
    """Start reporting left-out files; returns what stops it."""
    watcher = LeftOutFiles(content, report)
    loggers = [logging.getLogger(name) for name in WATCHED]
    for logger in loggers:
        logger.addFilter(watcher)

    def stop() -> None:
        for logger in loggers:
            logger.removeFilter(watcher)

    return stop
