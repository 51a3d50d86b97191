"""Feeds that schedulers can trust: parsed with feedparser and lxml from real builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURES, ROOT, Build, build_site
from lxml import etree
from servers import settings_file

from culture_hub.share_tweet.compose import X_LIMIT, weighted_length

SITE = "https://culture.lanternfield.example"


def _content(tmp: Path, *fixtures: str) -> Path:
    """A content folder merging fixture sites (later ones add files)."""
    target = tmp / "content"
    for name in fixtures:
        shutil.copytree(FIXTURES / name, target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def feeds_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("feeds")
    content = _content(base, "basic", "quotes", "audiences")
    result = build_site(content, base / "output", cwd=base)
    assert result.returncode == 0, result.log
    return result


def _feeds(build: Build) -> list[Path]:
    return sorted((build.output / "feeds").rglob("*.xml"))


def _parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def test_every_feed_parses_with_feedparser_and_lxml(feeds_build: Build) -> None:
    paths = _feeds(feeds_build)
    assert len(paths) > 10
    for path in paths:
        etree.fromstring(path.read_bytes())  # well-formed XML
        parsed = _parse(path)
        assert parsed.feed.get("language") == "en", path
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"{SITE}/{path.relative_to(feeds_build.output)}"], path


def test_every_department_and_person_has_both_feeds(feeds_build: Build) -> None:
    feeds = feeds_build.output / "feeds"
    for dept in ("finance", "warehouse", "quiet"):
        for fmt in ("rss", "atom"):
            assert (feeds / "departments" / f"{dept}.{fmt}.xml").is_file()
    for person in ("ada-quill", "ben-ortiz"):
        for fmt in ("rss", "atom"):
            assert (feeds / "people" / f"{person}.{fmt}.xml").is_file()


def test_items_are_absolute_complete_and_newest_first(feeds_build: Build) -> None:
    for path in _feeds(feeds_build):
        parsed = _parse(path)
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True), path
        for entry in parsed.entries:
            assert entry.link.startswith(f"{SITE}/"), path
            network_feed = path.parent.name == "social"  # GUIDs are the quotes' addresses
            assert entry.id.startswith(f"{SITE}/" if network_feed else "urn:culture-hub:")
            assert "None" not in entry.id
            if "social" not in path.as_posix():
                html = entry.content[0].value
                soup = BeautifulSoup(html, "html.parser")
                for element in soup.find_all(["a", "img"]):
                    url = element.get("href") or element.get("src")
                    assert url.startswith(("https://", "mailto:")), (path, url)
                assert "quote-share" not in html
                assert "<" not in entry.summary
            assert entry.title and "<" not in entry.title


def test_rss_items_carry_guid_author_categories_and_image(feeds_build: Build) -> None:
    tree = etree.parse(str(feeds_build.output / "feeds" / "all.rss.xml"))
    item = next(i for i in tree.iter("item") if i.findtext("title") == "Moving the second thing")
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("pubDate").endswith("+0100")  # explicit zone: Europe/London, June
    assert [c.text for c in item.findall("category")] == ["Warehouse", "Finance", "moving"]
    creators = item.findall("{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in creators] == ["Ben Ortiz", "Ada Quill"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{SITE}/images/box.png"
    assert enclosure.get("type") == "image/png"
    assert (
        int(enclosure.get("length")) == (FIXTURES / "basic" / "images" / "box.png").stat().st_size
    )
    media = item.find(".//{http://search.yahoo.com/mrss/}content")
    assert media.get("url") == f"{SITE}/images/box.png"


def test_social_feed_has_one_ready_post_per_public_quote(feeds_build: Build) -> None:
    parsed = _parse(feeds_build.output / "feeds" / "social.rss.xml")
    links = sorted(entry.link for entry in parsed.entries)
    assert links == [
        f"{SITE}/stories/a-public-story/quote-1/",  # each quote's own page
        f"{SITE}/stories/a-very-long-quote/quote-1/",
        f"{SITE}/stories/quotes-worth-sharing/quote-1/",
        f"{SITE}/stories/quotes-worth-sharing/quote-2/",
    ]
    for entry in parsed.entries:
        # the title is the post without its link: tools append the link themselves
        assert "http" not in entry.title
        assert entry.summary == f"{entry.title} {entry.link}"
        assert "via @" not in entry.title  # network-neutral: no handle means the same everywhere
        assert weighted_length(f"{entry.title} https://example.com/") <= X_LIMIT
    long = next(e for e in parsed.entries if "a-very-long-quote" in e.link)
    assert "…" in long.title  # the post is shortened to fit ...
    body = BeautifulSoup(long.content[0].value, "html.parser").p.get_text()
    assert body.endswith("running through the night")  # ... the quote itself is whole
    text = (feeds_build.output / "feeds" / "social.rss.xml").read_text().lower()
    for marker in ("zzstaffmarker", "zzdraftmarker", "zzfuturemarker", "inside the company"):
        assert marker not in text


def test_json_feed(feeds_build: Build) -> None:
    document = json.loads((feeds_build.output / "feeds" / "all.json").read_text())
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE}/feeds/all.json"
    assert {item["id"] for item in document["items"]} == {
        entry.id for entry in _parse(feeds_build.output / "feeds" / "all.atom.xml").entries
    }


def test_pages_link_their_feeds(feeds_build: Build) -> None:
    def alternates(page: str) -> list[str]:
        soup = feeds_build.soup(page)
        return [link["href"] for link in soup.select('link[rel="alternate"]')]

    assert f"{SITE}/feeds/all.atom.xml" in alternates("index.html")
    assert f"{SITE}/feeds/departments/finance.rss.xml" in alternates(
        "departments/finance/index.html"
    )
    assert f"{SITE}/feeds/people/ada-quill.atom.xml" in alternates("people/ada-quill/index.html")
    listing = feeds_build.soup("feeds/index.html")
    hrefs = {a["href"] for a in listing.select(".feed-list a")}
    assert f"{SITE}/feeds/social.rss.xml" in hrefs
    assert f"{SITE}/feeds/departments/quiet.atom.xml" in hrefs


def _guids(build: Build) -> dict[str, str]:
    parsed = _parse(build.output / "feeds" / "all.atom.xml")
    return {entry.id: entry.title for entry in parsed.entries}


def test_guids_survive_edits_renames_redating_and_a_new_host(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic")
    first = build_site(content, tmp_path / "one", cwd=tmp_path, FEED_LEDGER_UPDATE=True)
    assert first.returncode == 0, first.log
    before = {title: guid for guid, title in _guids(first).items()}

    story = content / "stories" / "second.md"
    story.write_text(
        story.read_text()
        .replace("title: Moving the second thing", "title: Moving the second thing, retitled")
        .replace("The second story body.", "A rewritten body.")
    )
    (content / "stories" / "first.md").rename(content / "stories" / "renamed-first.md")
    vision = content / "leadership" / "vision.md"
    vision.write_text(vision.read_text().replace("2025-07-01 09:00", "2025-07-09 10:00"))
    second = build_site(
        content,
        tmp_path / "two",
        cwd=tmp_path,
        SITEURL="https://new-host.example",
        FEED_LEDGER_UPDATE=True,
    )
    assert second.returncode == 0, second.log
    after = {title: guid for guid, title in _guids(second).items()}
    assert after == {
        "Moving the second thing, retitled": before["Moving the second thing"],
        "Counting the first thing": before["Counting the first thing"],
        "A vision for counting": before["A vision for counting"],
    }


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic", "quotes")
    one = build_site(content, tmp_path / "one", cwd=tmp_path)
    two = build_site(content, tmp_path / "two", cwd=tmp_path)
    assert one.returncode == two.returncode == 0
    feeds_one = {
        p.relative_to(one.output): p.read_bytes()
        for p in (one.output / "feeds").rglob("*")
        if p.is_file()
    }
    feeds_two = {
        p.relative_to(two.output): p.read_bytes()
        for p in (two.output / "feeds").rglob("*")
        if p.is_file()
    }
    assert feeds_one == feeds_two


def test_control_characters_and_relative_images_stay_valid(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic")
    (content / "stories" / "odd.md").write_text(
        '---\ntitle: "Odd\\u0001 characters"\ndate: 2025-08-01 09:00\nauthors: [ada-quill]\n'
        'departments: [finance]\nsummary: "Bell\\u0007 and form feed\\u000c here."\n---\n'
        "Text with a vertical tab\x0b and an escape\x1b.\n\n"
        "![A box](images/box.png) and [a relative link](../moving-the-second-thing/).\n"
    )
    result = build_site(content, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.log
    for name in ("all.rss.xml", "all.atom.xml"):
        raw = (result.output / "feeds" / name).read_bytes()
        etree.fromstring(raw)
        parsed = _parse(result.output / "feeds" / name)
        entry = next(e for e in parsed.entries if e.title.startswith("Odd"))
        assert entry.title == "Odd characters"
        soup = BeautifulSoup(entry.content[0].value, "html.parser")
        assert soup.img["src"] == f"{SITE}/images/box.png"
        assert soup.a["href"] == f"{SITE}/stories/moving-the-second-thing/"


def test_bounded_item_count_and_websub_hub(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic")
    result = build_site(
        content, tmp_path / "out", cwd=tmp_path, FEED_MAX_ITEMS=2, WEBSUB_HUB="https://hub.example/"
    )
    assert result.returncode == 0, result.log
    parsed = _parse(result.output / "feeds" / "all.atom.xml")
    assert [e.title for e in parsed.entries] == ["A vision for counting", "Moving the second thing"]
    assert "https://hub.example/" in [link.href for link in parsed.feed.links if link.rel == "hub"]


def test_late_published_story_is_dated_when_it_first_appeared(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic")
    assert (
        build_site(content, tmp_path / "one", cwd=tmp_path, FEED_LEDGER_UPDATE=True).returncode == 0
    )
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    (content / "stories" / "late.md").write_text(
        "---\ntitle: Merged late\ndate: 2025-01-01 09:00\nauthors: [ada-quill]\n"
        "departments: [finance]\nsummary: Written long ago, merged today.\n---\nBody.\n"
    )
    result = build_site(content, tmp_path / "two", cwd=tmp_path, FEED_LEDGER_UPDATE=True)
    assert result.returncode == 0, result.log
    parsed = _parse(result.output / "feeds" / "all.rss.xml")
    late = next(e for e in parsed.entries if e.title == "Merged late")
    published = datetime(*late.published_parsed[:6], tzinfo=UTC)
    assert published >= started
    assert parsed.entries[0].title == "Merged late"  # newest first: it just appeared
    third = build_site(content, tmp_path / "three", cwd=tmp_path)
    assert (third.output / "feeds" / "all.rss.xml").read_bytes() == (
        result.output / "feeds" / "all.rss.xml"
    ).read_bytes()


def test_only_the_publishing_build_records_the_ledger(tmp_path: Path) -> None:
    content = _content(tmp_path, "basic")
    ledger = content / "feed-ledger.json"
    built = build_site(content, tmp_path / "built", cwd=tmp_path)
    assert built.returncode == 0, built.log
    assert not ledger.exists()  # a local build leaves the committed files alone
    deploy_settings = settings_file(tmp_path / "project")  # deploys into the test's folder
    published = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "publish", "--content", str(content),
         "--output", str(tmp_path / "published"), "--settings", str(deploy_settings)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert published.returncode == 0, published.stdout + published.stderr
    assert "stories/first.md" in ledger.read_text()
    # A new story, then every local command a writer runs: the tracked ledger stays as it is.
    recorded = ledger.read_bytes()
    new = (content / "stories" / "first.md").read_text().replace("Counting the first", "A new")
    (content / "stories" / "new.md").write_text(new.replace("2025-05-01", "2025-07-01"))
    for task in (["build", "--output", str(tmp_path / "local")], ["check"]):
        done = subprocess.run(
            [sys.executable, "-m", "invoke", "-r", str(ROOT), *task, "--content", str(content)],
            cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    dev = build_site(content, tmp_path / "dev", "pelicanconf.py", cwd=tmp_path)
    assert dev.returncode == 0, dev.log
    assert ledger.read_bytes() == recorded
