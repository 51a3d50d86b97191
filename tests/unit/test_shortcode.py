"""Parsing [inlinetweet] shortcodes as WordPress imports contain them."""

from __future__ import annotations

import pytest

from culture_hub.share_tweet.shortcode import ParsedQuote, parse

MARK = '<mark class="inline-quote" id="quote-{}">'


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        (
            '[inlinetweet prefix="" tweeter="" suffix="#A"]q[/inlinetweet]',
            ParsedQuote(1, 1, suffix="#A"),
        ),
        (  # typographic quotes, as WordPress' editor "smartens" them
            "[inlinetweet prefix=“Look:” tweeter=“null” suffix=“#CareTeam”]q[/inlinetweet]",
            ParsedQuote(1, 1, prefix="Look:", suffix="#CareTeam"),
        ),
        (  # double primes
            "[inlinetweet prefix=″″ tweeter=″amara_okafor″ suffix=″#X″]q[/inlinetweet]",
            ParsedQuote(1, 1, tweeter="amara_okafor", suffix="#X"),
        ),
        (  # any order, single quotes, NULL in capitals
            "[inlinetweet suffix='#B' prefix=NULL]q[/inlinetweet]",
            ParsedQuote(1, 1, suffix="#B"),
        ),
        ("[inlinetweet]q[/inlinetweet]", ParsedQuote(1, 1)),
        ('[InlineTweet tweeter="@me"]q[/InlineTweet]', ParsedQuote(1, 1, tweeter="@me")),
    ],
)
def test_attributes(source: str, quote: ParsedQuote) -> None:
    parsed = parse(source)
    assert parsed.problems == []
    assert parsed.quotes == [quote]
    assert parsed.text == MARK.format(1) + "q</mark>"


def test_markdown_inside_and_spaces_are_kept_as_written() -> None:
    parsed = parse("Say [inlinetweet]  *every* [dept](x.md) counts  [/inlinetweet]!")
    assert parsed.text == f"Say {MARK.format(1)}  *every* [dept](x.md) counts  </mark>!"


def test_quotes_are_numbered_in_order_with_their_lines() -> None:
    parsed = parse("[inlinetweet]a[/inlinetweet]\n\ntext\n[inlinetweet]b[/inlinetweet]", "s.md", 7)
    assert [(q.number, q.line, q.anchor) for q in parsed.quotes] == [
        (1, 7, "quote-1"),
        (2, 10, "quote-2"),
    ]


@pytest.mark.parametrize(
    ("source", "line", "words", "left"),
    [
        ("a\n[inlinetweet]never closed", 2, "never closed", "a\nnever closed"),
        ("[inlinetweet]a [inlinetweet]b[/inlinetweet][/inlinetweet]", 1, "inside another", "a b"),
        ("[inlinetweet] \n [/inlinetweet]", 1, "empty", " \n "),
        ("[inlinetweet]one\n\ntwo[/inlinetweet]", 1, "across paragraphs", "one\n\ntwo"),
        ("x\n\nno opening[/inlinetweet]", 3, "without an opening", "x\n\nno opening"),
        ('[inlinetweet prefix="oops]q[/inlinetweet]', 1, "cannot read", "q"),
        ("[inlinetweet suffix=#A q[/inlinetweet]", 1, "missing its closing ']'", ""),
    ],
)
def test_broken_markup_is_an_error_and_never_left_on_the_page(
    source: str, line: int, words: str, left: str
) -> None:
    parsed = parse(source, "content/stories/s.md", 1)
    assert parsed.quotes == []
    assert any(p.line == line and words in p.message and p.is_error for p in parsed.problems), [
        str(p) for p in parsed.problems
    ]
    assert "inlinetweet" not in parsed.text
    assert parsed.text == left


def test_unknown_attribute_is_a_warning() -> None:
    parsed = parse('[inlinetweet colour="red"]q[/inlinetweet]')
    assert len(parsed.quotes) == 1
    assert [p.level.value for p in parsed.problems] == ["warning"]


@pytest.mark.parametrize(
    "source",
    [
        "`[inlinetweet]code[/inlinetweet]`",
        "```\n[inlinetweet]fenced\n```",
        "Para.\n\n    [inlinetweet]indented code",
    ],
)
def test_shortcodes_in_code_are_text(source: str) -> None:
    parsed = parse(source)
    assert parsed.text == source
    assert parsed.quotes == []
    assert parsed.problems == []


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ('[gallery ids="1,2"]', ["gallery"]),
        ("[gallery]", ["gallery"]),
        ("[embed]https://x[/embed]", ["embed"]),
        ('[contact-form-7 id="5"]', ["contact-form-7"]),
        ("[a link](https://x) and [ref][1] and [note]: x and [plain] words", []),
        ("`[gallery]` in code", []),
        ("<!-- [gallery] -->", []),
    ],
)
def test_other_wordpress_shortcodes_are_errors_and_never_text(body: str, names: list[str]) -> None:
    parsed = parse(body, "s.md", 5)
    reported = [p.message.split("[")[1].split("]")[0] for p in parsed.problems]
    assert reported == names
    for name in names:
        assert f"[{name}" not in parsed.text and f"[/{name}]" not in parsed.text
    assert all(p.line == 5 and p.is_error for p in parsed.problems)
