"""What an edit changed: only the words of a story, or how the site is put together.

An edit that keeps a file's address, date, status, department, people, tags
and every other front-matter field can be applied in place: the same pages
list it, in the same order, and only the pages that show it are rendered
again. Anything else (a new, moved or deleted file, a department or person,
a template, the settings) needs a full rebuild.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.pelican_internals import forget_memoized

# Front matter that only changes what a page shows, never which pages list it or where.
DISPLAY_FIELDS = frozenset(
    {
        "title",
        "summary",
        "summary_text",
        "source_digest",
        "source_lines",
        "inline_quotes",
        "quote_texts",
    }
)
# Attributes the generator sets after reading (translations); the old object keeps its own.
SET_BY_GENERATOR = frozenset({"translations"})
# Properties not worth asking: Pelican logs a deprecation warning on each read of these.
DEPRECATED = frozenset({"filename", "filepath"})


@dataclass(frozen=True)
class Plan:
    """Files to update in place, or the reason the whole site must be rebuilt."""

    edits: tuple[str, ...] = ()
    rebuild: str = ""


def plan(changes: Iterable[tuple[str, str]], known: Container[str], root: Path) -> Plan:
    """Sort watcher events (``("added" | "modified" | "deleted", path)``) into a plan.

    ``known`` holds the real paths of the stories and pages of the last build;
    an editor that saves by replacing the file reports it as added, which is
    still an edit of a known file. Files that came and went between two looks
    (an editor's or ``sed -i``'s temporary copy) are no change at all.
    """
    edits: list[str] = []
    for kind, path in sorted(changes):
        real = str(Path(path).resolve())
        exists = Path(real).exists()
        if real not in known and not exists:
            continue
        if kind == "deleted" and not exists:
            return Plan(rebuild=f"{_shown(real, root)} was deleted")
        if real not in known:
            return Plan(rebuild=f"{_shown(real, root)} changed")
        if real not in edits:
            edits.append(real)
    return Plan(edits=tuple(edits))


def structural_change(old: Any, new: Any) -> str:
    """The first difference that moves ``new`` in the site, or ``""`` if there is none."""
    for name in ("__class__", "status", "url", "save_as", "template"):
        if getattr(old, name, None) != getattr(new, name, None):
            return name.strip("_")
    old_meta, new_meta = _structural(old.metadata), _structural(new.metadata)
    for key in sorted(old_meta.keys() | new_meta.keys()):
        if old_meta.get(key) != new_meta.get(key):
            return key
    return ""


def changed_fields(old: Any, new: Any) -> frozenset[str]:
    """The attributes a template could read that differ between ``old`` and ``new``.

    Stored attributes are compared (only those the reader sets: the ones the
    generator added later stay as they are), then every property of the
    class (``content``, ``summary``, ``url``...), which derive from them.
    """
    changed = {
        name
        for name, value in vars(new).items()
        if name not in SET_BY_GENERATOR and not _same(vars(old).get(name, _MISSING), value)
    }
    for klass in type(old).__mro__:
        for name, member in vars(klass).items():
            if name in DEPRECATED or not isinstance(member, property):
                continue
            if not _same(_read(old, name), _read(new, name)):
                changed.add(name)
    return frozenset(changed)


_MISSING = object()


def _read(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except Exception:  # a property that cannot answer counts as changed
        return _MISSING


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return False
    try:
        return bool(a == b)
    except Exception:  # values that cannot be compared count as changed
        return False


def apply_in_place(old: Any, new: Any) -> None:
    """Give ``old`` (the object every listing and page already refers to) ``new``'s data.

    Pelican memoizes ``get_content`` and ``get_summary`` per object, so the
    answers it kept for ``old`` are dropped too.
    """
    old.__dict__.update(
        {key: value for key, value in new.__dict__.items() if key not in SET_BY_GENERATOR}
    )
    forget_memoized(old)


def _structural(metadata: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in metadata.items() if key not in DISPLAY_FIELDS}


def _shown(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path
