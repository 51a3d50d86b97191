"""The places where the content model reaches into Pelican beyond its signals.

Each is an assumption about Pelican 4.12 that an upgrade could break; the
tests in ``tests/unit/test_pelican_internals.py`` check every one, so an
upgrade fails a named test instead of the site.

- ``Generator.get_files(paths, exclude, extensions)`` is how every generator
  (articles, pages, static files, and the parallel read-ahead) lists the
  content folder. Pelican walks with ``followlinks=True`` and takes any path a
  ``{static}`` link names, even ``../../etc/passwd``. It is replaced by a
  listing of the build's inventory: only files the content model accounted
  for, never a link, never anything outside the content folder.
- ``Readers.reader_classes`` maps a file extension to a reader class; the
  ``static`` entry reads static files. Every other reader (Pelican's own HTML,
  reStructuredText and Markdown readers) is removed, so content is read only
  through the culture-hub reader.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Any

import pelican
from pelican.generators import Generator

from culture_hub.content_model.build import BuildState

SUPPORTED = ("4.12",)
_ORIGINAL_GET_FILES = Generator.get_files


def version_supported() -> bool:
    return any(pelican.__version__.startswith(v) for v in SUPPORTED)


def accounted_files(
    generator: Any,
    paths: str | list[str],
    exclude: list[str] | None = None,
    extensions: Any = None,
) -> set[str]:
    """Pelican's ``get_files``, answered from the build's inventory.

    Same arguments and result: paths relative to the content folder, under
    ``paths`` (folders or single files), minus ``exclude`` and ignored names,
    with an extension ``extensions`` allows (``False``: any).
    """
    state = BuildState.of(generator.settings)
    files = state.inventory.files
    excluded = [posixpath.normpath(e) for e in exclude or ()]
    ignores = generator.settings.get("IGNORE_FILES", [])
    found: set[str] = set()
    for path in [paths] if isinstance(paths, str) else paths:
        prefix = posixpath.normpath(path) if path else ""
        if prefix in files:
            candidates: Any = (prefix,)
        else:
            candidates = (f for f in files if not prefix or f.startswith(prefix + "/"))
        for name in candidates:
            if any(name == e or name.startswith(e + "/") for e in excluded):
                continue
            if any(fnmatch.fnmatch(part, i) for part in name.split("/")[:-1] for i in ignores):
                continue
            if generator._include_path(name, extensions):
                found.add(name)
    return found


def only_our_reader(readers: Any, ours: type, extensions: list[str]) -> None:
    """Leave ``readers`` with the static-file reader and ``ours`` for ``extensions``."""
    static = readers.reader_classes.get("static")
    readers.reader_classes.clear()
    if static is not None:
        readers.reader_classes["static"] = static
    for extension in extensions:
        readers.reader_classes[extension] = ours


def install() -> None:
    """Make every generator list files through the inventory (idempotent)."""
    Generator.get_files = accounted_files  # type: ignore[method-assign]
