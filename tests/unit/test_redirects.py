"""Old addresses → current ones: the pure rules behind ``_redirects``."""

from __future__ import annotations

import json

import pytest

from culture_hub.feeds.ledger import Ledger, LedgerError
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
    # The site's own folders are never taken over, whatever a hand-edited ledger says:
    ({"g": ["search/x/", "tags/a/", "feeds/social/", "stories/page/2/", "stories/a/"]},
     {"g": "stories/b/"}, [], [Redirect("stories/a/", "stories/b/")]),
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


@pytest.mark.parametrize(
    "address",
    ["robots.txt", "feeds/all.json", "404.html", "_redirects", "search/", "index.html",
     "stories/ümlaut/", "stories/a b/", "/stories/a/", "stories/../x/", "stories/a"],
)  # fmt: skip
def test_a_ledger_address_is_a_storys_folder_never_a_file_or_the_sites_own(
    tmp_path, address: str
) -> None:
    ledger = tmp_path / "feed-ledger.json"
    entry = {
        "guid": "urn:x:1", "path": "stories/a.md", "first_seen": "2026-01-01T00:00:00+00:00",
        "body": "b", "key": "k", "addresses": ["stories/a/", address],
    }  # fmt: skip
    ledger.write_text(json.dumps({"items": [entry]}, indent=1, ensure_ascii=False))
    with pytest.raises(LedgerError, match="is not a story's address") as raised:
        Ledger.load(ledger)
    assert raised.value.line > 1
