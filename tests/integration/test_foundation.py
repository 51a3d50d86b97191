"""The foundation: real Pelican builds of fixture sites, inspected as HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, Build, build_site


def test_urls_are_pretty_folders(basic_build: Build) -> None:
    written = {str(p.relative_to(basic_build.output)) for p in basic_build.files()}
    for expected in (
        "index.html",
        "stories/index.html",
        "stories/counting-the-first-thing/index.html",
        "stories/moving-the-second-thing/index.html",
        "leadership/index.html",
        "leadership/a-vision-for-counting/index.html",
        "departments/index.html",
        "departments/finance/index.html",
        "departments/quiet/index.html",
        "people/index.html",
        "people/ada-quill/index.html",
        "tags/index.html",
        "tags/social-media/index.html",
        "about/index.html",
        "images/box.png",
    ):
        assert expected in written, expected
    # Registries are not articles, and no Pelican author/category pages leak out.
    assert not any(name.startswith(("author", "category", "drafts")) for name in written)
    assert not any(name.endswith(".md") for name in written)


def test_story_page_resolves_people_and_departments(basic_build: Build) -> None:
    page = basic_build.soup("stories/moving-the-second-thing/index.html")
    assert page.h1.get_text(strip=True) == "Moving the second thing"
    byline = page.select_one("header .byline")
    assert [a.get_text() for a in byline.find_all("a")] == ["Ben Ortiz", "Ada Quill"]
    assert [a["href"] for a in byline.find_all("a")] == [
        "https://culture.lanternfield.example/people/ben-ortiz/",
        "https://culture.lanternfield.example/people/ada-quill/",
    ]
    badges = page.select("header .badge")
    assert [b.get_text() for b in badges] == ["Warehouse", "Finance"]
    assert badges[1]["href"].endswith("/departments/finance/")
    cover = page.select_one("figure.cover img")
    assert cover["alt"] == "A cardboard box on a shelf"


def test_internal_links_resolve_to_pretty_urls(basic_build: Build) -> None:
    page = basic_build.soup("stories/counting-the-first-thing/index.html")
    link = page.select_one(".prose a")
    assert link["href"] == "https://culture.lanternfield.example/stories/moving-the-second-thing/"


def test_department_page_lists_its_stories_newest_first(basic_build: Build) -> None:
    page = basic_build.soup("departments/finance/index.html")
    titles = [a.get_text() for a in page.select(".card-title a")]
    assert titles == [
        "A vision for counting",
        "Moving the second thing",
        "Counting the first thing",
    ]
    assert "Finance counts what matters." in page.get_text()
    assert page.select_one(".lead h2 a").get_text() == "Ada Quill"


def test_department_without_stories_invites_a_first_one(basic_build: Build) -> None:
    listing = basic_build.soup("departments/index.html")
    quiet = next(
        li for li in listing.select(".department-list li") if "Quiet Corner" in li.get_text()
    )
    assert "no stories yet — be the first" in quiet.get_text()
    page = basic_build.soup("departments/quiet/index.html")
    assert "No stories yet" in page.get_text()


def test_person_page_shows_role_bio_and_stories(basic_build: Build) -> None:
    page = basic_build.soup("people/ben-ortiz/index.html")
    assert "Shift Lead" in page.select_one(".role").get_text()
    assert "Ben runs the night shift." in page.get_text()
    assert [a.get_text() for a in page.select(".card-title a")] == ["Moving the second thing"]


def test_templates_escape_front_matter(site, tmp_path: Path) -> None:
    content = site()
    story = content / "stories" / "first.md"
    story.write_text(
        story.read_text().replace(
            "title: Counting the first thing", "title: \"<b>Bold</b> & 'quoted'\""
        )
    )
    result = build_site(content, tmp_path / "out")
    assert result.returncode == 0, result.log
    page = result.soup("stories/bold-quoted/index.html")
    assert page.h1.get_text() == "<b>Bold</b> & 'quoted'"
    assert page.h1.find("b") is None


def test_unknown_ids_fail_the_publish_build_with_a_location(site, tmp_path: Path) -> None:
    content = site()
    story = content / "stories" / "first.md"
    story.write_text(
        story.read_text()
        .replace("departments: [finance]", "departments: [finanse]")
        .replace("authors: [ada-quill]", "authors: [ada-quil]")
    )
    result = build_site(content, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "content/stories/first.md:4: error: unknown author 'ada-quil' (did you mean "
        "'ada-quill'? Or add content/people/ada-quil.md for a new contributor.)"
    ) in lines
    assert (
        "content/stories/first.md:5: error: unknown department 'finanse' (did you mean 'finance'?)"
        in lines
    )
    assert "Traceback" not in result.log
    assert not (tmp_path / "out").exists()


def test_the_dev_build_warns_and_still_builds(site, tmp_path: Path) -> None:
    content = site()
    story = content / "stories" / "first.md"
    story.write_text(story.read_text().replace("departments: [finance]", "departments: [finanse]"))
    result = build_site(content, tmp_path / "out", settings="pelicanconf.py", cwd=tmp_path)
    assert result.returncode == 0, result.log
    assert "content/stories/first.md:5: warning: unknown department 'finanse'" in result.stderr
    assert (tmp_path / "out" / "stories" / "counting-the-first-thing" / "index.html").is_file()


def test_broken_yaml_is_located_and_never_a_traceback(site, tmp_path: Path) -> None:
    content = site()
    (content / "stories" / "broken.md").write_text(
        '---\ntitle: "never closed\ndate: 2026-01-01\n---\nBody\n'
    )
    result = build_site(content, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/stories/broken.md:2: error: invalid YAML in the front matter" in result.stderr
    assert "Traceback" not in result.log


def test_sample_site_builds_without_warnings_from_any_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "culture"
    shutil.copytree(ROOT / "content", elsewhere)
    result = build_site(elsewhere, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.log
    assert "WARNING" not in result.log and "ERROR" not in result.log, result.log
    assert ": warning:" not in result.stderr and ": error:" not in result.stderr, result.stderr
    index = result.soup("index.html")
    assert index.select(".card")
    assert (tmp_path / "out" / "departments" / "finance" / "index.html").is_file()


def test_a_date_like_file_name_is_only_a_name(site, tmp_path: Path) -> None:
    """The date is the front matter's: a file name that starts with an impossible
    date neither drops the story nor moves it (Pelican reads one from names by default)."""
    content = site()
    (content / "stories" / "first.md").rename(content / "stories" / "2026-02-30-first.md")
    result = build_site(content, tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.log
    page = result.soup("stories/counting-the-first-thing/index.html")
    assert page.find("time")["datetime"].startswith("2025-05-01T09:00")
    assert "Could not process" not in result.log


def test_a_file_pelican_cannot_process_fails_the_publish_build_at_the_file(
    site, tmp_path: Path
) -> None:
    """The safety net under the reader: a failure inside Pelican itself (here its
    file-name dates, switched back on) is a located error, not a story left out."""
    content = site()
    (content / "stories" / "first.md").rename(content / "stories" / "2026-02-30-first.md")
    result = build_site(
        content,
        tmp_path / "out",
        cwd=tmp_path,
        FILENAME_METADATA=r"(?P<date>\d{4}-\d{2}-\d{2}).*",
    )
    assert result.returncode == 1, result.log
    assert (
        "content/stories/2026-02-30-first.md:1: error: Pelican could not make a page of "
        "this file: '2026-02-30' is not a valid date"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_at_the_address_of_another_is_located_never_a_traceback(
    site, tmp_path: Path, workers: int
) -> None:
    """A page titled "Search" would be written where the search page goes, and two
    pages with one title to one file: in one process or in forked writers alike."""
    content = site()
    (content / "pages" / "search.md").write_text("---\ntitle: Search\n---\nHow we search.\n")
    (content / "pages" / "about-us.md").write_text("---\ntitle: About\n---\nAbout, again.\n")
    # Written before the departments page (pages come first), yet the site's page wins.
    (content / "pages" / "teams.md").write_text("---\ntitle: Departments\n---\nOur teams.\n")
    # Where the search index goes: indexing again would remove the page with the old index.
    (content / "pages" / "pf.md").write_text("---\ntitle: Pagefind 2\n---\nNotes.\n")
    parallel = {"BUILD_WORKERS": workers, "PARALLEL_MIN_FILES": 1}
    result = build_site(content, tmp_path / "out", cwd=tmp_path, **parallel)
    assert result.returncode == 1, result.log
    assert (
        "content/pages/search.md:2: error: the address /search/ is where the site's own "
        "search page goes, so this page cannot be published there (change the title or add "
        "a different 'slug:')"
    ) in result.stderr.splitlines()
    assert (  # pages come in file-name order: about-us.md is the first at /about/
        "content/pages/about.md:2: error: this page has the same address /about/ as "
        "content/pages/about-us.md"
    ) in result.stderr
    assert (
        "content/pages/teams.md:2: error: the address /departments/ is where the site's own "
        "departments page goes"
    ) in result.stderr
    assert (
        "content/pages/pf.md:2: error: the address /pagefind-2/ is where the site's search "
        "index goes, so this page cannot be published there"
    ) in result.stderr
    assert "Traceback" not in result.log
    assert not (tmp_path / "out").exists()

    dev = build_site(content, tmp_path / "dev", settings="pelicanconf.py", cwd=tmp_path, **parallel)
    assert dev.returncode == 0, dev.log
    assert "content/pages/search.md:2: warning: the address /search/" in dev.stderr
    assert "content/pages/pf.md:2: warning: the address /pagefind-2/" in dev.stderr
    assert not (tmp_path / "dev" / "pagefind-2" / "index.html").exists()
    assert dev.soup("search/index.html").find(id="search") is not None  # the site's own page
    assert "About, again." in dev.soup("about/index.html").get_text()
    assert "Our teams." not in dev.soup("departments/index.html").get_text()
    assert dev.soup("departments/index.html").find("h1").get_text(strip=True) == "Departments"
