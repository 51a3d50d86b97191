"""Each public quote's card, shown in its share block on the story page, in real builds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from helpers import FIXTURES, Build, add_unpublished, build_site
from PIL import Image

from culture_hub.images.core import MADE

SITE = "https://culture.lanternfield.example"
STORY = "stories/quotes-worth-sharing/index.html"


def _cache(result: Build) -> dict[Path, int]:
    roots = [result.output.parent / "cache" / name for name in ("images", "cards")]
    return {p: p.stat().st_mtime_ns for root in roots for p in root.rglob("*") if p.is_file()}


def _candidates(srcset: str) -> list[tuple[str, int]]:
    pairs = [item.strip().rsplit(" ", 1) for item in srcset.split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def test_each_public_quote_links_its_card_from_its_share_block(quotes_build: Build) -> None:
    page = quotes_build.soup(STORY)
    feed = feedparser.parse(str(quotes_build.output / "feeds" / "social.rss.xml"))
    enclosures = {
        entry.link.rstrip("/").rsplit("/", 1)[1]: entry.enclosures[0].href  # .../quote-1/
        for entry in feed.entries
        if "quotes-worth-sharing" in entry.link
    }
    assert sorted(enclosures) == ["quote-1", "quote-2"]
    for anchor, card in enclosures.items():
        block = page.select_one(f"#{anchor}").find_next_sibling("span", class_="quote-share")
        link = block.select_one("a.quote-card")
        assert link is block.find_all("a")[-1]  # after the share links, inside the block
        assert link["href"] == card  # the very card the schedulers attach
        assert link["download"] == f"quotes-worth-sharing-{anchor}.png"
        img = link.select_one("picture img")
        assert img["alt"] == "Download the card for this quote"  # the link's name
        assert (img["width"], img["height"]) == ("320", "168")  # the card's proportions
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        source = link.select_one("picture source")
        assert source["type"] == "image/webp" and source["sizes"] == img["sizes"] == "3.5rem"
        for srcset, kind in ((source["srcset"], "WEBP"), (img["srcset"], "JPEG")):
            candidates = _candidates(srcset)
            assert [w for _, w in candidates] == [160, 320]  # never the full card
            for url, width in candidates:
                assert url.startswith(f"{SITE}/cards/r/")  # beside the cards
                with Image.open(quotes_build.output / url.removeprefix(f"{SITE}/")) as made:
                    assert (made.format, made.size) == (kind, (width, round(width * 630 / 1200)))
        assert img["src"] == _candidates(img["srcset"])[0][0]
        with Image.open(quotes_build.output / card.removeprefix(f"{SITE}/")) as drawn:
            assert drawn.size == (1200, 630)


def test_feeds_never_carry_the_card_link(quotes_build: Build) -> None:
    for feed in (quotes_build.output / "feeds").rglob("*.xml"):
        assert "quote-card" not in feed.read_text(), feed


def test_a_rebuild_makes_no_thumbnail_again(quotes_build: Build, tmp_path: Path) -> None:
    before = _cache(quotes_build)
    thumbnails = [p for p in before if "/images/" in p.as_posix() and p.name != MADE]
    assert len(thumbnails) == 3 * 2 * 2  # 3 cards, 2 widths, WebP and JPEG
    again = build_site(
        quotes_build.output.parent / "content", tmp_path / "again", cwd=quotes_build.output.parent
    )
    assert again.returncode == 0, again.log
    assert _cache(quotes_build) == before  # nothing drawn or resized again
    assert again.soup(STORY).select("a.quote-card") == quotes_build.soup(STORY).select(
        "a.quote-card"
    )


# Ol Chiki: letters no font here has, so no card can show them (and none is drawn).
UNDRAWABLE = """---
title: Words in Ol Chiki
date: 2025-03-01 09:00
authors: [ben-ortiz]
departments: [warehouse]
summary: A quote in a script the cards cannot draw.
---
First: [inlinetweet]ᱚᱛᱟ ᱥᱟᱱᱟᱢ[/inlinetweet]. Then: [inlinetweet]shelves in every aisle[/inlinetweet].
"""
# Story slug → whether each of its quotes shows a card, in the page's order.
EXPECTED = {
    "quotes-worth-sharing": [True, True],
    "a-very-long-quote": [True],
    "words-in-ol-chiki": [False, True],
    "a-draft-with-a-quote": [False],  # previewed by staff: shared links, never a card
    "a-story-for-later": [False],
}


def _meta(page: BeautifulSoup, key: str) -> str:
    return page.find("meta", attrs={"property": key})["content"]


def test_every_public_quote_shows_its_card_in_and_out_of_the_feeds(tmp_path: Path) -> None:
    """Room for one quote in the social feeds, and a staff preview of drafts and later
    stories: every published public quote shows the card its own page previews as (a
    file of the build, 1200x630), whether the feeds carry it or not; a draft's, a later
    story's, a staff-only story's and an undrawable quote show none."""
    content = shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    add_unpublished(content, "defaults come from the author and department")
    (content / "stories" / "undrawable.md").write_text(UNDRAWABLE)
    result = build_site(
        content, tmp_path / "out", cwd=tmp_path,
        FEED_MAX_ITEMS=1, AUDIENCE="staff", PREVIEW_UNPUBLISHED=True,
    )  # fmt: skip
    assert result.returncode == 0, result.log
    feed = feedparser.parse(str(result.output / "feeds" / "social.rss.xml"))
    (carried,) = [entry.enclosures[0].href for entry in feed.entries]
    linked = []
    for slug, expected in EXPECTED.items():
        page = result.soup(f"stories/{slug}/index.html")
        quotes = page.select("mark.inline-quote")
        assert len(quotes) == len(expected), slug
        for quote, shown in zip(quotes, expected, strict=True):
            block = quote.find_next_sibling("span", class_="quote-share")
            assert block.select("a.share-x"), (slug, quote["id"])  # shared either way
            link = block.select_one("a.quote-card")
            assert (link is not None) == shown, (slug, quote["id"])
            if link is None:
                continue
            href = link["href"]
            assert href.startswith(f"{SITE}/cards/") and href.endswith(".png")
            with Image.open(result.output / href.removeprefix(f"{SITE}/")) as card:
                assert (card.format, card.size) == ("PNG", (1200, 630))
            for candidate in link.select_one("picture img")["srcset"].split(","):
                thumbnail = candidate.split()[0].removeprefix(f"{SITE}/")
                assert (result.output / thumbnail).is_file(), thumbnail
            own = result.soup(f"stories/{slug}/{quote['id']}/index.html")
            assert _meta(own, "og:image") == href  # one card per quote, everywhere
            linked.append(href)
    assert carried in linked and len(linked) == 4  # in the feeds, and beyond them
    # the undrawable quote's page previews as the site's picture, with no card
    own = result.soup("stories/words-in-ol-chiki/quote-1/index.html")
    assert "/cards/" not in _meta(own, "og:image")
    internal = result.soup("stories/internal-quote/index.html")
    assert internal.select_one("#quote-1") and not internal.select(".quote-share, .quote-card")
    # a card per card shown, never one of anything unpublished; two widths, two formats each
    assert len(list((result.output / "cards").glob("*.png"))) == 4
    assert len(list((result.output / "cards" / "r").iterdir())) == 4 * 2 * 2
    # each drawn once, into the card cache, and linked from there (nothing half-written)
    drawn = sorted(p.name for p in (tmp_path / "cache" / "cards").glob("*.png"))
    assert drawn == sorted(p.name for p in (result.output / "cards").glob("*.png"))
    for card in (result.output / "cards").glob("*.png"):
        assert card.stat().st_ino == (tmp_path / "cache" / "cards" / card.name).stat().st_ino


def test_a_card_committed_into_the_cache_is_drawn_over_never_published(tmp_path: Path) -> None:
    """A pull request can commit files under cache/ (``git add -f``), named as the cards
    its own quotes will have: another picture, with a record beside it, or a link to a
    file of the build machine whose size and time can be guessed. Neither is used."""
    first = build_site(shutil.copytree(FIXTURES / "quotes", tmp_path / "a" / "content"),
                       tmp_path / "a" / "out", cwd=tmp_path / "a")  # fmt: skip
    assert first.returncode == 0, first.log
    names = sorted(p.name for p in (first.output / "cards").glob("*.png"))
    assert len(names) >= 2
    genuine = {name: (first.output / "cards" / name).read_bytes() for name in names}
    cards = tmp_path / "b" / "cache" / "cards"
    cards.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("a file of the build machine")
    forged = cards / names[0]
    Image.new("RGB", (1200, 630), "red").save(forged, "PNG")
    found = forged.stat()  # a record that matches (a checkout's time would not)
    (cards / f"{names[0]}.made").write_text(json.dumps([found.st_size, found.st_mtime_ns + 1]))
    (cards / names[1]).symlink_to(secret)
    found = secret.stat()
    (cards / f"{names[1]}.made").write_text(json.dumps([found.st_size, found.st_mtime_ns]))
    second = build_site(shutil.copytree(FIXTURES / "quotes", tmp_path / "b" / "content"),
                        tmp_path / "b" / "out", cwd=tmp_path / "b")  # fmt: skip
    assert second.returncode == 0, second.log
    for name in names:
        published = second.output / "cards" / name
        assert not published.is_symlink()
        assert not published.samefile(secret)
        assert published.read_bytes() == genuine[name]  # drawn again, as the first build did
    assert secret.read_text() == "a file of the build machine"
    third = build_site(second.output.parent / "content", tmp_path / "b" / "again",
                       cwd=tmp_path / "b")  # fmt: skip
    assert third.returncode == 0, third.log
    for name in names:  # now as drawn: reused, not drawn again
        assert (third.output / "cards" / name).stat().st_ino == (cards / name).stat().st_ino


def test_staff_only_quotes_never_get_a_card(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    result = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path, AUDIENCE="staff")
    assert result.returncode == 0, result.log
    internal = result.soup("stories/internal-quote/index.html")
    assert internal.select_one("#quote-1") and not internal.select(".quote-share, .quote-card")
    assert len(result.soup(STORY).select("a.quote-card")) == 2  # public quotes keep theirs


def test_without_resized_pictures_the_card_is_a_text_link(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    result = build_site(
        tmp_path / "content", tmp_path / "out", cwd=tmp_path, RESPONSIVE_IMAGES=False
    )
    assert result.returncode == 0, result.log
    link = result.soup(STORY).select_one("a.quote-card")
    assert link.get_text() == "Download the card for this quote" and not link.find("img")
    assert (result.output / link["href"].removeprefix(f"{SITE}/")).is_file()
