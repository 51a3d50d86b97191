"""Each public quote's own page (its link preview is its card), from real builds.

A visitor follows a quote's link from a social feed: the page it names exists,
its preview tags describe the quote and its card (which exists, 1200x630),
and it sends the visitor on to the quote in its story. Nothing a public build
does not publish gets a page or a card.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURES, Build, add_unpublished, build_site
from PIL import Image as PILImage

from culture_hub.feeds.cards import FALLBACK

SITE = "https://culture.lanternfield.example"
CJK = """---
title: 倉庫の夜
date: 2025-06-02 09:00
authors: [ada-quill]
departments: [finance]
summary: A story quoted in Japanese.
---
[inlinetweet]倉庫の夜はいつも静かです[/inlinetweet]

Then: [inlinetweet]夜のパーティー 🎉[/inlinetweet]
"""
HOSTILE = """---
title: Say "yes" & <mean> it
date: 2025-06-03 09:00
authors: [ada-quill]
departments: [finance]
summary: Quotes and angle brackets.
---
Ada: [inlinetweet]say "yes" & mean it, 1 < 2 and &lt;/script&gt; too[/inlinetweet].
"""
SECRETS = ("drafts keep their words", "tomorrow's words", "this stays inside the company")


def _content(tmp: Path) -> Path:
    content = shutil.copytree(FIXTURES / "quotes", tmp / "content")
    add_unpublished(content, "drafts keep their words to themselves")
    (content / "stories" / "cjk.md").write_text(CJK)
    (content / "stories" / "hostile.md").write_text(HOSTILE)
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("quote-pages")
    result = build_site(_content(base), base / "output", cwd=base)
    assert result.returncode == 0, result.log
    return result


def _file(build: Build, link: str) -> Path:
    """The output file that serves ``link`` (an absolute address on SITE)."""
    path = urlsplit(link).path
    assert link.startswith(SITE) and path.endswith("/")
    return build.output / path.lstrip("/") / "index.html"


def _meta(page: BeautifulSoup, key: str) -> str:
    found = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    assert found is not None, key
    return found["content"]


def test_a_quote_link_from_a_social_feed_previews_as_its_card_and_leads_to_the_quote(
    built: Build,
) -> None:
    feed = feedparser.parse((built.output / "feeds" / "social" / "x.rss.xml").read_bytes())
    entry = next(e for e in feed.entries if "quotes-worth-sharing/quote-2/" in e.link)
    tags = parse_qs(urlsplit(entry.link).query)
    assert tags["utm_campaign"] == ["finance"] and tags["utm_content"] == ["quote-2"]
    path = _file(built, entry.link)
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    story = f"{SITE}/stories/quotes-worth-sharing/"
    quote = "defaults come from the author and department"
    assert _meta(page, "og:title") == f"“{quote}” — Ada Quill"
    assert "Ada Quill" in _meta(page, "og:description")
    assert _meta(page, "og:url") == f"{story}quote-2/"  # the page itself, no tags
    assert _meta(page, "twitter:card") == "summary_large_image"
    assert _meta(page, "og:type") == "article"
    image = _meta(page, "og:image")
    assert image == _meta(page, "twitter:image")
    assert image.startswith(f"{SITE}/cards/") and image.endswith(".png")
    assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("1200", "630")
    assert _meta(page, "og:image:type") == "image/png"
    assert quote in _meta(page, "og:image:alt") == _meta(page, "twitter:image:alt")
    with PILImage.open(built.output / urlsplit(image).path.lstrip("/")) as card:
        assert (card.size, card.format) == ((1200, 630), "PNG")
    # the feed item's enclosure is the same card
    assert entry.enclosures[0].href == image
    # never indexed on its own: noindex, canonical to the story, not in the sitemap
    assert _meta(page, "robots") == "noindex"
    assert page.find("link", rel="canonical")["href"] == story
    assert "quote-2" not in (built.output / "sitemap.xml").read_text()
    assert page.find(attrs={"data-pagefind-body": True}) is None
    # it sends the visitor on: a script (the site's own file, keeping the tags), and a
    # link a person can follow; no refresh, which crawlers follow (see below)
    target = f"{story}#quote-2"
    script = page.find("script")
    assert script["data-target"] == target and script.string is None  # no inline script
    assert (built.output / urlsplit(script["src"]).path.lstrip("/")).is_file()
    link = page.select_one("main a.read-story")
    assert (link["href"], link.get_text()) == (target, "Read the story")
    # the story's GUIDs stay the quote in the story, never the page
    assert entry.id == target


def test_the_pages_share_links_name_the_quote_page_with_every_tag(built: Build) -> None:
    page = built.soup("stories/quotes-worth-sharing/index.html")
    links = page.select_one("#quote-1").find_next_sibling("span").select("a.share")
    for link in links:
        network = link["class"][1].removeprefix("share-")
        query = parse_qs(urlsplit(link["href"]).query)
        shared = (query.get("url") or query.get("text"))[0].split()[-1]
        assert shared.startswith(f"{SITE}/stories/quotes-worth-sharing/quote-1/?"), network
        tags = parse_qs(urlsplit(shared).query)
        assert tags["utm_source"] == [network]
        if network == "bluesky":  # counted in full there: the short tags only
            assert "utm_campaign" not in tags
        else:
            assert tags["utm_campaign"] == ["finance"], network
            assert tags["utm_content"] == ["quote-1"], network


def test_only_published_public_quotes_get_pages_and_cards(built: Build) -> None:
    pages = sorted(
        p.relative_to(built.output).as_posix()
        for p in (built.output / "stories").glob("*/quote-*/index.html")
    )
    assert pages == [
        "stories/a-very-long-quote/quote-1/index.html",
        "stories/cang-ku-noye/quote-1/index.html",  # the title, transliterated
        "stories/cang-ku-noye/quote-2/index.html",
        "stories/quotes-worth-sharing/quote-1/index.html",
        "stories/quotes-worth-sharing/quote-2/index.html",
        "stories/say-yes-it/quote-1/index.html",  # the title without its <mean>
    ]
    everything = b"".join(p.read_bytes() for p in built.files() if p.suffix != ".png")
    for secret in SECRETS:
        assert secret.encode() not in everything
    cards = {p.name for p in (built.output / "cards").glob("*.png")}
    # the story pages' card thumbnails (cards/r/) are of those cards only
    stems = tuple(f"{name.removesuffix('.png')}-" for name in cards)
    assert all(p.name.startswith(stems) for p in (built.output / "cards" / "r").iterdir())
    linked = set()
    for path in pages:
        page = BeautifulSoup((built.output / path).read_text(encoding="utf-8"), "html.parser")
        linked.add(urlsplit(_meta(page, "og:image")).path)
    assert {f"/cards/{name}" for name in cards} <= linked  # no card of anything unpublished
    # with Debian's fonts-droid-fallback, CJK is drawn; no font has the emoji: that
    # quote's card leaves it out (never a missing-glyph box), and it has its card
    emoji = BeautifulSoup(
        (built.output / "stories" / "cang-ku-noye" / "quote-2" / "index.html").read_text(),
        "html.parser",
    )
    emoji_card = urlsplit(_meta(emoji, "og:image")).path
    assert emoji_card.startswith("/cards/") and emoji_card.endswith(".png")
    with PILImage.open(built.output / emoji_card.lstrip("/")) as image:
        assert image.size == (1200, 630)
    cjk = BeautifulSoup(
        (built.output / "stories" / "cang-ku-noye" / "quote-1" / "index.html").read_text(),
        "html.parser",
    )
    _need_fallback_font()
    card = built.output / urlsplit(_meta(cjk, "og:image")).path.lstrip("/")
    with PILImage.open(card) as image:
        assert image.size == (1200, 630)


def _need_fallback_font() -> None:
    if not FALLBACK.is_file():
        message = f"{FALLBACK} is missing (apt-get install fonts-droid-fallback)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_every_quote_page_has_its_card_even_beyond_the_feeds(tmp_path: Path) -> None:
    content = _content(tmp_path)
    result = build_site(content, tmp_path / "out", cwd=tmp_path, FEED_MAX_ITEMS=1)
    assert result.returncode == 0, result.log
    for path in (result.output / "stories").glob("*/quote-*/index.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        image = urlsplit(_meta(page, "og:image")).path.lstrip("/")
        assert (result.output / image).is_file(), path


def test_quote_pages_can_be_turned_off_and_a_dev_build_has_none(tmp_path: Path) -> None:
    content = _content(tmp_path)
    off = build_site(content, tmp_path / "off", cwd=tmp_path, SHARE_QUOTE_PAGES=False)
    assert off.returncode == 0, off.log
    assert not list((off.output / "stories").glob("*/quote-*"))
    link = off.soup("stories/quotes-worth-sharing/index.html").select_one("a.share-x")
    assert parse_qs(urlsplit(link["href"]).query)["url"][0].endswith("#quote-1")
    dev = build_site(content, tmp_path / "dev", "pelicanconf.py", cwd=tmp_path)
    assert dev.returncode == 0, dev.log
    assert not list((dev.output / "stories").glob("*/quote-*"))
    bad = build_site(content, tmp_path / "bad", cwd=tmp_path, SHARE_QUOTE_PAGES="yes")
    assert bad.returncode != 0
    assert "SHARE_QUOTE_PAGES" in bad.log and "Traceback" not in bad.log


def test_a_preview_of_staff_drafts_and_later_stories_gives_them_no_page(tmp_path: Path) -> None:
    content = _content(tmp_path)
    staff = build_site(
        content, tmp_path / "staff", cwd=tmp_path, AUDIENCE="staff", PREVIEW_UNPUBLISHED=True
    )
    assert staff.returncode == 0, staff.log
    for slug in ("internal-quote", "a-draft-with-a-quote", "a-story-for-later"):
        assert (staff.output / "stories" / slug / "index.html").is_file(), slug
        assert not (staff.output / "stories" / slug / "quote-1").exists(), slug
    for slug in ("a-draft-with-a-quote", "a-story-for-later"):  # shared, they lead to the story
        link = staff.soup(f"stories/{slug}/index.html").select_one("a.share-x")
        assert parse_qs(urlsplit(link["href"]).query)["url"][0].endswith("#quote-1"), slug
    assert (staff.output / "stories" / "quotes-worth-sharing" / "quote-1").is_dir()


def test_quotes_and_brackets_in_a_quote_stay_text_on_its_page(built: Build) -> None:
    raw = (built.output / "stories" / "say-yes-it" / "quote-1" / "index.html").read_text()
    assert "</script> too" not in raw  # escaped, never markup
    page = BeautifulSoup(raw, "html.parser")
    quote = 'say "yes" & mean it, 1 < 2 and </script> too'
    assert _meta(page, "og:title") == f"“{quote}” — Ada Quill"
    assert page.find("blockquote").get_text() == quote
    assert page.title.get_text().startswith(f"“{quote}”")


def test_no_quote_page_has_a_meta_refresh(built: Build) -> None:
    """Facebook's and LinkedIn's crawlers run no script but follow a meta refresh (in
    <noscript> too): a quote page with one would preview as the story, not the quote's
    card. Only the script sends visitors on; every quote page (old addresses too)."""
    pages = sorted(built.output.glob("stories/**/quote-*/index.html"))
    assert len(pages) >= 3, pages
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        refreshes = [
            meta
            for meta in page.find_all("meta")
            if (meta.get("http-equiv") or "").strip().lower() == "refresh"
        ]
        assert refreshes == [], path
        assert page.find("noscript") is None, path  # nor one a parser reads as text
        assert "http-equiv" not in path.read_text(encoding="utf-8").lower(), path
        assert page.select_one("main a.read-story")["href"].endswith("#" + path.parent.name)
