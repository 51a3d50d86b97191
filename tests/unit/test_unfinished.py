"""Unfinished stories: scaffold placeholders and bodies without words."""

from __future__ import annotations

from datetime import datetime

import pytest

from culture_hub.content_model.frontmatter import split
from culture_hub.content_model.unfinished import (
    NOTE_LINES,
    empty_body,
    placeholder_body,
    placeholder_fields,
)
from culture_hub.content_model.workflow import person_stub, story_text


def test_everything_the_scaffold_leaves_is_found_at_its_line() -> None:
    text = story_text(
        title="T", when=datetime(2026, 1, 2, 9), authors=["a"], departments=["d"], tags=[],
        summary="TODO: one or two sentences for cards, feeds and share previews.", ident="x",
    )  # fmt: skip
    doc = split(text, "s.md")
    summary_line = text.splitlines().index(next(x for x in text.splitlines() if "summary" in x))
    fields = list(placeholder_fields(doc, {"summary": doc.meta["summary"], "title": "T"}))
    assert [(p.line, p.message[:34]) for p in fields] == [
        (summary_line + 1, "'summary' is still the placeholder")
    ]
    body = list(placeholder_body(doc))
    assert [p.line for p in body] == [doc.body_line]
    assert list(empty_body(doc, "")) != []
    bio = split(person_stub("Zed", "finance"), "p.md")
    assert [p.line for p in placeholder_body(bio)] == [bio.body_line]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("", "the story has no text yet"),
        ("<h2>Title</h2>\n<h3>More</h3>", "the story has only headings, no text"),
        ("<p> </p>", "the story has no text yet"),
    ],
)
def test_a_story_needs_words(page: str, message: str) -> None:
    doc = split("---\ntitle: T\n---\n", "s.md")
    assert [p.message for p in empty_body(doc, page)] == [message]


@pytest.mark.parametrize("page", ["<p>Words.</p>", "<h2>A</h2><p>b</p>", "<ul><li>x</li></ul>"])
def test_words_are_enough(page: str) -> None:
    assert list(empty_body(split("---\ntitle: T\n---\nx\n", "s.md"), page)) == []


@pytest.mark.parametrize("value", ["TODO: later", "todo", "TBD", "FIXME fix"])
def test_todo_in_any_field(value: str) -> None:
    doc = split(f'---\ntitle: T\nrole: "{value}"\n---\n', "p.md")
    assert [p.line for p in placeholder_fields(doc, {"role": value})] == [3]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # every line but the '<!--' one; the lone '-->' is named with them
        ("\n".join(NOTE_LINES[1:]) + "\n-->", "5, 6, 7, 8, 9, 10"),
        # the last line still ends with '-->'
        (NOTE_LINES[-1] + " -->", "5"),
        # only the example quote, or its text changed around it
        (NOTE_LINES[3], "5"),
        ("Share: A sentence worth posting on its own!", "5"),
        ("![me](images/your-picture.jpg)", "5"),
    ],
)
def test_lines_left_from_the_note_are_found(text: str, lines: str) -> None:
    doc = split(f"---\ntitle: T\n---\nWords.\n{text}\n", "s.md")
    found = list(placeholder_body(doc))
    assert [(p.line, p.fix) for p in found] == [
        (5, f"delete line{'s' if ',' in lines else ''} {lines}, then write your own words")
    ]


def test_a_finished_story_mentioning_pictures_is_not_the_note() -> None:
    doc = split("---\ntitle: T\n---\nPictures as big as a wall.\n-->\n", "s.md")
    assert list(placeholder_body(doc)) == []
