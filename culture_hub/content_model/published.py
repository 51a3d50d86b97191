"""What a build publishes decides what else it may publish. No Pelican import.

An image reaches the site only when a page the build publishes uses it (a
cover, an inline picture, an avatar): the cover of a staff-only, draft or
scheduled story stays out of the public site with its story. A link to a
story the build leaves out would publish that story's file name (Pelican
leaves ``{filename}`` links it cannot resolve as they are), so it is an
error at the link.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .problems import Problem
from .registry import Person, display_path


def used_files(contents: Iterable[Any], people: Iterable[Person]) -> set[str]:
    """Content-relative files used by these published pages and people."""
    used: set[str] = set()
    for content in contents:
        used.update(getattr(content, "metadata", {}).get("uses", ()))
    used.update(person.avatar_file for person in people if person.avatar_file)
    return used


def unpublished_links(contents: Iterable[Any], published: set[str]) -> list[Problem]:
    """A problem at each link from a published page to a page this build leaves out."""
    problems = []
    for content in contents:
        links = getattr(content, "metadata", {}).get("links_to", ())
        for line, target in links:
            if target in published:
                continue
            problems.append(
                Problem(
                    display_path(Path(content.source_path)),
                    line,
                    f"the link to '{target}' leads to a page this build does not publish "
                    "(a draft, a scheduled or staff-only story, or one with errors)",
                    "remove the link, or publish the linked story first",
                )
            )
    return problems
