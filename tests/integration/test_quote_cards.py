"""Each public quote's card, shown in its share block on the story page, in real builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
from helpers import FIXTURES, Build, build_site
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


def test_only_quotes_the_feeds_carry_get_a_card(tmp_path: Path) -> None:
    """With room for one quote in the social feeds (the newest: the long story's), only
    that quote's card is linked; the other quotes keep their share links."""
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    result = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path, FEED_MAX_ITEMS=1)
    assert result.returncode == 0, result.log
    page = result.soup(STORY)
    assert len(page.select(".quote-share a.share-x")) == 2 and not page.select(".quote-card")
    (link,) = result.soup("stories/a-very-long-quote/index.html").select("a.quote-card")
    assert (result.output / link["href"].removeprefix(f"{SITE}/")).is_file()
    # Every quote page has its card, but only the feeds' card is linked from its quote.
    assert len(list((result.output / "cards" / "r").iterdir())) == 4  # its thumbnail only


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
