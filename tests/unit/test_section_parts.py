"""Badge contrast, social links and contribution counting."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from lxml import etree

from culture_hub.content_model.colours import WHITE, badge_colours, contrast
from culture_hub.content_model.registry import Department, Person
from culture_hub.sections.contributions import chart_svg, count_contributions, last_months


@pytest.mark.parametrize(
    "colour", ["#1f6f5c", "#ffcc00", "#ffffff", "#000000", "#38576b", "#7fbfff", "#f0f"]
)
def test_badges_pass_wcag_aa(colour: str) -> None:
    background, text = badge_colours(colour)
    assert contrast(background, text) >= 4.5


def test_dark_enough_colours_are_kept() -> None:
    assert badge_colours("#1f6f5c") == ("#1f6f5c", WHITE)


@pytest.mark.parametrize(
    ("fields", "links"),
    [
        ({"x": "ada"}, [("X", "https://x.com/ada")]),
        ({"mastodon": "@ada@social.example"}, [("Mastodon", "https://social.example/@ada")]),
        ({"bluesky": "ada.bsky.social"}, [("Bluesky", "https://bsky.app/profile/ada.bsky.social")]),
        (
            {"linkedin": "https://www.linkedin.com/in/ada"},
            [("LinkedIn", "https://www.linkedin.com/in/ada")],
        ),
    ],
)
def test_social_links(fields: dict, links: list) -> None:
    person = Person("ada", "Ada", "R", "finance", "", "p.md", **fields)
    assert person.social_links == links


def test_last_months_cross_the_year() -> None:
    months = last_months(date(2026, 2, 10), 3)
    assert [m.label for m in months] == ["Dec 2025", "Jan 2026", "Feb 2026"]


def test_counts_and_chart_agree() -> None:
    finance = Department("finance", "Finance", "#F", "ada", "", "f.md")
    legal = Department("legal", "Legal", "#L", "bo", "", "l.md")
    article = lambda when, *depts: SimpleNamespace(date=when, departments=list(depts))  # noqa: E731
    articles = [
        article(datetime(2026, 2, 1), finance),
        article(datetime(2026, 2, 2), finance, legal),
        article(datetime(2025, 1, 1), legal),  # outside the window
    ]
    data = count_contributions([finance, legal], articles, date(2026, 2, 28), months=3)
    assert [r.counts for r in data.rows] == [(0, 0, 2), (0, 0, 1)]
    assert data.totals == (0, 0, 3)
    assert data.quiet == []
    svg = etree.fromstring(chart_svg(data).encode())
    counts = sorted(int(r.get("data-count")) for r in svg.iter("{http://www.w3.org/2000/svg}rect"))
    assert counts == [1, 2]
