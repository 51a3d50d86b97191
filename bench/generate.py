"""Generate a deterministic culture-hub site of N stories for benchmarks.

Same seed, same files: departments, people, tags, ~700-word stories (a third
with an [inlinetweet] quote, every second with one of 40 cover pictures), a
photo for every second person, and a few leadership pieces. The pictures are
drawn by ``culture_hub.images.artwork``. The words come
from a small vocabulary written for this project.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from culture_hub.images.artwork import cover, portrait

COVERS = 40  # distinct cover pictures, shared by every second story

DEPARTMENTS = [
    "finance", "marketing", "engineering", "people-culture", "customer-care", "operations",
    "legal", "design", "research", "facilities", "sales", "security",
]  # fmt: skip
VOCABULARY = [
    "team",
    "week",
    "customer",
    "light",
    "warehouse",
    "ledger",
    "idea",
    "review",
    "plan",
    "shift",
    "night",
    "morning",
    "coffee",
    "colleague",
    "project",
    "install",
    "budget",
    "story",
    "quote",
    "share",
    "build",
    "ship",
    "learn",
    "write",
    "read",
    "listen",
    "help",
    "fix",
    "improve",
    "measure",
    "count",
    "deliver",
    "truck",
    "lamp",
    "street",
    "square",
    "market",
    "forecast",
    "report",
    "meeting",
    "checklist",
    "mentor",
    "circle",
    "rota",
    "pager",
    "ticket",
    "board",
    "kettle",
    "plant",
    "shelf",
    "book",
    "library",
    "contract",
    "clause",
    "question",
    "answer",
    "number",
    "month",
    "quarter",
    "year",
    "calm",
    "early",
    "late",
    "quiet",
    "busy",
    "simple",
    "clear",
    "honest",
    "small",
    "large",
    "new",
    "old",
    "first",
    "last",
    "every",
    "department",
    "voice",
    "people",
    "work",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def generate(target: Path, stories: int, seed: int = 2026) -> Path:
    """Write a content folder with ``stories`` stories into ``target`` (replaced)."""
    rng = random.Random(seed)
    shutil.rmtree(target, ignore_errors=True)
    for folder in ("stories", "leadership", "departments", "people", "pages", "images"):
        (target / folder).mkdir(parents=True)
    people = [f"person-{i:03d}" for i in range(60)]
    for i in range(min(COVERS, stories)):
        cover(i, (1440, 810)).save(target / "images" / f"cover-{i:02d}.jpg", quality=80)
    for i, dept in enumerate(DEPARTMENTS):
        (target / "departments" / f"{dept}.md").write_text(
            f"---\nname: {dept.replace('-', ' ').title()}\nhashtag: Dept{i}\nlead: {people[i]}\n"
            f'colour: "#{rng.randrange(0x1000000):06x}"\n---\n{_paragraph(rng, 3)}\n'
        )
    for i, person in enumerate(people):
        handle = f"x: person_{i:03d}\n" if i % 2 else ""
        if i % 2 == 0:
            colour = "#38576b"
            portrait(i, colour, 400).save(target / "images" / f"{person}.jpg", quality=82)
            handle += f"avatar: images/{person}.jpg\n"
        (target / "people" / f"{person}.md").write_text(
            f"---\nname: Person {i:03d}\nrole: Colleague\n"
            f"department: {DEPARTMENTS[i % len(DEPARTMENTS)]}\n{handle}---\n{_paragraph(rng, 2)}\n"
        )
    tags = [f"topic-{i:02d}" for i in range(40)]
    start = datetime(2020, 1, 1, 9, 0)
    for n in range(stories):
        kind = "leadership" if n % 25 == 0 else "stories"
        when = start + timedelta(hours=7 * n)
        depts = rng.sample(DEPARTMENTS, rng.randint(1, 2))
        authors = rng.sample(people, rng.randint(1, 2))
        body = [_paragraph(rng, 6) for _ in range(8)]  # ~700 words
        if n % 3 == 0:
            body[2] += f" [inlinetweet]{_sentence(rng)[:-1]}[/inlinetweet]."
        image = ""
        if n % 2 == 0:
            picture = f"images/cover-{n // 2 % COVERS:02d}.jpg"
            image = f"image: {picture}\nimage_alt: An abstract landscape\n"
        (target / kind / f"{when:%Y-%m-%d}-story-{n:05d}.md").write_text(
            f"---\ntitle: Story {n:05d} about {rng.choice(VOCABULARY)} {rng.choice(VOCABULARY)}\n"
            f"date: {when:%Y-%m-%d %H:%M}\nauthors: [{', '.join(authors)}]\n"
            f"departments: [{', '.join(depts)}]\ntags: [{', '.join(rng.sample(tags, 3))}]\n"
            f"{image}summary: {_sentence(rng)}\n---\n" + "\n\n".join(body) + "\n"
        )
    (target / "pages" / "about.md").write_text("---\ntitle: About\n---\nA generated site.\n")
    return target
