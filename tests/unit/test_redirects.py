"""Old addresses → current ones: the pure rules behind ``_redirects``."""

from __future__ import annotations

import pytest

from culture_hub.feeds.redirects import (
    Redirect,
    page_path,
    redirect_page,
    redirects,
    redirects_file,
)

CASES = [
    # (known addresses by GUID, current address by GUID, taken by pages, expected)
    ({"g": ["stories/a/"]}, {"g": "stories/a/"}, [], []),
    ({"g": ["stories/a/", "stories/b/"]}, {"g": "stories/c/"}, [],
     [Redirect("stories/a/", "stories/c/"), Redirect("stories/b/", "stories/c/")]),
    ({"g": ["stories/a/"]}, {}, [], []),  # unpublished: nothing to lead to
    ({"g": ["stories/a/"], "h": ["stories/x/"]}, {"g": "stories/b/", "h": "stories/a/"}, [],
     [Redirect("stories/x/", "stories/a/")]),  # an address used again is that page's
    ({"g": ["about/"]}, {"g": "stories/about/"}, ["about/"], []),  # a page holds it now
    ({"g": ["stories/a/"], "h": ["stories/a/"]}, {"g": "stories/g/", "h": "stories/h/"}, [],
     [Redirect("stories/a/", "stories/g/")]),  # claimed twice: the first GUID, every build
    ({"g": ["stories/a/"]}, {"g": "stories/b c/"}, [], []),  # never a line a server misreads
]  # fmt: skip


@pytest.mark.parametrize(("known", "current", "taken", "expected"), CASES)
def test_redirects(known, current, taken, expected) -> None:
    assert redirects(known, current, taken) == expected


def test_the_file_is_netlify_format() -> None:
    text = redirects_file([Redirect("stories/a/", "stories/b/"), Redirect("x.html", "y/")])
    assert text == "/stories/a/ /stories/b/ 301\n/x.html /y/ 301\n"
    assert redirects_file([]) == ""


def test_pages_and_their_files() -> None:
    assert page_path("stories/a/") == "stories/a/index.html"
    assert page_path("old.html") == "old.html"
    page = redirect_page('https://h.example/s/"><script>', "A <b>title</b>")
    assert "<script>" not in page and "<b>" not in page
    assert 'http-equiv="refresh"' in page and 'rel="canonical"' in page
