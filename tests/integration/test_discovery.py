"""Link previews and discovery: meta tags, JSON-LD, sitemap, robots, 404 — public only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, Build, build_site
from lxml import etree
from pagefind_bin import get_executable

SITE = "https://culture.lanternfield.example"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample site plus the audiences fixture's staff, draft and future stories."""
    base = tmp_path_factory.mktemp("discovery")
    shutil.copytree(ROOT / "content", base / "content")
    for name in ("staff.md", "draft.md", "future.md"):
        shutil.copy(FIXTURES / "audiences" / "stories" / name, base / "content" / "stories" / name)
    shutil.copytree(
        FIXTURES / "audiences" / "images", base / "content" / "images", dirs_exist_ok=True
    )
    (base / "content" / "people" / "ada-quill.md").write_text(
        (FIXTURES / "audiences" / "people" / "ada-quill.md").read_text()
    )
    result = build_site(base / "content", base / "output", cwd=base)
    assert result.returncode == 0, result.log
    return result


def _meta(page, key: str) -> str:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    assert tag is not None, key
    return tag["content"]


def test_story_meta_tags(sample: Build) -> None:
    page = sample.soup("stories/what-our-accountants-taught-us-about-retweets/index.html")
    url = f"{SITE}/stories/what-our-accountants-taught-us-about-retweets/"
    assert page.find("link", rel="canonical")["href"] == url
    assert _meta(page, "og:url") == url
    assert _meta(page, "og:type") == "article"
    assert _meta(page, "og:image") == f"{SITE}/images/finance-desk.png"
    assert _meta(page, "og:description").startswith("The finance team became")
    assert _meta(page, "twitter:card") == "summary_large_image"
    assert _meta(page, "twitter:creator") == "@priya_counts"
    cover = page.select_one("figure.cover img")
    assert (cover["width"], cover["height"]) == ("1200", "630")


def test_pages_without_an_image_use_the_site_image(sample: Build) -> None:
    page = sample.soup("departments/finance/index.html")
    assert _meta(page, "og:image") == f"{SITE}/theme/images/og-default.png"
    assert (sample.output / "theme" / "images" / "og-default.png").is_file()
    assert _meta(page, "og:type") == "website"


def test_json_ld_article(sample: Build) -> None:
    page = sample.soup("stories/three-nights-one-square-twelve-thousand-lights/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article"
    assert data["headline"] == "Three nights, one square, twelve thousand lights"
    assert [a["name"] for a in data["author"]] == ["Rosa Delgado", "Dev Raman"]
    assert data["datePublished"] == "2025-12-03T18:00:00+00:00"
    assert data["publisher"]["name"] == "Lanternfield Culture Hub"
    assert data["image"] == [f"{SITE}/images/winter-square.png"]
    logo = data["publisher"]["logo"]
    assert logo["url"] == f"{SITE}/theme/images/icon-512.png"
    assert (sample.output / "theme" / "images" / "icon-512.png").is_file()


def test_every_indexable_page_is_in_the_sitemap_and_nothing_else(sample: Build) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = etree.parse(str(sample.output / "sitemap.xml"))
    listed = {loc.removeprefix(f"{SITE}/") for loc in tree.xpath("//s:loc/text()", namespaces=ns)}
    written = set()
    for path in sample.output.rglob("index.html"):
        relative = path.relative_to(sample.output).as_posix()
        if relative.startswith(("pagefind/", "theme/")):
            continue
        page = sample.soup(relative)
        robots = page.find("meta", attrs={"name": "robots"})
        if robots and "noindex" in robots["content"]:
            continue
        written.add(relative.removesuffix("index.html"))
    assert listed == written
    # Listings of every kind, including their later pages, are there.
    assert {"stories/", "stories/page/2/", "tags/", "tags/finance-team/", "departments/",
            "people/", "people/priya-shah/", "contributions/", "feeds/", "search/"} <= listed  # fmt: skip


def test_sitemap_robots_and_404(sample: Build) -> None:
    tree = etree.parse(str(sample.output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = tree.xpath("//s:loc/text()", namespaces=ns)
    assert f"{SITE}/" in locs
    assert f"{SITE}/stories/the-papercut-hour/" in locs
    assert f"{SITE}/departments/legal/" in locs
    assert f"{SITE}/about/" in locs
    assert all(loc.startswith(f"{SITE}/") for loc in locs)
    robots = (sample.output / "robots.txt").read_text()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    assert "could not find that page" in sample.soup("404.html").h1.get_text()


def test_related_stories_and_neighbours(sample: Build) -> None:
    page = sample.soup("stories/a-ledger-of-small-wins/index.html")
    related = [a.get_text() for a in page.select(".related a")]
    assert "Month-end without the midnight finish" in related  # same department and tags
    assert page.select_one('.neighbours a[rel="prev"]')


@pytest.mark.parametrize("marker", ["zzstaffmarker", "zzdraftmarker", "zzfuturemarker"])
def test_unpublished_stories_appear_in_no_meta_json_ld_or_sitemap(
    sample: Build, marker: str
) -> None:
    assert marker not in (sample.output / "sitemap.xml").read_text().lower()
    for path in sample.output.rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower()
        assert marker not in text, path


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dev_build_with_a_siteurl_into_a_new_folder_writes_its_sitemap(
    tmp_path: Path, workers: int
) -> None:
    content = shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    result = build_site(
        content,
        tmp_path / "new" / "folder",
        settings="pelicanconf.py",
        cwd=tmp_path,
        SITEURL="https://dev.example",
        BUILD_WORKERS=workers,
        PARALLEL_MIN_FILES=1,
    )
    assert result.returncode == 0, result.log
    assert "Traceback" not in result.log
    assert "https://dev.example/" in (result.output / "sitemap.xml").read_text()
    assert (result.output / "robots.txt").read_text().endswith("sitemap.xml\n")


def test_the_search_index_is_what_pagefind_makes_of_the_whole_site(
    sample: Build, tmp_path: Path
) -> None:
    """The build gives Pagefind only the story and page files, read from ``<main>``:
    the index must be byte for byte what a plain Pagefind run over every page makes."""
    plain = tmp_path / "plain"
    subprocess.run(
        [str(get_executable()), "--site", str(sample.output), "--output-path", str(plain),
         "--glob", "**/*.html", "--quiet"],
        check=True, cwd=tmp_path, env={k: v for k, v in os.environ.items() if "PAGEFIND" not in k},
    )  # fmt: skip
    built = sample.output / "pagefind"
    names = sorted(str(p.relative_to(plain)) for p in plain.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(built)) for p in built.rglob("*") if p.is_file())
    assert any(name.startswith("fragment/") for name in names)
    different = [n for n in names if (plain / n).read_bytes() != (built / n).read_bytes()]
    assert not different
