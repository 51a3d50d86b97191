"""Front matter splitting: values, line numbers, and located errors."""

from __future__ import annotations

import pytest

from culture_hub.content_model.frontmatter import FrontMatterError, split

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


# --- Hostile front matter: refused with a located problem, never expanded --------

_LAUGHS = "\n".join(
    [
        "lol0: &lol0 [lol]",
        *(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 9)),
    ]
)


@pytest.mark.parametrize(
    ("header", "line", "words"),
    [
        pytest.param("title: &name Hello\nsummary: *name\n", 2, "anchor or alias", id="anchor"),
        pytest.param("title: Hello\nsummary: *name\n", 3, "anchor or alias", id="alias"),
        pytest.param("title: !!str &name Hello\n", 2, "anchor or alias", id="tagged-anchor"),
        pytest.param("tags: [&a x, *a]\n", 2, "anchor or alias", id="flow-anchor"),
        pytest.param(f"{_LAUGHS}\ndate: *lol8\n", 2, "anchor or alias", id="billion-laughs"),
        pytest.param("title: " + "[" * 11 + "]" * 11 + "\n", 2, "levels deep", id="deep-list"),
        pytest.param("title: " + "{a: " * 11 + "}" * 11 + "\n", 2, "levels deep", id="deep-map"),
        pytest.param("title: " + "[" * 5_000 + "\n", 2, "levels deep", id="unclosed-lists"),
        pytest.param(
            "t:\n" + "".join(" " * i + "- \n" for i in range(12)), 12, "levels deep", id="indents"
        ),
        pytest.param("title: " + "a" * 20_000 + "\n", 1, "20,008 characters long", id="long"),
        # libyaml composes nesting recursively in C: this one crashed the process.
        pytest.param("title: " + "[" * 100_000 + "\n", 1, "characters long", id="segfault"),
        pytest.param("ok: 1\ntitle: a\x07b\n", 3, "control character (#x0007)", id="bell"),
        pytest.param("title: !!timestamp tomorrow\n", 2, "does not fit the type", id="tag-time"),
        pytest.param("x: 1\ntitle: !!int abc\n", 3, "value of 'title' does not fit", id="tag-int"),
        pytest.param("title: !!bool maybe\n", 2, "does not fit the type", id="tag-bool"),
        # found by the property test: PyYAML's int constructor raised IndexError
        pytest.param("x: 1\ntitle: !!int\n", 3, "does not fit the type", id="tag-int-empty"),
    ],
)
def test_hostile_front_matter_is_refused_at_its_line(header: str, line: int, words: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split(f"---\n{header}---\nbody\n", "content/stories/x.md")
    problem = caught.value.problem
    assert (problem.path, problem.line) == ("content/stories/x.md", line)
    assert words in problem.message
    assert problem.fix


def test_anchor_message_is_plain_words() -> None:
    with pytest.raises(FrontMatterError) as caught:
        split("---\ntitle: &a x\n---\n", "x.md")
    assert caught.value.problem.message == (
        "the front matter uses a YAML anchor or alias (&name / *name), which is not allowed"
    )
    assert "quotes" in caught.value.problem.fix


@pytest.mark.parametrize(
    "header",
    [
        "summary: The first *story* of the fixture, & more\n",
        "title: 'a & b'\nsummary: \"*starred*\"\n",
        "title: Q&A\nsummary: 5 * 3 = 15\n",
        "tags:\n  - one\n  - two\n",
        "title: " + "[" * 3 + "]" * 3 + "\n",
        "t: " + "[" * 9 + "]" * 9 + "\n",  # 10 levels with the mapping: still allowed
    ],
)
def test_ordinary_stars_ampersands_and_nesting_are_allowed(header: str) -> None:
    split(f"---\n{header}---\n", "x.md")


def test_very_long_numbers_stay_the_text_typed() -> None:
    digits = "1" * 5_000
    doc = split(f"---\ntitle: {digits}\nsmall: 42\nclock: 1{':59' * 2000}\n---\n", "x.md")
    assert doc.meta["title"] == digits
    assert doc.meta["small"] == 42
    assert doc.meta["clock"] == "1" + ":59" * 2000
