"""Each network's count and the posts composed to fit it: tables and properties."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culture_hub.share_tweet.campaign import Campaign, LinkTags
from culture_hub.share_tweet.compose import ELLIPSIS
from culture_hub.share_tweet.limits import (
    _LINK,
    _MASTODON_MENTION,
    LIMITS,
    MASTODON_LINK,
    bluesky_length,
    compose_post,
    fits_all,
    grapheme_length,
    graphemes,
    mastodon_length,
    plain_length,
    x_length,
)
from culture_hub.share_tweet.mentions import mention

LINK = "https://culture.lanternfield.example/stories/a/#quote-1"
LONG_LINK = (
    "https://culture.lanternfield.example/stories/" + "a-very-long-title-" * 12 + "/#quote-1"
)
FAMILY = "👨‍👩‍👧‍👦"  # one grapheme, seven code points
SKIN = "👩🏽‍💻"

COUNTS = [
    # (function, title, link, expected)
    (x_length, "hello", LINK, 5 + 1 + 23),
    (x_length, "hello", LONG_LINK, 5 + 1 + 23),  # any link is 23 on X
    (x_length, "倉庫", LINK, 4 + 1 + 23),  # CJK weighs 2
    (x_length, FAMILY, LINK, 2 + 1 + 23),  # an emoji sequence weighs 2
    (x_length, "hello", "", 5),
    (mastodon_length, "hello", LINK, 5 + 1 + 23),
    (mastodon_length, "hello", LONG_LINK, 5 + 1 + 23),
    (mastodon_length, "倉庫", LINK, 2 + 1 + 23),  # Mastodon counts characters
    (mastodon_length, FAMILY + SKIN, LINK, 2 + 1 + 23),  # ... as people see them
    (mastodon_length, "via @ada@social.example", LINK, len("via @ada") + 1 + 23),
    (mastodon_length, "see https://example.com/very/long/path", "", 4 + 23),
    (bluesky_length, "hello", LINK, 5 + 1 + len(LINK)),  # the link counts in full
    (bluesky_length, "hello", LONG_LINK, 5 + 1 + len(LONG_LINK)),
    (bluesky_length, FAMILY * 3, LINK, 3 + 1 + len(LINK)),
    (plain_length, "héllo", LINK, 5 + 1 + len(LINK)),
]


@pytest.mark.parametrize(("count", "title", "link", "expected"), COUNTS)
def test_each_network_counts_as_it_does(count, title: str, link: str, expected: int) -> None:
    assert count(title, link) == expected


LIMIT_TABLE = [("x", 280), ("mastodon", 500), ("threads", 500), ("bluesky", 300),
               ("linkedin", 3000)]  # fmt: skip


@pytest.mark.parametrize(("network", "limit"), LIMIT_TABLE)
def test_limits(network: str, limit: int) -> None:
    assert LIMITS[network].limit == limit


MENTIONS = [
    ("x", {"x": "ada_quill"}, "via @ada_quill"),
    ("mastodon", {"mastodon": "@ada@social.example"}, "via @ada@social.example"),
    ("bluesky", {"bluesky": "ada.bsky.social"}, "via @ada.bsky.social"),
    ("linkedin", {"x": "ada", "mastodon": "@a@b.example", "bluesky": "a.b"}, ""),
    ("threads", {"x": "ada"}, ""),
    ("mastodon", {"x": "ada_quill"}, ""),  # an X handle never reaches Mastodon
    ("bluesky", {"x": "ada_quill", "mastodon": "@ada@social.example"}, ""),
]


@pytest.mark.parametrize(("network", "handles", "expected"), MENTIONS)
def test_mentions_belong_to_their_network(network: str, handles, expected: str) -> None:
    assert mention(network, handles) == expected


COMPOSED = [
    # (network, quote, link, mention, expect shortened)
    ("x", "short and sweet", LINK, "via @ada", False),
    ("x", "word " * 80, LINK, "via @ada", True),
    ("x", "倉" * 200, LINK, "via @ada", True),
    ("mastodon", "倉" * 200, LINK, "via @ada@social.example", False),
    ("bluesky", "a" * 240, LINK, "via @ada.bsky.social", True),
    ("x", "a" * 200, LONG_LINK, "via @ada", False),  # any link is 23 on X
    ("bluesky", FAMILY * 400, LINK, "", True),
    ("linkedin", "word " * 500, LINK, "", False),
    ("linkedin", "word " * 700, LINK, "", True),
]


@pytest.mark.parametrize(("network", "quote", "link", "who", "shortened"), COMPOSED)
def test_compose_fits_and_shortens_only_the_quote(
    network: str, quote: str, link: str, who: str, shortened: bool
) -> None:
    rules = LIMITS[network]
    post = compose_post(quote, link, rules.fits, prefix="Ada:", hashtags="#Ledgers", mention=who)
    assert rules.fits(post.title, post.link)
    assert post.truncated == shortened
    assert post.title.startswith("Ada: ") and post.title.endswith(
        " ".join(["#Ledgers", who]).strip()
    )
    assert post.text == f"{post.title} {link}"
    if shortened:
        assert post.quote.endswith(ELLIPSIS)


def test_a_long_handle_and_link_on_bluesky_give_up_the_prefix_then_the_mention() -> None:
    handle = "via @" + "h" * 60 + "." + "d" * 60 + ".example"
    link = "https://culture.lanternfield.example/" + "x" * 180
    post = compose_post("quote", link, LIMITS["bluesky"].fits, prefix="P" * 40, hashtags="#T",
                        mention=handle)  # fmt: skip
    assert LIMITS["bluesky"].fits(post.title, post.link)
    assert "prefix" in post.dropped


_text = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["倉", FAMILY, SKIN, " "]),
    max_size=400,
).map("".join)
_handles = st.from_regex(r"via @[a-z0-9_]{1,30}@[a-z]{1,40}\.example", fullmatch=True)
_links = st.builds(
    lambda path: f"https://culture.lanternfield.example/{path}/#quote-1",
    st.from_regex(r"[a-z0-9-]{1,200}", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(
    quote=_text,
    prefix=st.text(max_size=40),
    who=_handles,
    link=_links,
    network=st.sampled_from(sorted(LIMITS)),
)
def test_every_post_fits_and_keeps_whole_clusters(
    quote: str, prefix: str, who: str, link: str, network: str
) -> None:
    rules = LIMITS[network]
    post = compose_post(quote, link, rules.fits, prefix=prefix, hashtags="#Culture", mention=who)
    assert rules.fits(post.title, post.link)
    assert post.link == link  # the link is never touched
    quote_norm = " ".join(quote.split())
    if post.truncated:
        kept = post.quote.removesuffix(ELLIPSIS)
        assert quote_norm.startswith(kept)
        # cut between grapheme clusters: the kept start has no broken cluster
        assert grapheme_length(kept) + grapheme_length(quote_norm[len(kept) :]) == grapheme_length(
            quote_norm
        )
    else:
        assert post.quote == quote_norm


@settings(max_examples=80, deadline=None)
@given(quote=_text, link=_links)
def test_the_neutral_post_fits_every_network(quote: str, link: str) -> None:
    networks = ("x", "mastodon", "bluesky", "linkedin")
    post = compose_post(quote, link, fits_all(networks), hashtags="#Culture")
    assert all(LIMITS[n].fits(post.title, post.link) for n in networks)


CAMPAIGNS = [
    (LINK, "x", "finance", "quote-1",
     "https://culture.lanternfield.example/stories/a/?utm_source=x&utm_medium=social"
     "&utm_campaign=finance&utm_content=quote-1#quote-1"),
    ("https://h.example/s/?a=1&utm_source=old", "bluesky", "", "",
     "https://h.example/s/?a=1&utm_source=bluesky&utm_medium=social"),
    ("stories/a/#quote-2", "mastodon", "hr", "quote-2",
     "stories/a/?utm_source=mastodon&utm_medium=social&utm_campaign=hr&utm_content=quote-2#quote-2"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "network", "name", "content", "expected"), CAMPAIGNS)
def test_campaign_tags(url: str, network: str, name: str, content: str, expected: str) -> None:
    assert LinkTags(Campaign(), name, content)(url, network) == expected
    assert LinkTags(Campaign(enabled=False), name, content)(url, network) == url


@given(st.text(max_size=30), st.sampled_from(sorted(LIMITS)))
def test_campaign_tags_survive_any_campaign_name(name: str, network: str) -> None:
    tagged = Campaign(name=name).tag(LINK, source=network, content="quote-1")
    parts = urlsplit(tagged)
    assert parts.fragment == "quote-1"
    assert parse_qs(parts.query)["utm_source"] == [network]


@given(
    st.sampled_from(["https://h.example/s/a/", "/s/a/", "s/a/", "https://h.example/s/é/"]),
    st.from_regex(r"[A-Za-z0-9_#-]{0,8}", fullmatch=True),  # a quote's anchor, or none
    st.text(max_size=12),
    st.text(max_size=8),
)
def test_a_link_without_a_query_is_tagged_as_the_general_way_would(
    address: str, fragment: str, name: str, content: str
) -> None:
    """The quick way for links with no query (every story's) gives the general result."""
    url = f"{address}#{fragment}" if fragment else address
    campaign = Campaign(name=name)
    tags = {"utm_source": "x", "utm_medium": "social", "utm_campaign": name, "utm_content": content}
    general = urlunsplit(
        urlsplit(url)._replace(query=urlencode([(k, v) for k, v in tags.items() if v]))
    )
    assert campaign.tag(url, source="x", content=content) == general


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_is_counted_as_the_grapheme_pattern_counts_it(text: str) -> None:
    """The quick count of ASCII text (its length, but for CR LF) is the pattern's count."""
    assert grapheme_length(text) == len(graphemes(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(max_codepoint=127), max_size=12),
            st.sampled_from(["@ada@social.example", "@ada", "https://x.example/a", "http", "@"]),
        ),
        max_size=8,
    ).map("".join)
)
def test_mastodon_counts_mentions_and_links_however_they_come(text: str) -> None:
    """Skipping the mention and link patterns when no ``@`` or ``http`` is in the text
    gives the count the patterns give."""
    expected = regex_mastodon_length(text)
    assert mastodon_length(text, "https://culture.example/a/") == expected


def regex_mastodon_length(title: str) -> int:
    """Mastodon's count, every pattern applied: what the quick paths must agree with."""
    text = _MASTODON_MENTION.sub(lambda m: "@" + m[1], title)
    text = _LINK.sub("x" * MASTODON_LINK, text)
    return len(graphemes(text)) + 1 + MASTODON_LINK
