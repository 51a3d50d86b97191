"""Department sections, people pages and the contributions chart, in real builds."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from helpers import FIXTURES, Build, build_site
from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"


def _months_ago(count: int) -> date:
    today = date.today().replace(day=1)
    for _ in range(count):
        today = (today - timedelta(days=1)).replace(day=1)
    return today


# (department, months ago, kind) for each generated article: "warehouse" has many,
# "finance" one (five months ago: quiet this quarter), "quiet" none.
ARTICLES = [
    ("warehouse", 0, "stories"),
    ("warehouse", 1, "stories"),
    ("warehouse", 1, "leadership"),
    ("warehouse", 2, "stories"),
    ("warehouse", 11, "stories"),
    ("warehouse", 14, "stories"),  # outside the 12-month window
    ("finance", 5, "stories"),
]


@pytest.fixture(scope="module")
def sections_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("sections")
    content = base / "content"
    shutil.copytree(FIXTURES / "basic", content)
    for folder in ("stories", "leadership"):
        shutil.rmtree(content / folder)
        (content / folder).mkdir()
    for number, (dept, ago, kind) in enumerate(ARTICLES):
        day = _months_ago(ago).replace(day=1 + number)
        lead = "ben-ortiz" if dept == "warehouse" else "ada-quill"
        (content / kind / f"a{number}.md").write_text(
            f"---\ntitle: Article {number}\ndate: {day.isoformat()} 09:00\nauthors: [{lead}]\n"
            f"departments: [{dept}]\nsummary: Number {number}.\n---\nBody {number}.\n"
        )
    result = build_site(content, base / "output", cwd=base, DEFAULT_PAGINATION=2)
    assert result.returncode == 0, result.log
    return result


def _titles(page) -> list[str]:
    return [a.get_text() for a in page.select(".card-title a")]


def test_department_pages_paginate_newest_first(sections_build: Build) -> None:
    first = sections_build.soup("departments/warehouse/index.html")
    second = sections_build.soup("departments/warehouse/page/2/index.html")
    third = sections_build.soup("departments/warehouse/page/3/index.html")
    assert _titles(first) + _titles(second) + _titles(third) == [
        "Article 0", "Article 2", "Article 1", "Article 3", "Article 4", "Article 5",
    ]  # fmt: skip
    assert first.select_one('a[rel="next"]')["href"].endswith("/departments/warehouse/page/2/")
    assert third.select_one('a[rel="prev"]')["href"].endswith("/departments/warehouse/page/2/")
    assert "Page 3 of 3" in third.select_one(".pagination").get_text()


def test_department_list_counts_and_latest(sections_build: Build) -> None:
    listing = sections_build.soup("departments/index.html")
    rows = {
        li.h2.get_text(): " ".join(li.get_text(" ").split())
        for li in listing.select(".department-list li")
    }
    assert "6 stories · latest: Article 0" in rows["Warehouse"]
    assert "1 story · latest: Article 6" in rows["Finance"]
    assert "0 stories · no stories yet — be the first" in rows["Quiet Corner"]


def test_chart_matches_table_and_content(sections_build: Build) -> None:
    page = sections_build.soup("contributions/index.html")
    table = {
        row["data-department"]: [int(td.get_text()) for td in row.select("td")]
        for row in page.select("table.contributions tbody tr")
    }
    expected = {dept: [0] * 12 for dept in ("finance", "quiet", "warehouse")}
    for dept, ago, _kind in ARTICLES:
        if ago < 12:
            expected[dept][11 - ago] += 1
    assert {dept: counts[:-1] for dept, counts in table.items()} == expected
    assert {dept: counts[-1] for dept, counts in table.items()} == {
        dept: sum(counts) for dept, counts in expected.items()
    }
    svg = etree.fromstring(str(page.select_one("svg.contrib-chart")).encode())
    assert svg.find(f"{SVG}title").text == "Stories published per month by department"
    assert "Warehouse 5" in svg.find(f"{SVG}desc").text
    bars: dict[str, list[int]] = {dept: [0] * 12 for dept in expected}
    months = [g.get("data-month") for g in svg.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert len(months) == 12
    for index, group in enumerate(g for g in svg.iter(f"{SVG}g") if g.get("class") == "bar"):
        for rect in group.iter(f"{SVG}rect"):
            bars[rect.get("data-department")][index] = int(rect.get("data-count"))
    assert bars == expected


def test_quiet_departments_are_called_out(sections_build: Build) -> None:
    callout = sections_build.soup("contributions/index.html").select_one(".quiet-callout")
    assert [a.get_text() for a in callout.select("p a")][:2] == ["Finance", "Quiet Corner"]


def test_leadership_section_shows_the_leaders_card(sections_build: Build) -> None:
    page = sections_build.soup("leadership/index.html")
    card = page.select_one(".card")
    assert card.select_one(".card-title").get_text() == "Article 2"
    assert card.select_one(".person-card .person-name").get_text() == "Ben Ortiz"


def test_person_page_has_social_links(sections_build: Build) -> None:
    page = sections_build.soup("people/ada-quill/index.html")
    assert [(a.get_text(), a["href"]) for a in page.select(".social a")] == [
        ("X", "https://x.com/ada_quill")
    ]


def test_badges_use_contrast_safe_colours(sections_build: Build) -> None:
    page = sections_build.soup("departments/warehouse/index.html")
    style = page.select_one(".card .badge")["style"]
    assert "--badge-text: #ffffff" in style
