"""Property tests: whatever a writer types, the parser and composer hold up."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from culture_hub.share_tweet.compose import X_LIMIT, Post, compose, weighted_length
from culture_hub.share_tweet.shortcode import parse

PIECES = st.sampled_from(
    [
        "[inlinetweet]",
        "[/inlinetweet]",
        '[inlinetweet prefix="a" suffix="#B"]',
        "[inlinetweet tweeter=“null”]",
        '[inlinetweet prefix="broken]',
        "\n\n",
        "\n",
        "`",
        "```\n",
        "    ",
        "*",
        "word ",
        "日本",
        "🎉",
        "<b>",
        "]",
        "[",
    ]
)
WRITING = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(WRITING)
def test_parser_never_crashes_and_balances_its_marks(body: str) -> None:
    parsed = parse(body, "s.md", 1)
    added = parsed.text.count('<mark class="inline-quote"')
    assert added == len(parsed.quotes)
    assert parsed.text.count("</mark>") - body.count("</mark>") == added
    # Our marks, in the order they appear, alternate: open, close, open... (never
    # nested). Read as tokens, not by an HTML parser: "<word" or "<?" in the writer's
    # text would swallow the next tag for one (the sanitizer escapes them on the page).
    marks = re.findall(r'<mark class="inline-quote"|</mark>', parsed.text)
    alternate = all(
        token.startswith("<mark") == (index % 2 == 0) for index, token in enumerate(marks)
    )
    assert (alternate and len(marks) % 2 == 0) or "<mark" in body or "</mark>" in body
    for problem in parsed.problems:
        assert 1 <= problem.line <= body.count("\n") + 1


@settings(max_examples=300, deadline=None)
@given(
    quote=st.text(min_size=1, max_size=600),
    prefix=st.text(max_size=40),
    suffix=st.sampled_from(["", "#A", "#FinanceVoices #SmallWins", "#日本 #Café"]),
    via=st.sampled_from(["", "me", "priya_counts"]),
    path=st.text(alphabet="abcdefghij-/", max_size=300),
)
def test_every_composed_post_fits_x(
    quote: str, prefix: str, suffix: str, via: str, path: str
) -> None:
    url = f"https://culture.lanternfield.example/{path}#quote-1"
    post = compose(quote, url, prefix=prefix, suffix=suffix, via=via)
    assert post.length <= X_LIMIT
    assert url in post.text
    assert post.text.count(suffix) >= 1


# Pieces that are, or look like, links: where X's count differs from the length.
LINKISH = [
    "https://example.com/a#q", " www.example.org ", "x.co", "@me", "#Tag",
    " https://example.com/ ", "https://example.com/", "http://localhost",
    "1.2.3.4", "e.g. ", "3.5", "xn--bcher-kva.ch", ".", ":", "/", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(max_codepoint=127), max_size=20),
            st.sampled_from(LINKISH),
        ),
        max_size=12,
    ).map("".join)
)
def test_fast_ascii_length_equals_twitter_text(text: str) -> None:
    import twitter_text  # noqa: PLC0415

    assert weighted_length(text) == twitter_text.parse_tweet(text).weightedLength


@settings(max_examples=300, deadline=None)
@given(
    quote=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=300),
    suffix=st.sampled_from(["", "#A", "#FinanceVoices #SmallWins", "see.it", "e.g."]),
    via=st.sampled_from(["", "me", "priya_counts"]),
)
def test_measured_posts_count_as_twitter_text_counts_them(
    quote: str, suffix: str, via: str
) -> None:
    """What a build measures: the post with the stand-in link, mostly plain ASCII."""
    import twitter_text  # noqa: PLC0415

    text = Post(quote, "https://culture.example/a/#q", suffix=suffix, via=via).measured_text
    assert weighted_length(text) == twitter_text.parse_tweet(text).weightedLength


def test_a_plain_post_is_counted_without_importing_twitter_text() -> None:
    """The import costs a seventh of a second of every build that has quotes."""
    script = (
        "import sys\n"
        "from culture_hub.share_tweet.compose import compose\n"
        "post = compose('We ship small. Then we listen, and ship again.',"
        " 'https://culture.example/stories/a/#q', suffix='#SmallWins', via='me')\n"
        "assert post.length == len(post.measured_text) - len('https://example.com/') + 23\n"
        "assert 'twitter_text' not in sys.modules, 'twitter-text was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
