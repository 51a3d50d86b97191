"""What a build depends on, as one digest; and a digest of what it wrote. No Pelican import.

A build is a function of its inputs: the files of the content folder, the
theme and the plugins, the settings, the installed packages, and the day
(the contributions chart counts months back from today, and a scheduled
story appears when its time comes). If none of them changed and the output
folder is as the last build left it, building again would write the same
bytes, so it can be skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# How installed distributions name the folders of their metadata.
METADATA_FOLDERS = (".dist-info", ".egg-info")
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".ruff_cache"})


def tree_stamp(root: Path, skip: Iterable[Path] = ()) -> list[tuple[str, int, int | str]]:
    """(path, size, modification time in ns) of every file under ``root``, sorted.

    A symbolic link (to a file or a folder) is stamped by where it points,
    never followed: adding one is a change (the build reports it), and a
    link to its own folder cannot make the walk loop. A folder that cannot be
    read is stamped as such (the walk goes on; reading it is the build's to
    report, as ``os.walk`` left it before). Folders named in
    ``SKIPPED_DIRS`` (or links to folders so named) are left out.

    Walked with ``os.scandir``, one ``stat`` a file: every build stamps its
    output when it ends, thousands of files, and the time is the build's.
    """
    skipped = {str(p) for p in skip}
    stamps: list[tuple[str, int, int | str]] = []
    start = len(str(root)) + 1
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            entries = os.scandir(folder)
        except OSError as error:  # unreadable, or gone: stamped as such, the build says why
            stamps.append((folder[start:], -2, error.strerror or str(error)))
            continue
        with entries:
            for entry in entries:
                if entry.path in skipped:
                    continue
                if entry.name in SKIPPED_DIRS and entry.is_dir():
                    continue
                if entry.is_symlink():
                    stamps.append((entry.path[start:], -1, os.readlink(entry.path)))  # noqa: PTH115 - str paths: thousands
                elif entry.is_dir():
                    pending.append(entry.path)
                else:
                    stat = entry.stat()
                    stamps.append((entry.path[start:], stat.st_size, stat.st_mtime_ns))
    return sorted(stamps)


def file_stamp(path: Path) -> list[int] | None:
    """[size, modification time in ns] of one file, ``None`` if it is not there."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def settings_text(settings: Mapping[str, Any]) -> str:
    """The settings as stable text: reprs without the memory addresses of functions.

    Private keys (``_culture_hub_run``: the run's state) are not settings.
    """
    shown = sorted((str(k), repr(v)) for k, v in settings.items() if not str(k).startswith("_"))
    return ADDRESS.sub("", repr(shown))


def packages() -> list[str]:
    """Every installed distribution as its metadata folder's name (``name-version``), sorted.

    The folder names what is installed, as ``importlib.metadata`` would, without
    reading every package's metadata file: a twentieth of a second at every start.
    """
    found: set[str] = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")  # noqa: PTH208 - names only
        except OSError:  # a zip file, or a folder that is not there
            continue
        found.update(name for name in names if name.endswith(METADATA_FOLDERS))
    return sorted(found)


def digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def inputs_digest(
    settings: Mapping[str, Any], folders: Iterable[Path], day: str, skip: Iterable[Path] = ()
) -> str:
    """One digest of everything the build reads (files by size and modification time)."""
    skip = list(skip)
    trees = {str(folder): tree_stamp(folder, skip) for folder in folders if folder.is_dir()}
    return digest(settings_text(settings), trees, packages(), day)


def output_digest(output: Path) -> str:
    """One digest of the output folder as it is on disk."""
    return digest(tree_stamp(output)) if output.is_dir() else ""
