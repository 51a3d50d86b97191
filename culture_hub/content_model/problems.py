"""Located content problems: what a writer did wrong, where, and how to fix it.

Every rule in the project reports a :class:`Problem`. The checker prints them,
the dev build logs them as warnings, and the strict (publish) build refuses to
write anything while any error is left.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

# Control characters shown as escapes: \n, \r, \x1b ...
_VISIBLE = {
    code: ("\\n" if code == 10 else "\\r" if code == 13 else f"\\x{code:02x}")
    for code in (*range(32), 127)
    if code != 9
}


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at one line (1-based)."""

    path: str
    line: int
    message: str
    fix: str = ""
    level: Level = Level.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.level}: {self.message}"
        text = f"{text} ({self.fix})" if self.fix else text
        # One problem, one line: a file name or field with a line break in it
        # must not start a line of its own (a CI log reads "::error ..." lines
        # at the start of a line as commands).
        return text.translate(_VISIBLE)

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


class ContentErrors(SystemExit):
    """Raised by the strict build when content has errors.

    It derives from ``SystemExit`` on purpose: Pelican's command line catches
    ``Exception`` and logs it *with* a traceback, but a writer's mistake must
    end the build with the located messages (already logged) and exit code 1,
    never a traceback. Callers that run Pelican in-process can still catch it.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "error" if count == 1 else "errors"
        super().__init__(1)
        self.summary = (
            f"{count} content {noun}; nothing was published. "
            "Fix the lines above (run `invoke check`) and build again."
        )

    def __str__(self) -> str:
        return self.summary


class BuildRefused(SystemExit):
    """The build cannot start as asked (exit code 1, a plain message, no traceback).

    Like :class:`ContentErrors` it derives from ``SystemExit``, so Pelican's
    command line does not print it as a crash; the caller prints ``message``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return self.message


def refuse(message: str) -> NoReturn:
    """Stop the build now: print ``message`` (one plain line) and exit with code 1."""
    failure = BuildRefused(message)
    print(failure, file=sys.stderr, flush=True)
    raise failure


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """A 'did you mean' hint naming the closest known value, or the known list."""
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not known:
        return "none are defined yet"
    shown = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    return f"known: {shown}"
