"""Rules that look beyond one field: references to people, departments, files.

Each rule is a small function ``(doc, values, site) -> problems`` listed in
:data:`ARTICLE_RULES`; the reader and the checker run the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .frontmatter import Document
from .problems import Level, Problem, did_you_mean
from .registry import Registry

# Not a setting: cards, share previews and feed items are laid out for summaries
# this long, and fields.MAX_TEXT bounds every text field on the same scale.
SUMMARY_LIMIT = 300


@dataclass(frozen=True)
class Site:
    """What cross-reference rules need to know about the site being checked."""

    content: Path
    registry: Registry


Rule = Callable[[Document, dict[str, Any], Site], Iterator[Problem]]


def known_authors(doc: Document, values: dict[str, Any], site: Site) -> Iterator[Problem]:
    for ident in values.get("authors", []):
        if ident not in site.registry.people:
            yield Problem(
                doc.path,
                doc.line_of("authors"),
                f"unknown author '{ident}'",
                f"{did_you_mean(ident, site.registry.people)} Or add "
                f"content/people/{ident}.md for a new contributor.",
            )


def known_departments(doc: Document, values: dict[str, Any], site: Site) -> Iterator[Problem]:
    for ident in values.get("departments", []):
        if ident not in site.registry.departments:
            yield Problem(
                doc.path,
                doc.line_of("departments"),
                f"unknown department '{ident}'",
                did_you_mean(ident, site.registry.departments),
            )


def image_with_alt(doc: Document, values: dict[str, Any], site: Site) -> Iterator[Problem]:
    image = values.get("image")
    if image is None:
        if "image_alt" in values:
            yield Problem(
                doc.path,
                doc.line_of("image_alt"),
                "'image_alt' is given without an 'image'",
                "add the image or remove image_alt",
                Level.WARNING,
            )
        return
    if "image_alt" not in values:
        yield Problem(
            doc.path,
            doc.line_of("image"),
            "the image has no alt text",
            "add 'image_alt:' describing the picture for people who cannot see it",
        )
    relative = Path(image.removeprefix("{static}").lstrip("/"))
    if relative.is_absolute() or ".." in relative.parts or not (site.content / relative).is_file():
        yield Problem(
            doc.path,
            doc.line_of("image"),
            f"image '{image}' does not exist",
            "put the file under content/images/ and write 'image: images/<file>'",
        )


def summary_length(doc: Document, values: dict[str, Any], site: Site) -> Iterator[Problem]:
    summary = values.get("summary", "")
    if len(summary) > SUMMARY_LIMIT:
        yield Problem(
            doc.path,
            doc.line_of("summary"),
            f"the summary is {len(summary)} characters long; cards and previews cut it",
            f"keep it to one or two sentences, under {SUMMARY_LIMIT} characters",
            Level.WARNING,
        )


ARTICLE_RULES: tuple[Rule, ...] = (
    known_authors,
    known_departments,
    image_with_alt,
    summary_length,
)


def check_article(doc: Document, values: dict[str, Any], site: Site) -> list[Problem]:
    return [problem for rule in ARTICLE_RULES for problem in rule(doc, values, site)]
