"""Static files copied whole, or the build fails. No Pelican import.

Pelican copies images and the theme's static files with ``copy_file``,
which catches a failed copy (a full disk), logs a warning and goes on: the
build would exit 0 and publish a truncated image. So the copies are
checked after the build wrote them: each must exist with its source's size
(a ``stat`` each, a few hundred at most). The reason, when Pelican logged
one, comes from ``culture_hub.pelican_internals.watch_failed_copies``.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Copy:
    source: Path
    target: Path


def incomplete(copies: Iterable[Copy]) -> Iterator[tuple[Copy, str]]:
    """Each copy whose target is missing or shorter than its source, with what is wrong."""
    for copy in copies:
        try:
            wanted = copy.source.stat().st_size
        except OSError:  # no source: nothing was to be copied
            continue
        try:
            written = copy.target.stat().st_size
        except OSError:
            yield copy, "it was not copied"
            continue
        if written != wanted:
            yield copy, f"only {written} of its {wanted} bytes were copied"


def theme_copies(
    theme: Path, paths: Iterable[str], static_dir: str, output: Path, ignores: Iterable[str]
) -> Iterator[Copy]:
    """The copies Pelican makes of the theme's static paths (as ``StaticGenerator``
    does: a file into the static folder, a folder's contents into it)."""
    patterns = list(ignores)

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)

    for path in paths:
        source = theme / path
        if ignored(source.name):
            continue
        if source.is_file():
            yield Copy(source, output / static_dir / source.name)
            continue
        for folder, subfolders, files in os.walk(source, followlinks=True):
            subfolders[:] = [name for name in subfolders if not ignored(name)]
            relative = Path(folder).relative_to(source)
            for name in files:
                if not ignored(name):
                    yield Copy(Path(folder) / name, output / static_dir / relative / name)
