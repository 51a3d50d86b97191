"""Words in a quote that would post as a mention or a link: a table and a property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture_hub.share_tweet.surprises import surprises

FOUND = [
    ("every department has a voice", []),
    ("thanks to @sam for every ledger", [("mention", "@sam")]),
    ("thanks to @sam.", [("mention", "@sam")]),  # the sentence's full stop is not the handle's
    ("ask @ada.bsky.social", [("mention", "@ada.bsky.social")]),
    ("@ada@social.example said it first", [("mention", "@ada@social.example")]),
    ("full-width ＠sam too", [("mention", "＠sam")]),  # noqa: RUF001 - X reads it as "@"
    ("write to ada@example.com", []),  # an e-mail address stays text everywhere
    ("our tool lives at ledgers.example.com now", [("link", "ledgers.example.com")]),
    ("see README.md first", [("link", "README.md")]),  # .md is a country's domain
    ("go to https://intranet.example/x", [("link", "https://intranet.example/x")]),
    ("Node.js and e.g. the U.S. team, version 2.5", []),
    ("@sam moved us to example.com", [("mention", "@sam"), ("link", "example.com")]),
    ("倉庫の夜 @サム", []),  # not a handle any network links
    ("thank you.@sam", [("mention", "@sam")]),  # X's and Mastodon's mention after a full stop
    ("it was...@sam who did it", [("mention", "@sam")]),
    ("write to ada.quill@example.com", []),  # still an e-mail address
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_mentions_and_links_a_quote_would_post(text: str, expected: list[tuple[str, str]]) -> None:
    found = surprises(text)
    assert [(s.kind, s.text) for s in found] == expected
    for surprise in found:
        message, fix = surprise.message("quote 1"), surprise.fix()
        assert message.startswith(f"quote 1 holds “{surprise.text}”")
        assert fix and fix[0].islower()


_words = st.lists(
    st.sampled_from(["word", "@", ".", "com", "倉", "👩🏽‍💻", " ", "example", "_", "-", "/", ":"]),
    max_size=60,
).map("".join)


@given(_words)
def test_what_is_found_is_in_the_quote_and_is_a_mention_or_a_link(text: str) -> None:
    for surprise in surprises(text):
        assert surprise.text in text
        assert surprise.kind in {"mention", "link"}
        if surprise.kind == "mention":
            assert surprise.text[0] in "@＠"  # noqa: RUF001
