"""One file, one page: which of two pages written to the same file keeps it.

A page titled "Search" would be written to ``search/index.html``, where the
site's search page goes; two pages with the same title share an address.
Pelican notices only when the second one is written (with a traceback), and
pages rendered by forked processes not at all (the last one wins). So the
writer claims every file before writing it and asks ``settle`` who keeps a
file claimed twice: the site's own page over a story or page, and the first
of two stories or pages. The other one gets a problem at its file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.reserved import RESERVED, is_reserved_step

from .problems import Problem
from .registry import display_path


@dataclass(frozen=True)
class Claim:
    """A file the writer was asked to write, and what for."""

    name: str  # relative to the output folder
    content: Any | None  # the story or page written there; None for the site's own pages
    template: str  # the template's name, which says what a site page is

    @classmethod
    def of(cls, name: str, template: Any, kwargs: Mapping[str, Any]) -> Claim:
        """The claim of a ``Writer.write_file`` call (``template``: the Jinja template)."""
        content = kwargs.get("article") or kwargs.get("page")
        return cls(name, content, Path(getattr(template, "name", None) or "page").stem)

    @property
    def address(self) -> str:
        return "/" + self.name.removesuffix("index.html")


# The folders the search index is written into (``search.index.bundles``): ``pagefind``,
# then ``pagefind-2``... Indexing again replaces them whole, with any page inside.
SEARCH_INDEX_FOLDER = re.compile(r"pagefind(-[0-9]+)?")


def reserved(claim: Claim) -> Problem | None:
    """The problem with a story or page written where the site keeps its own files.

    The search index's folders (indexing again would remove the page), and
    ``_culture-hub`` anywhere in the address: the object-store publisher keeps
    its release record under ``/_culture-hub/`` and refuses a site with a page
    there, so the check says so at the story rather than the deploy at the end.
    """
    if claim.content is None:
        return None
    steps = claim.name.split("/")
    top, rest = steps[0], steps[1:]
    if any(is_reserved_step(step) for step in steps[:-1]):
        message = (
            f"the address {claim.address} uses '{RESERVED}', a name the site keeps for its "
            "own publishing records, so this page cannot be published there"
        )
    elif rest and SEARCH_INDEX_FOLDER.fullmatch(top):
        message = (
            f"the address /{top}/ is where the site's search index goes, so this page "
            "cannot be published there"
        )
    else:
        return None
    return Problem(
        display_path(Path(claim.content.source_path)),
        address_line(claim.content),
        message,
        "change the title or add a different 'slug:'",
    )


def address_line(content: Any) -> int:
    """The line a writer changes to move a story or page: its slug, else its title."""
    lines = getattr(content, "source_lines", {})
    return lines.get("slug", lines.get("title", 1))


def settle(first: Claim, second: Claim) -> tuple[bool, Problem] | None:
    """(whether ``first`` keeps the file, the problem at the other's file).

    ``None`` when neither is a story or page (two of the site's own pages at
    one file is a settings mistake), or both are the same one: left to
    Pelican's writer to report.
    """
    if first.content is second.content:  # both None, or one story written twice
        return None
    first_keeps = first.content is None or second.content is not None
    kept, lost = (first, second) if first_keeps else (second, first)
    shown = display_path(Path(lost.content.source_path))
    if kept.content is None:
        message = (
            f"the address {lost.address} is where the site's own {kept.template} page goes, "
            "so this page cannot be published there"
        )
    else:
        other = display_path(Path(kept.content.source_path))
        message = f"this page has the same address {lost.address} as {other}"
    fix = "change the title or add a different 'slug:'"
    return first_keeps, Problem(shown, address_line(lost.content), message, fix)
