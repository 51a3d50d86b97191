"""Summaries skip Markdown only when Markdown would leave them as they are."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown

from culture_hub.content_model.inline import PLAIN, inline_html

CHARACTERS = list("abcXYZ ,.;:?'\"()/%$@^{}|~=+-\u2014\u2019\u201c\u201d\u2026\u00a0\u2003")
CHARACTERS += list("\t\x0b\x0c\u2028\u65e5\U0001f389\u200b\ufeff\x02\x03\u00850123456789")
PIECES = st.sampled_from(
    [
        *CHARACTERS,
        *["  ", "http://x.org", "www.a.b", "--", "...", "1. ", "a  ", ":)", "(c)", "'s", "|a|b|"],
        *["~~x~~", "^x^", "==", "---", "{#id}", "*a*", "_a_", "`c`", "[l](u)", "<b>", "&amp;"],
        *["&", "#", "> ", "\n", "\\", "!"],
    ]
)


@settings(max_examples=3000, deadline=None)  # equality, not speed: load must not fail it
@given(st.one_of(st.lists(PIECES, max_size=20).map("".join), st.text(max_size=40)))
def test_the_shortcut_gives_what_markdown_gives(text: str) -> None:
    md = Markdown()
    converted = md.convert(text).removeprefix("<p>").removesuffix("</p>")
    assert inline_html(md, text) == converted


def test_plain_sentences_take_the_shortcut_and_markup_does_not() -> None:
    assert PLAIN.fullmatch("Our finance team closed the books without a single late night.")
    assert PLAIN.fullmatch("Tea, biscuits — and 12 new colleagues (welcome!)") is None  # "!"
    for text in ("*bold* start", "1. a list", "# heading", "a & b", "two\nlines", " padded"):
        assert PLAIN.fullmatch(text) is None
