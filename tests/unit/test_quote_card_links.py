"""A quote's card link in its share block (``culture_hub/images/quote_cards.py``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import SimpleNamespace

from bs4 import BeautifulSoup

from culture_hub.feeds.assemble import card_specs
from culture_hub.images.core import Plan, Variant
from culture_hub.images.quote_cards import (
    ALT,
    CARDS,
    THUMBNAIL_WIDTHS,
    CardLink,
    card_link_markup,
    card_links,
    thumbnail_plan,
    with_card_links,
)
from culture_hub.share_tweet.networks import ShareLink
from culture_hub.share_tweet.render import add_share_links, mark_quotes

SITE = "https://culture.example/"
THUMBNAIL = Plan(
    "cards/abc.png",
    "k",
    320,
    168,
    tuple(
        Variant(f"cards/r/abc-k-{w}.{ext}", w, round(w * 0.525), fmt)
        for w in (160, 320)
        for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg"))
    ),
    78,
)


def _page(*quotes: str, shared: bool = True) -> str:
    """Quotes marked and shared exactly as the share capability does it."""
    body = "".join(
        f'<p>Before <mark class="inline-quote" id="quote-{n}">{text}</mark>, after.</p>'
        for n, text in enumerate(quotes, 1)
    )
    body, _ = mark_quotes(body)
    link = ShareLink("x", "X", "https://x.com/intent/tweet?text=a")
    return add_share_links(body, lambda anchor: [link] if shared else [])


def _link(anchor: str, thumbnail: Plan | None = THUMBNAIL) -> CardLink:
    return CardLink(f"cards/{anchor}.png", f"story-{anchor}.png", thumbnail)


def test_each_quote_gets_its_own_card_after_its_share_links() -> None:
    body = _page("one", "two", "three")
    links = {"quote-1": _link("quote-1"), "quote-3": _link("quote-3")}
    soup = BeautifulSoup(with_card_links(body, links, SITE), "html.parser")
    blocks = soup.select(".quote-share")
    assert [b.select_one(".quote-card")["href"] if b.select_one(".quote-card") else None
            for b in blocks] == [f"{SITE}cards/quote-1.png", None, f"{SITE}cards/quote-3.png"]  # fmt: skip
    first = blocks[0].find_all("a")
    assert first[0]["class"] == ["share", "share-x"] and first[-1]["class"] == ["quote-card"]
    assert soup.select_one(".quote-card img")["alt"] == ALT


def test_the_thumbnail_is_small_lazy_and_sized() -> None:
    link = BeautifulSoup(card_link_markup(_link("quote-1"), SITE), "html.parser").a
    img = link.select_one("picture > img")
    assert link["download"] == "story-quote-1.png" and link.has_attr("data-pagefind-ignore")
    assert img["src"] == f"{SITE}cards/r/abc-k-160.jpg"  # the fallback format, smallest
    assert img["srcset"] == f"{SITE}cards/r/abc-k-160.jpg 160w, {SITE}cards/r/abc-k-320.jpg 320w"
    assert (img["width"], img["height"], img["sizes"]) == ("320", "168", "3.5rem")
    assert (img["loading"], img["decoding"]) == ("lazy", "async")


def test_without_a_thumbnail_the_link_is_named_in_words() -> None:
    link = BeautifulSoup(card_link_markup(_link("quote-1", None), SITE), "html.parser").a
    assert link.get_text() == "Download the card for this quote" and not link.find("img")


def test_quotes_without_share_links_are_left_alone() -> None:
    body = _page("one", shared=False)  # a staff-only story
    assert with_card_links(body, {"quote-1": _link("quote-1")}, SITE) == body
    assert with_card_links(_page("one"), {}, SITE) == _page("one")


def test_values_are_escaped() -> None:
    link = CardLink('cards/"><script>.png', 'a"b.png', None)
    out = card_link_markup(link, SITE)
    assert "<script>" not in out and 'download="a&quot;b.png"' in out


def test_a_hostile_body_is_read_in_linear_time() -> None:
    """Thousands of quote-like tags and unclosed blocks a writer could paste by hand."""
    fake = '<mark class="inline-quote" id="quote-1">x</mark> <span class="quote-share">'
    body = fake * 20_000 + "</span>" * 20_000
    links = {f"quote-{n}": _link(f"quote-{n}") for n in range(1, 200)}
    started = time.perf_counter()
    out = with_card_links(body, links, SITE)
    assert time.perf_counter() - started < 1
    assert out.count('class="quote-card"') == 1  # one real quote-1 at most


@dataclass(frozen=True)
class _Quote:
    anchor: str
    text: str
    links: tuple[str, ...] = ("x",)


@dataclass(frozen=True)
class _Named:
    name: str
    colour: str = "#123456"


def _story(*quotes: _Quote) -> SimpleNamespace:
    return SimpleNamespace(
        slug="story", quotes=list(quotes), people=[_Named("Ada Quill")],
        departments=[_Named("Finance")],
    )  # fmt: skip


def test_a_thumbnail_is_planned_from_the_cards_name_alone() -> None:
    one, again, other = (thumbnail_plan(n, 78) for n in ("a1.png", "a1.png", "b2.png"))
    assert one == again and one.key != other.key  # the card's name is its identity
    assert one.key != thumbnail_plan("a1.png", 60).key  # and so is the quality
    assert [(v.width, v.height, v.format) for v in one.variants] == [
        (w, round(w * 630 / 1200), fmt) for w in THUMBNAIL_WIDTHS for fmt in ("WEBP", "JPEG")
    ]
    assert all(v.name.startswith(f"{CARDS}r/a1-{one.key[:10]}-") for v in one.variants)


def test_a_quote_shows_the_card_planned_for_it_and_only_that_one() -> None:
    story = _story(_Quote("quote-1", "one"), _Quote("quote-2", "two"), _Quote("quote-3", "x", ()))
    specs = card_specs(story, story.quotes, "Site")
    names = {anchor: spec.name for anchor, spec in specs.items()}
    cards = dict.fromkeys(names.values())
    assert card_links(story, {}, cards, "Site") == {}  # nothing planned for the story
    planned = {"quote-1": names["quote-1"], "quote-3": names["quote-3"]}
    links = card_links(story, planned, cards, "Site")
    assert list(links) == ["quote-1"]  # quote-3 has no share links: never a card
    assert links["quote-1"] == CardLink(f"cards/{names['quote-1']}", "story-quote-1.png", None)
    # a quote edited since the plan (the live preview) shows no card, never its old one
    edited = _story(_Quote("quote-1", "one, edited"), _Quote("quote-2", "two"))
    assert card_links(edited, planned, cards, "Site") == {}
    # a card the build does not publish is never linked, whatever the plan says
    assert card_links(story, planned, {}, "Site") == {}
