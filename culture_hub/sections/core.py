"""Department and people sections as plain data: who wrote what, where.

No Pelican import: articles are anything with ``departments``, ``people`` and
``date`` attributes, so the grouping is testable with simple objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from culture_hub.content_model.problems import Problem
from culture_hub.content_model.registry import Department, Person, Registry


@dataclass
class DepartmentSection:
    record: Department
    description: str
    articles: list[Any] = field(default_factory=list)
    lead: Person | None = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def url(self) -> str:
        return f"departments/{self.record.id}/"

    @property
    def latest(self) -> Any | None:
        return self.articles[0] if self.articles else None


@dataclass
class PersonSection:
    record: Person
    bio: str
    department: Department | None
    articles: list[Any] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def url(self) -> str:
        return f"people/{self.record.id}/"


def newest_first(articles: Iterable[Any]) -> list[Any]:
    return sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)


def build_sections(
    registry: Registry,
    articles: Sequence[Any],
    render: Any,
) -> tuple[list[DepartmentSection], list[PersonSection]]:
    """Group articles by department and by person.

    ``render`` turns a department's or person's Markdown body into HTML.
    """
    ordered = newest_first(articles)
    by_department: dict[str, list[Any]] = {}
    by_person: dict[str, list[Any]] = {}
    for article in ordered:  # one pass, not one per department and person
        for dept in dict.fromkeys(d.id for d in article.departments):
            by_department.setdefault(dept, []).append(article)
        for person in dict.fromkeys(p.id for p in article.people):
            by_person.setdefault(person, []).append(article)
    departments = [
        DepartmentSection(
            record=dept,
            description=render(dept),
            articles=by_department.get(dept.id, []),
            lead=registry.people.get(dept.lead),
        )
        for dept in sorted(registry.departments.values(), key=lambda d: d.name.lower())
    ]
    people = [
        PersonSection(
            record=person,
            bio=render(person),
            department=registry.departments.get(person.department),
            articles=by_person.get(person.id, []),
        )
        for person in sorted(registry.people.values(), key=lambda p: p.name.lower())
    ]
    return departments, people


_QUOTE_MARK = re.compile(
    r'<mark class="inline-quote" id="quote-\d+">(.*?)</mark>'
    r'(?: <span class="quote-share" id="share-quote-\d+"></span>)?',
    re.DOTALL,
)


def bio_quotes(record: Department | Person, quotes: Sequence[Any]) -> list[Problem]:
    """An ``[inlinetweet]`` in a bio or a department's description is an error at its line:
    those pages have no share links, so the quote would be a highlight nobody can share."""
    what = "a bio" if isinstance(record, Person) else "a department's description"
    return [
        Problem(
            record.path,
            quote.line,
            f"[inlinetweet] quotes belong in stories; {what} has no share links",
            "remove the [inlinetweet] and [/inlinetweet] tags and keep the words",
        )
        for quote in quotes
    ]


def unmark_quotes(html: str) -> str:
    """The words of each quote in ``html``, without its highlight or its links' place."""
    return _QUOTE_MARK.sub(r"\1", html)
