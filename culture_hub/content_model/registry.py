"""Departments and people: read from the content folder being built.

They are registries, not articles: ``content/departments/<id>.md`` and
``content/people/<id>.md``, the id being the file name. Loading them is pure
(no Pelican import) so the checker, the build and the tests share it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .colours import badge_colours
from .frontmatter import FrontMatterError, split
from .problems import Problem, did_you_mean
from .references import content_file
from .schema import KINDS, read_fields
from .unfinished import placeholder_body, placeholder_fields


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    hashtag: str
    lead: str
    body: str
    path: str
    colour: str = "#38576b"
    body_line: int = 1

    @property
    def badge_background(self) -> str:
        """The department colour, darkened if needed so badge text passes WCAG AA."""
        return badge_colours(self.colour)[0]

    @property
    def badge_text(self) -> str:
        return badge_colours(self.colour)[1]


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    department: str
    body: str
    path: str
    x: str = ""
    mastodon: str = ""
    bluesky: str = ""
    linkedin: str = ""
    github: str = ""
    avatar: str = ""
    body_line: int = 1

    @property
    def avatar_file(self) -> str | None:
        """The content-relative file of the avatar, if it is one of the site's images."""
        return content_file(self.avatar) if self.avatar else None

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(network name, profile URL) for each handle the person gave."""
        links = []
        if self.x:
            links.append(("X", f"https://x.com/{self.x}"))
        if self.mastodon:
            links.append(("Mastodon", _mastodon_url(self.mastodon)))
        if self.bluesky:
            links.append(("Bluesky", _profile_url(self.bluesky, "https://bsky.app/profile/")))
        if self.linkedin:
            links.append(("LinkedIn", _profile_url(self.linkedin, "https://www.linkedin.com/in/")))
        return links


def _profile_url(value: str, base: str) -> str:
    return value if value.startswith("https://") else base + value.lstrip("@")


def _mastodon_url(value: str) -> str:
    """``@user@host`` → ``https://host/@user``; a URL stays as it is."""
    if value.startswith("https://"):
        return value
    user, _, host = value.lstrip("@").partition("@")
    return f"https://{host}/@{user}" if host else f"https://mastodon.social/@{user}"


@dataclass(frozen=True)
class Registry:
    departments: dict[str, Department] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """The path as a writer would type it: relative to the working folder if inside it."""
    try:
        here = os.getcwd()  # noqa: PTH109 - a str, the cache's key
        return str(real_path(path).relative_to(real_folder(here)))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=32)
def real_folder(folder: str) -> Path:
    """A folder with its links resolved, remembered: asked once per file read."""
    return Path(folder).resolve()


def real_path(path: Path) -> Path:
    """``path.resolve()``, with its folder's resolution remembered (``real_folder``):
    one look at the file rather than one at every folder above it, per file read."""
    if path.is_symlink() or path.name in ("", ".", ".."):
        return path.resolve()
    folder = path.parent if path.is_absolute() else Path.cwd() / path.parent  # not normalised:
    return real_folder(str(folder)) / path.name  # "link/.." is where the link leads, then up


def _read_folder(
    folder: Path, kind_name: str, accounted: Container[str] | None = None
) -> tuple[list[tuple[str, dict[str, Any], Any]], list[Problem]]:
    """Read every ``*.md`` of a registry folder: (id, values, document) each.

    With ``accounted`` (the build's inventory), only files in it are read:
    the inventory has refused links, special files and oversized files.
    """
    kind = KINDS[kind_name]
    records = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return records, problems
    for path in sorted(folder.glob("*.md")):
        if path.is_symlink() or not path.is_file():
            continue  # reported by the inventory; never followed
        if accounted is not None and f"{folder.name}/{path.name}" not in accounted:
            continue
        shown = display_path(path)
        try:
            doc = split(path.read_text(encoding="utf-8"), shown)
        except UnicodeDecodeError:
            problems.append(Problem(shown, 1, "the file is not UTF-8 text", "save it as UTF-8"))
            continue
        except FrontMatterError as exc:
            problems.append(exc.problem)
            continue
        values, found = read_fields(doc, kind)
        problems.extend(found)
        if any(p.is_error for p in found):
            continue
        # Unfinished, but usable: the preview still shows the person's stories.
        problems.extend([*placeholder_fields(doc, values), *placeholder_body(doc)])
        records.append((path.stem, values, doc))
    return records, problems


def load_registry(
    content: Path, accounted: Container[str] | None = None
) -> tuple[Registry, list[Problem]]:
    """Load and cross-check ``departments/`` and ``people/`` under ``content``
    (only the ``accounted`` files, content-relative, when given)."""
    dept_rows, problems = _read_folder(content / "departments", "department", accounted)
    people_rows, people_problems = _read_folder(content / "people", "person", accounted)
    problems.extend(people_problems)
    departments = {
        ident: Department(id=ident, body=doc.body, path=doc.path, body_line=doc.body_line, **values)
        for ident, values, doc in dept_rows
    }
    people = {
        ident: Person(id=ident, body=doc.body, path=doc.path, body_line=doc.body_line, **values)
        for ident, values, doc in people_rows
    }
    for ident, values, doc in dept_rows:
        if values["lead"] not in people:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of("lead"),
                    f"department '{ident}' has an unknown lead '{values['lead']}'",
                    did_you_mean(values["lead"], people),
                )
            )
    for ident, values, doc in people_rows:
        if values["department"] not in departments:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of("department"),
                    f"person '{ident}' is in an unknown department '{values['department']}'",
                    did_you_mean(values["department"], departments),
                )
            )
    return Registry(departments=departments, people=people), problems
