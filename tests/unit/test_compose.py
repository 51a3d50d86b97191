"""Composing posts that fit X's weighted limit, and the share links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from culture_hub.share_tweet.compose import (
    X_LIMIT,
    compose,
    hashtag_from,
    split_hashtags,
    weighted_length,
)
from culture_hub.share_tweet.networks import NETWORKS, LazyShareLinks, share_links

URL = "https://culture.lanternfield.example/stories/a-story/#quote-1"


@pytest.mark.parametrize(
    ("label", "tag"),
    [
        ("social-media", "#SocialMedia"),
        ("finance_team", "#FinanceTeam"),
        ("People & Culture", "#PeopleCulture"),
        ("2026 plans", "#Tag2026Plans"),
        ("café crème", "#CaféCrème"),
        ("日本", "#日本"),
    ],
)
def test_hashtags_from_labels(label: str, tag: str) -> None:
    assert hashtag_from(label) == tag


def test_post_text_is_prefix_quote_suffix_link_via() -> None:
    post = compose("every department has a voice", URL, prefix="Yes:", suffix="#A #B", via="@me")
    assert post.text == f"Yes: every department has a voice #A #B {URL} via @me"
    assert not post.truncated


def test_urls_count_23_whatever_their_length() -> None:
    long_url = "https://culture.lanternfield.com/" + "x" * 200 + "/#quote-1"
    assert weighted_length(f"hi {long_url}") == 3 + 23
    post = compose("hi", "https://culture.lanternfield.example/" + "x" * 200)
    assert post.length == weighted_length("hi https://example.com/")


@pytest.mark.parametrize(
    "quote",
    [
        "word " * 120,  # plain ASCII, far too long
        "日本語の文章です。" * 30,  # CJK without spaces counts double
        "team spirit 🎉 " * 40,  # emoji count double
        "supercalifragilistic" * 20,  # one enormous word
    ],
)
def test_too_long_quotes_are_shortened_and_hashtags_and_link_kept(quote: str) -> None:
    post = compose(quote, URL, suffix="#FinanceVoices #SmallWins", via="priya_counts")
    assert post.truncated
    assert post.length <= X_LIMIT
    assert post.quote.endswith("…")
    assert post.text.endswith(f"#FinanceVoices #SmallWins {URL} via @priya_counts")


def test_shortening_happens_at_a_word_boundary() -> None:
    words = [f"w{i:03d}" for i in range(100)]
    post = compose(" ".join(words), URL, suffix="#Tag")
    kept = post.quote.removesuffix("…").split(" ")
    assert kept == words[: len(kept)]
    assert len(kept) > 10


def test_relative_urls_are_measured_as_a_real_link_would_be() -> None:
    relative = compose("q " * 200, "/stories/x/#quote-1")
    absolute = compose("q " * 200, URL)
    assert relative.quote == absolute.quote


def test_split_hashtags_keeps_other_text() -> None:
    assert split_hashtags("#A read more #B") == (["A", "B"], "read more")


def test_x_intent_is_url_encoded() -> None:
    post = compose("Fish & chips? 100% yes", URL, prefix="Q:", suffix="#Food now", via="me")
    links = {
        link.network: link.href for link in share_links(post, tuple(NETWORKS), "mastodon.social")
    }
    x = urlsplit(links["x"])
    assert (x.scheme, x.netloc, x.path) == ("https", "x.com", "/intent/tweet")
    assert parse_qs(x.query) == {
        "text": ["Q: Fish & chips? 100% yes now"],
        "url": [URL],
        "hashtags": ["Food"],
        "via": ["me"],
    }
    assert parse_qs(urlsplit(links["linkedin"]).query) == {"url": [URL]}
    assert urlsplit(links["mastodon"]).netloc == "mastodon.social"
    assert parse_qs(urlsplit(links["bluesky"]).query)["text"] == [
        f"Q: Fish & chips? 100% yes #Food now {URL}"
    ]


def test_lazy_share_links_are_the_links_made_when_first_listed() -> None:
    post = compose("Tea at four", "https://example.org/s/", via="lanternfield")
    networks = ("x", "mastodon")
    lazy = LazyShareLinks(post, networks, "social.example")
    assert len(lazy) == 2 and bool(lazy)
    assert lazy._links is None  # not made just to be counted
    made = share_links(post, networks, "social.example")
    assert list(lazy) == made and lazy == made and lazy[1] == made[1]
    assert not LazyShareLinks(post, (), "social.example")
