"""A build that cannot write says so in one plain line, and exits 1. No Pelican import.

Pelican's command line logs any exception with a traceback, which tells a
writer nothing about a full disk. Every step of the build that writes (our
writers, the forked page renderers, Pelican's static copies, the feeds,
Pagefind) ends here instead: :func:`write_failure` turns the ``OSError`` into
"The build could not write output/x: No space left on device; nothing was
published (free some space and build again)", and :func:`fail` prints it and
raises :class:`BuildFailed`, which derives from ``SystemExit`` for the same
reason as ``content_model``'s ``ContentErrors``: Pelican lets it through
without a traceback, and the process exits 1.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from culture_hub.content_model.problems import refuse

# Errors that only a write can cause.
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})
# What to do about each, in plain words.
FIXES = {
    errno.ENOSPC: "free some space and build again",
    errno.EDQUOT: "free some space (your disk quota is used up) and build again",
    errno.EFBIG: "a file is larger than this system lets a program write (see `ulimit -f`); "
    "raise the limit and build again",
    errno.EROFS: "the disk is read-only; choose an output folder you can write to",
    errno.EACCES: "check the folder's permissions, or choose an output folder you can write to",
    errno.EPERM: "check the folder's permissions, or choose an output folder you can write to",
}
OTHER_FIX = "fix what the message names and build again"
# The hidden folders a build writes into before they are swapped in (``swap.py``).
_STAGING = re.compile(r"\.(?P<name>.+)\.staging-[0-9]+")


def fail(message: str, error: BaseException | None = None, *, debug: bool = False) -> NoReturn:
    """Print ``message`` (and, when debugging, the error's traceback) and stop the build."""
    if debug and error is not None:
        traceback.print_exception(error, file=sys.stderr)
    refuse(message)


def published_name(name: str) -> str:
    """The output folder's own name for a staging folder's name (any other name as it is)."""
    match = _STAGING.fullmatch(name)
    return match["name"] if match else name


def shown(path: str | os.PathLike[str]) -> str:
    """``path`` as the writer knows it: the staging folder named as the output it
    becomes, and relative to the current folder when it is inside it."""
    parts = [published_name(part) for part in Path(path).parts]
    plain = Path(*parts) if parts else Path(path)
    try:
        return str(plain.relative_to(Path.cwd()))
    except ValueError:
        return str(plain)


def absolute(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute and normalised, symbolic links left as they are."""
    return Path(os.path.normpath(Path(path).absolute()))


def _inside(path: str, folders: Iterable[Path]) -> bool:
    where = absolute(path)
    return any(where == f or f in where.parents for f in folders)


def _paths_named(value: object) -> str | None:
    """``value`` as a path, if it can be one (not a page's text, say)."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text and "\n" not in text and len(text) < 4096:
            return text
    return None


def failed_file(error: OSError, folders: Iterable[str | os.PathLike[str]]) -> str | None:
    """The file a write failed on, preferring one inside ``folders`` (the output).

    A failed ``write()`` or ``close()`` (a full disk) carries no file name, and a
    failed copy names the source first, so the traceback is read too: the
    innermost frame holding a path inside the output folder names the file.
    """
    roots = [absolute(folder) for folder in folders]
    named = [error.filename2, error.filename]
    for name in named:
        text = _paths_named(name)
        if text and _inside(text, roots):
            return text
    frames = [frame for frame, _line in traceback.walk_tb(error.__traceback__)]
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            text = _paths_named(value)
            if text and _inside(text, roots) and absolute(text) not in roots:
                return text
    for name in named:
        text = _paths_named(name)
        if text:
            return text
    return None


def with_file(error: OSError, folders: Iterable[str | os.PathLike[str]]) -> OSError:
    """The same error, naming the file it failed on (for sending to another process,
    where the traceback that names it does not go)."""
    name = failed_file(error, folders)
    if name is None or name == error.filename:
        return error
    named = OSError(error.errno, error.strerror, name)
    named.__traceback__ = error.__traceback__
    return named


def consequence(output: Path, *, atomic: bool, published: bool) -> str:
    """What the failure did to the site, in words."""
    if atomic and not published:
        return "nothing was published"
    if atomic:
        return f"the new site is in {shown(output)}, but the build did not finish"
    return f"the site in {shown(output)} is incomplete"


def write_failure(
    error: OSError,
    *,
    output: Path,
    folders: Iterable[str | os.PathLike[str]],
    atomic: bool,
    published: bool = False,
) -> str:
    """The one-line message for an ``OSError`` that ended the build."""
    roots = [absolute(folder) for folder in folders]
    name = failed_file(error, roots)
    inside = name is not None and _inside(name, roots)
    verb = "write" if inside or error.errno in WRITE_ERRORS else "use"
    where = shown(name) if name else f"into {shown(output)}"
    reason = error.strerror or str(error)
    fix = FIXES.get(error.errno or 0, OTHER_FIX)
    return (
        f"The build could not {verb} {where}: {reason}; "
        f"{consequence(output, atomic=atomic, published=published)} ({fix})."
    )
