"""A build that must stop says so in one plain line, and exits 1. No Pelican import.

:func:`fail` prints the message and raises :class:`BuildFailed`, which
derives from ``SystemExit`` for the same reason as ``content_model``'s
``ContentErrors``: Pelican's command line logs any exception with a
traceback, but lets this one through, and the process exits 1.
"""

from __future__ import annotations

import sys
import traceback
from typing import NoReturn


class BuildFailed(SystemExit):
    """The build stopped for a reason already printed in plain words: exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return self.message


def fail(message: str, error: BaseException | None = None, *, debug: bool = False) -> NoReturn:
    """Print ``message`` (and, when debugging, the error's traceback) and stop the build."""
    if debug and error is not None:
        traceback.print_exception(error, file=sys.stderr)
    print(message, file=sys.stderr, flush=True)
    raise BuildFailed(message)
