"""Contributor workflow helpers: scaffold a story, the calendar, CODEOWNERS. No Pelican import."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from unidecode import unidecode

from .frontmatter import FrontMatterError, split
from .problems import did_you_mean
from .registry import Registry, load_registry
from .schema import ARTICLE_KINDS, KINDS, Kind, read_fields
from .unfinished import BIO_PLACEHOLDER, NOTE_END, NOTE_LINES, NOTE_START


def slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", unidecode(text).lower())
    return "-".join(words)[:60].strip("-") or "story"


class ScaffoldError(ValueError):
    """The story cannot be scaffolded as asked; the message says why and what to do."""


DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


def parse_date(text: str) -> datetime:
    """A writer's ``--date``: ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``.

    Checked here, not by ``datetime.fromisoformat`` in the task, so that a
    date that does not exist (2026-02-30) or a word (tomorrow) is one plain
    line that says what to write, never a traceback.
    """
    value = " ".join(text.split())
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    raise ScaffoldError(
        f"--date '{text}' is not a real date in the form YYYY-MM-DD [HH:MM]; "
        "write e.g. --date 2026-03-14 or --date '2026-03-14 09:30'"
    )


def unknown_ids(wanted: Iterable[str], known: Iterable[str], what: str) -> list[str]:
    known = list(known)
    return [
        f"unknown {what} '{ident}': {did_you_mean(ident, known)}"
        for ident in wanted
        if ident not in known
    ]


@dataclass(frozen=True)
class Scaffolded:
    """What ``create_story`` wrote: the story, and profiles started for new people."""

    story: Path
    people: tuple[Path, ...]


def create_story(
    folder: Path,
    *,
    title: str,
    authors: list[str],
    departments: list[str],
    tags: list[str],
    summary: str,
    when: datetime,
    create_person: bool = False,
) -> Scaffolded:
    """Write ``stories/<date>-<slug>.md`` (and ``people/<id>.md`` for new authors).

    Raises :class:`ScaffoldError` with every reason at once (unknown ids with
    a suggestion, a missing author or department, a file already there)
    before writing anything.
    """
    if not title:
        raise ScaffoldError("A story needs a title (--title).")
    if not authors or not departments:
        raise ScaffoldError("A story needs at least one author and one department.")
    registry, _ = load_registry(folder)
    problems = unknown_ids(departments, registry.departments, "department")
    new_people = [a for a in authors if a not in registry.people]
    if new_people and not create_person:
        problems += unknown_ids(new_people, registry.people, "author")
        problems.append("(a new contributor? add --create-person to start their profile)")
    if problems:
        raise ScaffoldError("\n".join(problems))
    slug = slugify(title)
    target = folder / "stories" / f"{when:%Y-%m-%d}-{slug}.md"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another title or date.")
    people = []
    for ident in new_people:
        person = folder / "people" / f"{ident}.md"
        person.write_text(person_stub(ident.replace("-", " ").title(), departments[0]))
        people.append(person)
    target.write_text(
        story_text(
            title=title,
            when=when,
            authors=authors,
            departments=departments,
            tags=tags,
            summary=summary,
            ident=f"{when:%Y-%m}-{slug}",
        )
    )
    return Scaffolded(target, tuple(people))


def _yaml(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value`` (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def story_text(
    *,
    title: str,
    when: datetime,
    authors: Sequence[str],
    departments: Sequence[str],
    tags: Sequence[str],
    summary: str,
    ident: str,
) -> str:
    tag_list = ", ".join(_yaml(t) for t in tags)
    note = "\n".join(NOTE_LINES)
    return f"""---
# Your story's details. Lines starting with '#' are notes for you; leave them or delete them.
title: {_yaml(title)}
date: {when:%Y-%m-%d %H:%M}        # publication date and time; a future date schedules it
authors: [{", ".join(authors)}]             # file names in content/people/
departments: [{", ".join(departments)}]     # file names in content/departments/
tags: [{tag_list}]
summary: {_yaml(summary)}
# image: images/your-picture.jpg   # optional: put the file in content/images/
# image_alt: What the picture shows, for people who cannot see it
# audience: staff                  # uncomment to keep the story inside the company
# status: draft                    # uncomment while you are still writing
id: {ident}                         # never change this: feeds use it to recognise the story
---
{NOTE_START} {note} {NOTE_END}
"""


def person_stub(name: str, department: str) -> str:
    return f"""---
name: {_yaml(name)}
role: Contributor                  # your job title
department: {department}
# x: your_handle                   # optional social handles
# github: your-github-name         # so pull requests are routed to reviewers
---
{BIO_PLACEHOLDER}
"""


@dataclass(frozen=True)
class Planned:
    when: datetime
    title: str
    departments: tuple[str, ...]
    path: str
    state: str


def article_fields(content: Path) -> Iterator[tuple[Kind, Path, dict[str, Any]]]:
    """Every story and thought piece with its front matter fields, read without building.

    Files whose front matter cannot be read are skipped: `invoke check` reports them.
    """
    for kind in (KINDS[name] for name in ARTICLE_KINDS):
        for path in sorted((content / kind.folder).glob("*.md")):
            try:
                doc = split(path.read_text(encoding="utf-8"), str(path))
            except (FrontMatterError, UnicodeDecodeError):
                continue
            yield kind, path, read_fields(doc, kind)[0]


def calendar(content: Path, now: datetime) -> list[Planned]:
    """Scheduled (future-dated) stories and drafts, by date then department."""
    rows = []
    for _kind, path, values in article_fields(content):
        if "date" not in values:
            continue
        when = (
            values["date"] if values["date"].tzinfo else values["date"].replace(tzinfo=now.tzinfo)
        )
        draft = values.get("status") == "draft"
        if draft or when > now:
            rows.append(
                Planned(
                    when,
                    values.get("title", path.stem),
                    tuple(values.get("departments", [])),
                    str(path),
                    "draft" if draft else "scheduled",
                )
            )
    return sorted(rows, key=lambda r: (r.when, r.departments, r.title))


# What a CODEOWNERS path may hold without escaping (spaces, '#', '*', '!' may not).
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def codeowners(registry: Registry, content: Path, default: Sequence[str]) -> str:
    """CODEOWNERS that routes each story to its departments' leads."""

    def handle(person_id: str) -> str:
        person = registry.people.get(person_id)
        return f"@{person.github}" if person and person.github else ""

    lines = [
        "# Generated by `invoke codeowners` from content/departments and content/people.",
        "# Do not edit by hand: CI checks that it is up to date.",
        f"* {' '.join(default)}".rstrip(),
    ]
    for dept in sorted(registry.departments.values(), key=lambda d: d.id):
        owner = handle(dept.lead)
        if owner and SAFE_NAME.match(dept.id):
            lines.append(f"/content/departments/{dept.id}.md {owner}")
    for person in sorted(registry.people.values(), key=lambda p: p.id):
        dept = registry.departments.get(person.department)
        owners = dict.fromkeys(
            o for o in (handle(person.id), handle(dept.lead) if dept else "") if o
        )
        if owners and SAFE_NAME.match(person.id):
            lines.append(f"/content/people/{person.id}.md {' '.join(owners)}")
    for kind, path, values in article_fields(content):
        if not SAFE_NAME.match(path.name):
            continue  # `invoke check` asks for a new name; never an invalid line here
        leads = [
            registry.departments[d].lead
            for d in values.get("departments", [])
            if d in registry.departments
        ]
        owners = dict.fromkeys(h for h in map(handle, leads) if h)
        if owners:
            lines.append(f"/content/{kind.folder}/{path.name} {' '.join(owners)}")
    return "\n".join(lines) + "\n"
