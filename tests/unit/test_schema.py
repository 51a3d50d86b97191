"""Field conversion and the per-kind schema, table-driven."""

from __future__ import annotations

from datetime import datetime

import pytest

from culture_hub.content_model import fields as f
from culture_hub.content_model.frontmatter import split
from culture_hub.content_model.problems import Level, did_you_mean
from culture_hub.content_model.schema import KINDS, read_fields


@pytest.mark.parametrize(
    ("convert", "raw", "expected"),
    [
        (f.timestamp, "2026-03-13 09:00", datetime(2026, 3, 13, 9, 0)),
        (f.timestamp, "2026-03-13", datetime(2026, 3, 13)),
        (
            f.timestamp,
            "2026-03-13T09:00:00+01:00",
            datetime.fromisoformat("2026-03-13T09:00:00+01:00"),
        ),
        (f.id_list, "finance", ["finance"]),
        (f.id_list, ["finance", "marketing"], ["finance", "marketing"]),
        (f.hashtag, "FinanceVoices", "#FinanceVoices"),
        (f.hashtag, "#Ops2026", "#Ops2026"),
        (f.colour, "#ABCDEF", "#abcdef"),
        (f.handle, "@priya_counts", "priya_counts"),
        (f.choice("public", "staff"), "Staff", "staff"),
        (f.tag_list, ["a", "b c"], ["a", "b c"]),
    ],
)
def test_converters_accept_good_values(convert, raw, expected) -> None:
    assert convert(raw) == expected


@pytest.mark.parametrize(
    ("convert", "raw", "words"),
    [
        (f.timestamp, "13/03/2026", "not a valid date"),
        (f.timestamp, "2026-02-30", "not a valid date"),
        (f.id_list, ["Finance Team"], "not a valid id"),
        (f.id_list, ["a", "a"], "twice"),
        (f.hashtag, "#2026", "not a valid hashtag"),
        (f.hashtag, "#social-media", "not a valid hashtag"),
        (f.colour, "green", "not a colour"),
        (f.handle, "@this_handle_is_far_too_long", "not an X handle"),
        (f.choice("public", "staff"), "everyone", "not one of"),
        (f.one_line, "   ", "is empty"),
        (f.one_line, ["a"], "not a list"),
        (f.flag, "yes please", "not true or false"),
    ],
)
def test_converters_reject_bad_values_with_a_fix(convert, raw, words) -> None:
    with pytest.raises(f.FieldError) as caught:
        convert(raw)
    assert words in caught.value.message
    assert caught.value.fix


def _story(**extra: str) -> str:
    lines = {
        "title": "T",
        "date": "2026-01-01 09:00",
        "authors": "[a]",
        "departments": "[d]",
        "summary": "S",
        **extra,
    }
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in lines.items() if v is not None) + "---\n"


def test_a_complete_story_has_no_problems() -> None:
    values, problems = read_fields(split(_story(), "s.md"), KINDS["story"])
    assert problems == []
    assert values["authors"] == ["a"]


def test_missing_required_field_is_reported_at_the_opening_fence() -> None:
    text = _story(summary=None)
    _values, problems = read_fields(split(text, "s.md"), KINDS["story"])
    assert [(p.line, p.message) for p in problems] == [(1, "required field 'summary' is missing")]


def test_invalid_field_is_reported_once_at_its_line() -> None:
    _values, problems = read_fields(split(_story(date="next tuesday"), "s.md"), KINDS["story"])
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "not a valid date" in problems[0].message


def test_unknown_field_is_an_error_with_a_suggestion() -> None:
    """Its value would be lost without a word: ``sumary:`` would publish no summary."""
    _values, problems = read_fields(split(_story(tittle="x"), "s.md"), KINDS["story"])
    assert problems[0].level is Level.ERROR
    assert "unknown field 'tittle'" in problems[0].message
    assert "did you mean 'title'?" in problems[0].fix


def test_did_you_mean_lists_known_ids_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["finance", "legal"]) == "known: finance, legal"
    assert did_you_mean("finanse", ["finance", "legal"]) == "did you mean 'finance'?"
    assert did_you_mean("x", []) == "none are defined yet"


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("story", "title: '[inlinetweet]Counted[/inlinetweet]'"),
        ("story", "summary: We count. [INLINETWEET]Twice.[/inlinetweet]"),
        ("story", "image_alt: 'A box [/inlinetweet]'"),
        ("story", "tags: [ledger, '[inlinetweet]x']"),
        ("person", "name: '[inlinetweet prefix=\"\"]Ada[/inlinetweet]'"),
    ],
)
def test_a_quote_tag_in_any_field_is_an_error_at_its_line(kind: str, line: str) -> None:
    """Only the body is rendered with share quotes: a field would show the tag as text."""
    doc = split(f"---\nid: x\n{line}\n---\nText.\n", "s.md")
    _values, problems = read_fields(doc, KINDS[kind])
    key = line.split(":", maxsplit=1)[0]
    quoted = [p for p in problems if "[inlinetweet]" in p.message]
    assert [(p.line, p.level, p.message) for p in quoted] == [
        (3, Level.ERROR, f"'{key}' has an [inlinetweet] tag, which a field shows as it is written")
    ]


def test_a_field_mentioning_tweets_is_not_a_quote_tag() -> None:
    doc = split("---\ntitle: How inlinetweets [work]\n---\nText.\n", "s.md")
    _values, problems = read_fields(doc, KINDS["story"])
    assert not [p for p in problems if "[inlinetweet]" in p.message]
