"""What each network's post keeps of a quote, and what the writer is told: tables and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culture_hub.share_tweet.campaign import Campaign
from culture_hub.share_tweet.compose import ELLIPSIS, compose
from culture_hub.share_tweet.fit import MEANINGFUL, button_cut, cuts
from culture_hub.share_tweet.landing import quote_page_address
from culture_hub.share_tweet.limits import LIMITS, compose_post, grapheme_length
from culture_hub.share_tweet.mentions import mention

SITE = "https://culture.lanternfield.example"
NETWORKS = ("x", "mastodon", "bluesky", "linkedin")
HANDLES = {"x": "ada_quill", "mastodon": "@ada@social.example", "bluesky": "ada.bsky.social"}
FAMILY = "👨‍👩‍👧‍👦"
SKIN = "👩🏽‍💻"
SHORT_QUOTE = "every department has a voice"
LONG_QUOTE = " ".join(["the night shift moved every box before sunrise"] * 4)  # 191 characters


def _link(path_length: int, campaign: Campaign | None = None):
    """Each network's link to a quote page under a story path of ``path_length`` letters."""
    page = f"{SITE}/{quote_page_address('stories/' + 'a' * path_length + '/', 'quote-1')}"
    tagger = campaign or Campaign()
    return lambda network: tagger.tag(page, source=network, campaign="finance", content="quote-1")


CASES = [
    # (quote, story path length, {network: "warn"/"error"} expected)
    (SHORT_QUOTE, 30, {}),  # fits everywhere
    (LONG_QUOTE, 30, {"bluesky": "warn"}),  # the link counts in full there
    ("倉庫の夜はいつも静かで、" * 12, 30, {"x": "warn", "bluesky": "none"}),  # CJK weighs 2 on X
    (LONG_QUOTE, 160, {"bluesky": "error"}),  # a 180-character title's address
    ("short, but with a very long address", 200, {"bluesky": "error"}),
]


@pytest.mark.parametrize(("quote", "path", "expected"), CASES)
def test_which_networks_cut_a_quote_and_how_badly(
    quote: str, path: int, expected: dict[str, str]
) -> None:
    found = cuts(quote, prefix="", hashtags="#FinanceVoices", handles=HANDLES,
                 link_for=_link(path), networks=NETWORKS)  # fmt: skip
    verdicts = {
        cut.network: "error" if cut.useless else "warn" if cut.large else "none" for cut in found
    }
    assert verdicts == expected
    for cut in found:
        assert 0 <= cut.kept < cut.whole == grapheme_length(" ".join(quote.split()))
        text = cut.message(1)
        if cut.network == "bluesky":
            assert f"Bluesky counts the link ({cut.link} characters) in full" in text
            assert "SOCIAL_UTM_BLUESKY" in cut.fix()
        assert ("cannot be posted" in text) == cut.useless
        assert ("slug:" in cut.fix()) == (cut.network == "bluesky" and path > 60)


def test_bluesky_links_carry_the_short_tags_and_keep_the_quote_room() -> None:
    full = _link(30, Campaign(short_tags=("utm_source", "utm_medium", "utm_campaign")))
    short = _link(30)
    assert short("bluesky").endswith("/quote-1/?utm_source=bluesky&utm_medium=social")
    assert "utm_campaign=finance" in full("bluesky")
    assert short("x").endswith("utm_campaign=finance&utm_content=quote-1")  # X counts 23
    none = Campaign(short_tags=()).tag(f"{SITE}/s/", source="bluesky", campaign="f", content="q")
    assert none == f"{SITE}/s/"  # no tags: no stray "?"


def test_a_180_character_title_keeps_the_mention_on_bluesky() -> None:
    link = _link(170)("bluesky")
    post = compose_post(LONG_QUOTE, link, LIMITS["bluesky"].fits, hashtags="#FinanceVoices",
                        mention=mention("bluesky", HANDLES))  # fmt: skip
    assert post.title.endswith("#FinanceVoices via @ada.bsky.social")
    assert post.dropped == ()
    assert LIMITS["bluesky"].fits(post.title, post.link)


_text = (
    st.lists(
        st.sampled_from(["倉", "庫", FAMILY, SKIN, " ", "a", "word", "é", "—"]),
        min_size=1,
        max_size=300,
    )
    .map("".join)
    .filter(str.strip)
)
_bluesky = st.from_regex(r"[a-z0-9]{1,63}(\.[a-z0-9]{1,63}){1,3}", fullmatch=True)


@settings(max_examples=120, deadline=None)
@given(
    quote=_text, path=st.integers(1, 220), bluesky=_bluesky, prefix=st.sampled_from(["", "Ada:"])
)
def test_mention_and_hashtags_go_only_when_the_quote_is_cut_to_nothing(
    quote: str, path: int, bluesky: str, prefix: str
) -> None:
    handles = {**HANDLES, "bluesky": bluesky}
    link_for = _link(path)
    for cut in cuts(quote, prefix=prefix, hashtags="#Ledgers #SmallWins", handles=handles,
                    link_for=link_for, networks=NETWORKS):  # fmt: skip
        post = compose_post(quote, link_for(cut.network), LIMITS[cut.network].fits, prefix=prefix,
                            hashtags="#Ledgers #SmallWins",
                            mention=mention(cut.network, handles))  # fmt: skip
        fits = LIMITS[cut.network].fits
        said = mention(cut.network, handles)
        # a part goes only when not even an ellipsis of the quote fits beside it
        if "mention" in post.dropped:
            assert not fits(f"{ELLIPSIS} #Ledgers #SmallWins {said}", link_for(cut.network))
            assert cut.useless
        if "hashtags" in post.dropped:
            assert not fits(f"{ELLIPSIS} #Ledgers #SmallWins", link_for(cut.network))
        assert cut.useless == (
            cut.kept < min(MEANINGFUL, cut.whole)
            or bool({"mention", "hashtags"} & set(cut.dropped))
        )
        assert cut.kept <= cut.whole


@pytest.mark.parametrize(
    ("prefix", "useless"),
    [
        ("", False),  # the quote alone: cut at a word, most of it kept
        ("Ada:", False),
        ("p" * 150, False),  # room left for more than 20 characters of the quote
        ("p" * 205, True),  # the prefix kept, the quote down to a word or two and "…"
        ("p" * 260, True),  # even "…" does not fit beside it: the prefix dropped, "…" posted
    ],
)
def test_the_x_share_button_follows_the_feeds_twenty_character_rule(
    prefix: str, useless: bool
) -> None:
    quote = LONG_QUOTE + " " + LONG_QUOTE  # far too long for 280: always cut
    post = compose(quote, f"{SITE}/s/quote-1/", prefix=prefix, suffix="#FinanceVoices",
                   via="ada_quill")  # fmt: skip
    cut = button_cut(quote, prefix, post)
    assert cut is not None
    assert cut.kept == grapheme_length(post.quote.removesuffix(ELLIPSIS).rstrip())
    assert cut.useless is useless, post.text
    assert cut.useless == (cut.kept < MEANINGFUL)
    assert ("prefix (it has" in cut.fix()) == bool(prefix)
    assert "slug does not help" in cut.fix()  # X counts any link as 23: the address is not it
    assert f"{cut.kept} of its {cut.whole} characters" in cut.message(1)


def test_a_quote_the_x_button_posts_whole_has_no_cut() -> None:
    post = compose(SHORT_QUOTE, f"{SITE}/s/", prefix="p" * 100)
    assert button_cut(SHORT_QUOTE, "p" * 100, post) is None
    short = compose("tiny", f"{SITE}/s/", prefix="p" * 255)  # under 20, and nothing fits
    cut = button_cut("tiny", "p" * 255, short)
    assert cut is not None and cut.whole == 4 and cut.useless


def test_the_x_button_message_names_the_limit_the_site_set() -> None:
    prefix = "p" * 480
    post = compose(LONG_QUOTE, f"{SITE}/s/", prefix=prefix, limit=500)  # SHARE_X_LIMIT = 500
    cut = button_cut(LONG_QUOTE, prefix, post, 500)
    assert cut is not None and cut.useless
    assert "take the rest of X's 500" in cut.message(1)
