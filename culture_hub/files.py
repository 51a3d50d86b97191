"""File-system rules more than one capability keeps. No Pelican import.

The picture cache (``images``), the quote cards (``feeds.cards``) and the
search cache (``search.kept``) put files they made earlier into a build's
output as hard links, and read folders a pull request can commit files into:
a file there is trusted only as it was written (``stamp``, ``as_written``),
and a link there is never followed into the output.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path

# Why a hard link can fail where a copy would not: another disk, too many links, a
# file system without links, or one that forbids them.
LINK_REFUSED = frozenset({errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP})
# ``os.link`` arguments that link a symbolic link itself, never what it points to, where
# the system can say so (a checked ``lstat`` before linking covers the others).
NO_FOLLOW: dict[str, bool] = (
    {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
)


def stamp(found: os.stat_result) -> list[int]:
    """A file's size and modification time in nanoseconds, as a cache records them
    when it writes the file: a checkout (a committed cache) cannot reproduce both."""
    return [found.st_size, found.st_mtime_ns]


def as_written(found: os.stat_result, recorded: object) -> bool:
    """Whether ``found`` (an ``lstat``: a link is never taken for the file) is a regular
    file with the ``stamp`` recorded when it was written."""
    return stat.S_ISREG(found.st_mode) and recorded == stamp(found)


def write_json_aside(path: Path, value: object) -> None:
    """Write ``value`` as JSON into a new file beside ``path``, then rename it over
    ``path``: a build killed half-way, or one reading at the same time, never finds
    half a record."""
    handle, name = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(value, file, separators=(",", ":"))
    Path(name).replace(path)
