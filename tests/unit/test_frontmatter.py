"""Front matter splitting: values, line numbers, and located errors."""

from __future__ import annotations

import pytest
from content_model.frontmatter import FrontMatterError, split

STORY = """---
title: Hello
date: 2026-03-13 09:00
authors: [priya-shah]
---
Body line one.
"""


def test_split_reads_values_and_lines() -> None:
    doc = split(STORY, "s.md")
    assert doc.meta == {"title": "Hello", "date": "2026-03-13 09:00", "authors": ["priya-shah"]}
    assert doc.lines == {"title": 2, "date": 3, "authors": 4}
    assert doc.body == "Body line one.\n"
    assert doc.body_line == 6


def test_leading_blank_lines_shift_line_numbers() -> None:
    doc = split("\n\n" + STORY, "s.md")
    assert doc.lines["title"] == 4
    assert doc.body_line == 8


def test_dates_stay_strings_for_our_own_parser() -> None:
    doc = split("---\ndate: 2026-03-13 09:00:00\nday: 2026-03-13\n---\n", "s.md")
    assert doc.meta == {"date": "2026-03-13 09:00:00", "day": "2026-03-13"}


def test_duplicate_keys_are_reported_with_their_line() -> None:
    doc = split("---\ntitle: A\ntitle: B\n---\n", "s.md")
    assert doc.duplicates == (("title", 3),)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("No front matter here\n", 1, "does not start with YAML front matter"),
        ("---\ntitle: A\n", 1, "never closed"),
        ('---\ntitle: "open\ndate: 2026-01-01\n---\n', 2, "quoted scalar"),
        ("---\ntitle: a: b\n---\n", 2, "mapping values are not allowed"),
        ("---\n- just\n- a list\n---\n", 1, "not a list of 'field: value' lines"),
        ("---\ntitle: ok\n  bad indent: x\n---\n", 3, "invalid YAML"),
    ],
)
def test_unreadable_front_matter_is_located(text: str, line: int, words: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split(text, "content/stories/x.md")
    problem = caught.value.problem
    assert problem.path == "content/stories/x.md"
    assert problem.line == line
    assert words in problem.message
    assert problem.fix


def test_empty_front_matter_is_an_empty_mapping() -> None:
    doc = split("---\n---\nbody\n", "p.md")
    assert doc.meta == {}
    assert doc.body == "body\n"
