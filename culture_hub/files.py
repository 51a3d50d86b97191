"""File-system rules more than one capability keeps. No Pelican import.

The picture cache (``images``) and the search cache (``search.kept``) both put
files they made earlier into a build's output as hard links, and both read
folders a pull request can commit files into: a link there must never be
followed into the output.
"""

from __future__ import annotations

import errno
import os

# Why a hard link can fail where a copy would not: another disk, too many links, a
# file system without links, or one that forbids them.
LINK_REFUSED = frozenset({errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP})
# ``os.link`` arguments that link a symbolic link itself, never what it points to, where
# the system can say so (a checked ``lstat`` before linking covers the others).
NO_FOLLOW: dict[str, bool] = (
    {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
)
