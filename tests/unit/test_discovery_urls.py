"""The sitemap's listing addresses: pagination and saved names, as pure functions."""

from __future__ import annotations

import json

import pytest

from culture_hub.discovery.core import article_json_ld, paginated_urls, save_as_url


@pytest.mark.parametrize(
    ("url", "count", "per_page", "expected"),
    [
        ("stories/", 0, 12, ["stories/"]),  # an empty listing still has its first page
        ("stories/", 12, 12, ["stories/"]),
        ("stories/", 13, 12, ["stories/", "stories/page/2/"]),
        ("tags/a/", 25, 12, ["tags/a/", "tags/a/page/2/", "tags/a/page/3/"]),
        ("stories/", 500, None, ["stories/"]),  # no pagination set
    ],
)
def test_paginated_urls(url: str, count: int, per_page: int | None, expected: list[str]) -> None:
    assert paginated_urls(url, count, per_page) == expected


@pytest.mark.parametrize(
    ("save_as", "expected"),
    [
        ("index.html", ""),
        ("tags/index.html", "tags/"),
        ("search/index.html", "search/"),
        ("404.html", None),
        ("feeds/all.rss.xml", None),
    ],
)
def test_save_as_url(save_as: str, expected: str | None) -> None:
    assert save_as_url(save_as) == expected


def test_publisher_logo_only_when_given() -> None:
    common = {
        "title": "T", "summary": "S", "url": "https://x/a/", "image": "https://x/i.png",
        "published": "2026-01-01", "modified": "2026-01-01", "authors": [],
        "publisher": "Hub", "site": "https://x/",
    }  # fmt: skip
    with_logo = json.loads(article_json_ld(**common, logo="https://x/logo.png"))
    assert with_logo["publisher"]["logo"] == {
        "@type": "ImageObject", "url": "https://x/logo.png", "width": 512, "height": 512,
    }  # fmt: skip
    assert "logo" not in json.loads(article_json_ld(**common))["publisher"]
