"""Per-network social feeds, the quote drip, campaign tags and addresses that never die,
from real builds."""

from __future__ import annotations

import html
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURES, Build, build_site
from lxml import etree
from PIL import Image as PILImage

from culture_hub.share_tweet.limits import LIMITS

SITE = "https://culture.lanternfield.example"
NETWORKS = ("x", "mastodon", "bluesky", "linkedin")
MENTIONS = {
    "x": "via @ada_quill",
    "mastodon": "via @ada@social.example",
    "bluesky": "via @ada.bsky.social",
    "linkedin": "",
}
CJK_STORY = """---
title: 倉庫の夜
date: 2025-06-01 09:00
authors: [ada-quill]
departments: [finance]
summary: A story quoted in Japanese, with emoji.
---
[inlinetweet]{quote}[/inlinetweet]
"""


def _content(tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(FIXTURES / "quotes", content)
    ada = content / "people" / "ada-quill.md"
    ada.write_text(
        ada.read_text().replace(
            "x: ada_quill\n",
            'x: ada_quill\nmastodon: "https://Social.example/@ada"\nbluesky: "@ada.bsky.social"\n',
        )
    )
    quote = "倉庫の夜はいつも静かで、" * 30 + "👩🏽‍💻🎉" * 20
    (content / "stories" / "cjk.md").write_text(CJK_STORY.format(quote=quote))
    return content


@pytest.fixture(scope="module")
def social_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("social")
    result = build_site(_content(base), base / "output", cwd=base)
    assert result.returncode == 0, result.log
    return result


def _anchor(link: str) -> str:
    """The quote a link leads to: a quote page's last folder (``.../quote-1/``)."""
    return urlsplit(link).path.rstrip("/").rpartition("/")[2]


def _story(link: str) -> str:
    """The story path of a quote page's link."""
    return urlsplit(link).path.rstrip("/").rpartition("/")[0] + "/"


def _parse(path: Path) -> feedparser.FeedParserDict:
    etree.fromstring(path.read_bytes())
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_each_network_feed_posts_one_link_its_mention_within_its_limit(
    social_build: Build, network: str, fmt: str
) -> None:
    parsed = _parse(social_build.output / "feeds" / "social" / f"{network}.{fmt}.xml")
    neutral = _parse(social_build.output / "feeds" / f"social.{fmt}.xml")
    assert len(parsed.entries) == len(neutral.entries)
    raw = (social_build.output / "feeds" / "social" / f"{network}.{fmt}.xml").read_text()
    assert fmt == "atom" or raw.count('isPermaLink="true"') == len(parsed.entries)
    assert len(parsed.entries) == 4  # two public quotes, the long one, the CJK one
    for entry in parsed.entries:
        assert "http" not in entry.title  # the tool appends the link: it appears once
        # for tools that post the description (feedparser reads it as HTML)
        assert html.unescape(entry.summary) == f"{entry.title} {entry.link}"
        assert LIMITS[network].measure(entry.title, entry.link) <= LIMITS[network].limit
        tags = parse_qs(urlsplit(entry.link).query)
        assert tags["utm_source"] == [network]
        assert tags["utm_medium"] == ["social"]
        anchor = _anchor(entry.link)
        assert anchor.startswith("quote-")
        if network == "bluesky":  # the link counts in full there: the short tags only
            assert set(tags) == {"utm_source", "utm_medium"}
        else:
            assert tags["utm_campaign"] in (["finance"], ["warehouse"])
            assert tags["utm_content"] == [anchor]
        # the link is the quote's own page; the GUID is still the quote in its story
        assert not urlsplit(entry.link).fragment
        assert entry.id == f"{SITE}{_story(entry.link)}#{anchor}"
    by_story = {_story(e.link): e for e in parsed.entries}
    ada = by_story["/stories/quotes-worth-sharing/"].title
    if MENTIONS[network]:
        assert ada.endswith(MENTIONS[network])
    else:
        assert "via" not in ada
    for other, mention in MENTIONS.items():
        if other != network and mention:
            assert mention not in ada
    cjk = next(e for e in parsed.entries if e.title.startswith("倉庫"))
    # 380 graphemes: too long for X (weight 2 each) and Bluesky (300), whole elsewhere
    assert ("…" in cjk.title) == (network in ("x", "bluesky"))
    assert "\u200d…" not in cjk.title  # never inside an emoji sequence


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_neutral_feed_names_nobody_and_keeps_clean_links(social_build: Build, fmt: str) -> None:
    parsed = _parse(social_build.output / "feeds" / f"social.{fmt}.xml")
    for entry in parsed.entries:
        # today's GUIDs in RSS; an Atom id is a URN, which cannot hold a bare "#"
        anchor = _anchor(entry.link)
        assert entry.id.startswith("urn:culture-hub:")
        assert entry.id.endswith(f"#{anchor}" if fmt == "rss" else f"%23{anchor}")
        assert "via @" not in entry.title
        assert "utm_" not in entry.link
        for network in NETWORKS:
            assert LIMITS[network].fits(entry.title, entry.link)


def test_pages_keep_clean_canonical_links(social_build: Build) -> None:
    page = social_build.soup("stories/quotes-worth-sharing/index.html")
    canonical = page.find("link", rel="canonical")
    if canonical is not None:
        assert "utm_" not in canonical["href"]
    mastodon = page.select_one("#quote-1").find_next_sibling("span").select_one("a.share-mastodon")
    text = parse_qs(urlsplit(mastodon["href"]).query)["text"][0]
    assert "utm_source=mastodon" in text


def test_images_have_no_single_item_media_group(social_build: Build) -> None:
    for path in (social_build.output / "feeds").rglob("*.xml"):
        assert b"media:group" not in path.read_bytes(), path


def test_campaign_tags_can_be_turned_off_or_named(tmp_path: Path) -> None:
    content = _content(tmp_path)
    off = build_site(content, tmp_path / "off", cwd=tmp_path, SOCIAL_UTM=False)
    assert off.returncode == 0, off.log
    assert b"utm_" not in (off.output / "feeds" / "social" / "x.rss.xml").read_bytes()
    named = build_site(content, tmp_path / "named", cwd=tmp_path, SOCIAL_UTM_CAMPAIGN="spring")
    assert named.returncode == 0, named.log
    entry = _parse(named.output / "feeds" / "social" / "mastodon.rss.xml").entries[0]
    assert parse_qs(urlsplit(entry.link).query)["utm_campaign"] == ["spring"]
    # Bluesky counts links in full: its tags are chosen on their own
    full = build_site(content, tmp_path / "full", cwd=tmp_path,
                      SOCIAL_UTM_BLUESKY=["utm_source", "utm_campaign"])  # fmt: skip
    assert full.returncode == 0, full.log
    entry = _parse(full.output / "feeds" / "social" / "bluesky.rss.xml").entries[0]
    tags = parse_qs(urlsplit(entry.link).query)
    assert set(tags) == {"utm_source", "utm_campaign"}
    bad = build_site(content, tmp_path / "bad2", cwd=tmp_path, SOCIAL_UTM_BLUESKY=["utm_x"])
    assert bad.returncode != 0
    assert "SOCIAL_UTM_BLUESKY" in bad.log and "Traceback" not in bad.log
    bad = build_site(content, tmp_path / "bad", cwd=tmp_path, SOCIAL_UTM_CAMPAIGN="two words")
    assert bad.returncode != 0
    assert "SOCIAL_UTM_CAMPAIGN" in bad.log and "Traceback" not in bad.log


def test_quotes_drip_out_one_interval_apart(tmp_path: Path) -> None:
    content = _content(tmp_path)
    posted = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    story = content / "stories" / "quoted.md"
    story.write_text(story.read_text().replace("date: 2025-05-01 09:00", f"date: {posted}"))

    def quotes(build: Build) -> dict[str, datetime]:
        parsed = _parse(build.output / "feeds" / "social" / "x.rss.xml")
        return {
            _anchor(e.link): datetime(*e.published_parsed[:6], tzinfo=UTC)
            for e in parsed.entries
            if "quotes-worth-sharing" in e.link
        }

    daily = build_site(content, tmp_path / "daily", cwd=tmp_path)
    assert daily.returncode == 0, daily.log
    assert list(quotes(daily)) == ["quote-1"]  # quote 2 waits for tomorrow's build
    hourly = build_site(content, tmp_path / "hourly", cwd=tmp_path, SOCIAL_QUOTE_INTERVAL=1)
    assert hourly.returncode == 0, hourly.log
    found = quotes(hourly)
    assert found["quote-2"] - found["quote-1"] == timedelta(hours=1)
    wrong = build_site(content, tmp_path / "wrong", cwd=tmp_path, SOCIAL_QUOTE_INTERVAL="daily")
    assert wrong.returncode != 0
    assert "SOCIAL_QUOTE_INTERVAL" in wrong.log and "Traceback" not in wrong.log


def test_person_handles_are_checked_at_their_line(tmp_path: Path) -> None:
    content = _content(tmp_path)
    ben = content / "people" / "ben-ortiz.md"
    ben.write_text(ben.read_text().replace("department: warehouse\n", "department: warehouse\n"
                                           "mastodon: \"@ben\"\nbluesky: not a handle\n"))  # fmt: skip
    result = build_site(content, tmp_path / "out", cwd=tmp_path)
    assert result.returncode != 0
    assert "people/ben-ortiz.md:5:" in result.log
    assert "is not a Mastodon account" in result.log and "@amara@social.example" in result.log
    assert "people/ben-ortiz.md:6:" in result.log and "is not a Bluesky handle" in result.log


def _retitle(story: Path, old: str, new: str) -> None:
    story.write_text(story.read_text().replace(f"title: {old}", f"title: {new}"))


def test_every_old_address_still_leads_to_the_story(tmp_path: Path) -> None:
    content = _content(tmp_path)
    story = content / "stories" / "quoted.md"
    titles = ["Quotes worth sharing", "Quotes still worth sharing", "Quotes for good"]
    builds = []
    for number, title in enumerate(titles):
        if number:
            _retitle(story, titles[number - 1], title)
        built = build_site(
            content, tmp_path / f"out{number}", cwd=tmp_path, FEED_LEDGER_UPDATE=True
        )
        assert built.returncode == 0, built.log
        builds.append(built)
    last = builds[-1]
    assert (last.output / "stories" / "quotes-for-good" / "index.html").is_file()
    for network in ("x", "mastodon"):  # network GUIDs are the first address: unchanged
        ids = [
            sorted(
                e.id for e in _parse(b.output / "feeds" / "social" / f"{network}.rss.xml").entries
            )
            for b in builds
        ]
        assert ids[0] == ids[1] == ids[2]
        assert f"{SITE}/stories/quotes-worth-sharing/#quote-1" in ids[2]
    lines = (last.output / "_redirects").read_text().splitlines()
    assert sorted(lines) == [
        "/stories/quotes-still-worth-sharing/ /stories/quotes-for-good/ 301",
        "/stories/quotes-worth-sharing/ /stories/quotes-for-good/ 301",
    ]
    for old in ("quotes-worth-sharing", "quotes-still-worth-sharing"):
        page = BeautifulSoup(
            (last.output / "stories" / old / "index.html").read_text(), "html.parser"
        )
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == f"0; url={SITE}/stories/quotes-for-good/"
        assert page.find("link", rel="canonical")["href"] == f"{SITE}/stories/quotes-for-good/"
        # a quote link posted under the old title keeps its preview and leads to the quote
        quote_page = BeautifulSoup(
            (last.output / "stories" / old / "quote-1" / "index.html").read_text(), "html.parser"
        )
        target = f"{SITE}/stories/quotes-for-good/#quote-1"
        assert quote_page.find("a", href=target) is not None
        assert quote_page.find("script")["data-target"] == target
        og_url = quote_page.find("meta", property="og:url")["content"]
        assert og_url == f"{SITE}/stories/quotes-for-good/quote-1/"
    # a page that takes an old address back is served, not redirected
    _retitle(story, titles[-1], titles[0])
    back = build_site(content, tmp_path / "back", cwd=tmp_path, FEED_LEDGER_UPDATE=True)
    assert back.returncode == 0, back.log
    assert sorted((back.output / "_redirects").read_text().splitlines()) == [
        "/stories/quotes-for-good/ /stories/quotes-worth-sharing/ 301",
        "/stories/quotes-still-worth-sharing/ /stories/quotes-worth-sharing/ 301",
    ]
    assert (
        "Quotes worth sharing"
        in (back.output / "stories" / "quotes-worth-sharing" / "index.html").read_text()
    )


def test_a_site_whose_stories_are_html_files_builds_with_search_and_quote_pages(
    tmp_path: Path,
) -> None:
    """``ARTICLE_URL`` ending in ``.html``: each story is searchable (Pagefind was given a
    glob of folders only, found no page and stopped the build) and each quote has its page."""
    content = _content(tmp_path)
    built = build_site(
        content, tmp_path / "out", cwd=tmp_path,
        ARTICLE_URL="{category}/{slug}.html", ARTICLE_SAVE_AS="{category}/{slug}.html",
    )  # fmt: skip
    assert built.returncode == 0, built.log
    assert (built.output / "stories" / "quotes-worth-sharing.html").is_file()
    quote_page = built.output / "stories" / "quotes-worth-sharing" / "quote-1" / "index.html"
    target = f"{SITE}/stories/quotes-worth-sharing.html#quote-1"
    assert BeautifulSoup(quote_page.read_text(), "html.parser").find("script")["data-target"] == (
        target
    )
    entry = json.loads((built.output / "pagefind" / "pagefind-entry.json").read_text())
    stories = len(list((built.output / "stories").glob("*.html"))) - 1  # not the listing
    assert sum(lang["page_count"] for lang in entry["languages"].values()) >= stories > 0


def test_a_local_build_redirects_without_recording(tmp_path: Path) -> None:
    content = _content(tmp_path)
    story = content / "stories" / "quoted.md"
    first = build_site(content, tmp_path / "one", cwd=tmp_path, FEED_LEDGER_UPDATE=True)
    assert first.returncode == 0, first.log
    recorded = (content / "feed-ledger.json").read_text()
    assert '"stories/quotes-worth-sharing/"' in recorded
    _retitle(story, "Quotes worth sharing", "Quotes renamed")
    local = build_site(content, tmp_path / "two", cwd=tmp_path)
    assert local.returncode == 0, local.log
    assert (content / "feed-ledger.json").read_text() == recorded  # only publish writes it
    assert (local.output / "_redirects").read_text() == (
        "/stories/quotes-worth-sharing/ /stories/quotes-renamed/ 301\n"
    )


def test_a_hostile_address_in_the_ledger_stops_the_build_at_its_line(tmp_path: Path) -> None:
    content = _content(tmp_path)
    first = build_site(content, tmp_path / "one", cwd=tmp_path, FEED_LEDGER_UPDATE=True)
    assert first.returncode == 0, first.log
    ledger = content / "feed-ledger.json"
    text = ledger.read_text().replace('"stories/quotes-worth-sharing/"', '"../../etc/cron.d/x"', 1)
    ledger.write_text(text)
    result = build_site(content, tmp_path / "two", cwd=tmp_path)
    assert result.returncode != 0
    line = text[: text.index("../../etc")].count("\n") + 1
    assert f"feed-ledger.json:{line}:" in result.log and "Traceback" not in result.log
    assert "../../etc/cron.d/x" in result.log
    assert not (tmp_path / "etc").exists()


def test_every_quote_in_the_social_feeds_has_a_card_drawn_once(tmp_path: Path) -> None:
    content = _content(tmp_path)
    first = build_site(content, tmp_path / "one", cwd=tmp_path)
    assert first.returncode == 0, first.log
    parsed = _parse(first.output / "feeds" / "social" / "mastodon.rss.xml")
    cards = {}
    for entry in parsed.entries:  # CJK (with Debian's fallback font) and emoji too
        (enclosure,) = entry.enclosures
        assert enclosure.type == "image/png"
        name = enclosure.href.removeprefix(f"{SITE}/")
        card = first.output / name
        with PILImage.open(card) as image:
            assert image.size == (1200, 630)
            assert image.format == "PNG"
        assert int(enclosure.length) == card.stat().st_size
        assert entry.media_content[0]["url"] == enclosure.href
        cards[urlsplit(entry.link).path] = name
    assert len(set(cards.values())) == len(parsed.entries)  # one card per quote
    cache = tmp_path / "cache" / "cards"
    drawn = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(drawn) == len(cards)

    story = content / "stories" / "quoted.md"
    story.write_text(story.read_text().replace("defaults come from", "defaults still come from"))
    second = build_site(content, tmp_path / "two", cwd=tmp_path)
    assert second.returncode == 0, second.log
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert all(after[name] == when for name, when in drawn.items())  # none redrawn
    assert len(after) == len(drawn) + 1  # only the edited quote got a new card ...
    used = {p.name for p in (second.output / "cards").iterdir()}
    assert len(used & set(drawn)) == len(drawn) - 1  # ... under a new address


def test_a_bounded_feed_holds_the_newest_quotes_in_every_network(tmp_path: Path) -> None:
    content = _content(tmp_path)
    result = build_site(content, tmp_path / "out", cwd=tmp_path, FEED_MAX_ITEMS=2)
    assert result.returncode == 0, result.log
    chosen = []
    for name in ("social.rss.xml", *(f"social/{n}.rss.xml" for n in NETWORKS)):
        parsed = _parse(result.output / "feeds" / name)
        assert len(parsed.entries) == 2
        chosen.append(sorted(urlsplit(e.link)._replace(query="").geturl() for e in parsed.entries))
    assert all(found == chosen[0] for found in chosen)  # only these were composed
    assert all("quotes-worth-sharing" not in link for link in chosen[0])  # the oldest story


LONG_TITLE = (
    "What a year of quiet Thursday mornings in the finance team taught us about asking "
    "better questions, writing shorter reports and sharing the small wins with everyone"
)  # 168 characters: its address alone nearly fills a Bluesky post


def test_a_long_address_on_bluesky_is_an_error_at_the_quote_then_a_slug_fixes_it(
    tmp_path: Path,
) -> None:
    content = _content(tmp_path)
    story = content / "stories" / "long-title.md"
    story.write_text(
        f"---\ntitle: {LONG_TITLE}\ndate: 2025-06-03 09:00\nauthors: [ada-quill]\n"
        "departments: [finance]\nsummary: A long title.\n---\n"
        "Intro.\n\n[inlinetweet]Small questions asked every week beat one big review a year, "
        "and the whole team hears the answers[/inlinetweet].\n"
    )
    refused = build_site(content, tmp_path / "refused", cwd=tmp_path)
    assert refused.returncode != 0
    assert "content/stories/long-title.md:10: error: quote 1 cannot be posted on Bluesky" in (
        refused.log
    )
    assert "counts the link" in refused.log and "slug:" in refused.log
    assert "Traceback" not in refused.log
    story.write_text(story.read_text().replace("title:", "slug: quiet-thursdays\ntitle:", 1))
    fixed = build_site(content, tmp_path / "fixed", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.log
    assert "long-title.md" not in fixed.log  # no warning either: the quote fits whole
    parsed = _parse(fixed.output / "feeds" / "social" / "bluesky.rss.xml")
    entry = next(e for e in parsed.entries if "quiet-thursdays" in e.link)
    assert entry.title.endswith("#FinanceVoices via @ada.bsky.social")
    assert "…" not in entry.title
    assert LIMITS["bluesky"].fits(entry.title, entry.link)


def test_a_quote_cut_hard_on_bluesky_is_a_warning_at_its_line(social_build: Build) -> None:
    # one warning for the quote, naming every network that cuts it, and how to fix it
    lines = social_build.log.splitlines()
    (line,) = [found for found in lines if found.startswith("content/stories/long.md:9:")]
    assert line.startswith("content/stories/long.md:9: warning: quote 1 is too long for X")
    assert "; quote 1 is cut on Bluesky to " in line
    assert "Bluesky counts the link (" in line and "SOCIAL_UTM_BLUESKY" in line
