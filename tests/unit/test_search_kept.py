"""The search cache's pure parts: addresses, the record, the trust rule, the reuse check.

Files are real files in ``tmp_path``; the fragments are made by hand (the
integration tests, ``tests/integration/test_search_cache.py``, use Pagefind's).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from culture_hub.search.kept import (
    FRAGMENTS,
    RECORD,
    RECORD_LIMIT,
    Entry,
    Kept,
    Made,
    page_digests,
    page_url,
    read_record,
    unsafe_reuse,
)
from culture_hub.search.verify import SIGNATURE, fragment_url

KEY = "1|test"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.html", "/"),
        ("about/index.html", "/about/"),
        ("stories/a/index.html", "/stories/a/"),
        ("stories/a.html", "/stories/a.html"),
        ("stories/myindex.html", "/stories/myindex.html"),
        ("pages/index.html.html", "/pages/index.html.html"),
        ("é/index.html", "/é/"),
    ],
)
def test_page_url_is_the_address_pagefind_gives(path: str, url: str) -> None:
    assert page_url(path) == url


@pytest.mark.parametrize(
    ("data", "url"),
    [
        (b'{"url":"/a/","content":"x"}', "/a/"),
        (b'{"url":"/a\\"b/","content":"x"}', '/a"b/'),
        (b'{"url":"/\\u00e9/"}', "/é/"),
        (b'{"content":"x","url":"/late/"}', "/late/"),
        (b'{"url":7}', None),
        (b"[1, 2]", None),
        (b"{not json", None),
    ],
)
def test_a_fragments_address_is_read_from_its_start(data: bytes, url: str | None) -> None:
    assert fragment_url(SIGNATURE + data) == url


def _record(folder: Path, fragments: object, key: str = KEY) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORD).write_text(json.dumps({"key": key, "fragments": fragments}))


@pytest.mark.parametrize(
    "fragments",
    [
        {"../x.pf_fragment": [1, 2, "/", "a"]},
        {"en_abc.pf_fragment": [1, 2, "/", "a"]},  # too short a hash
        {"EN_abcdef0.pf_fragment": [1, 2, "/", "a"]},
        {"en_abcdef0.pf_fragment": [1, 2, "/"]},
        {"en_abcdef0.pf_fragment": [-1, 2, "/", "a"]},
        {"en_abcdef0.pf_fragment": [True, 2, "/", "a"]},
        {"en_abcdef0.pf_fragment": [1, 2.5, "/", "a"]},
        {"en_abcdef0.pf_fragment": [1, 2, None, "a"]},
        {"en_abcdef0.pf_fragment": "1,2,/,a"},
        [],
    ],
)
def test_an_odd_entry_is_left_out(tmp_path: Path, fragments: object) -> None:
    _record(tmp_path, fragments)
    assert read_record(tmp_path, KEY) == {}


def test_a_good_entry_is_read_and_another_key_is_an_empty_cache(tmp_path: Path) -> None:
    _record(tmp_path, {"en_abcdef0.pf_fragment": [1, 2, "/", "a"], "x": [1, 2, "/", "a"]})
    assert read_record(tmp_path, KEY) == {"en_abcdef0.pf_fragment": Entry(1, 2, "/", "a")}
    assert read_record(tmp_path, "2|test") == {}


def test_a_record_larger_than_any_site_needs_is_not_read(tmp_path: Path) -> None:
    """A committed record of millions of entries would take seconds and a gigabyte."""
    entries = {f"en_{n:07x}.pf_fragment": [1, 2, f"/s/{n}/", "a" * 64] for n in range(10)}
    _record(tmp_path, entries)
    assert len(read_record(tmp_path, KEY)) == 10
    record = tmp_path / RECORD
    record.write_text(record.read_text() + " " * RECORD_LIMIT)  # still valid JSON
    assert read_record(tmp_path, KEY) == {}


def test_a_record_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _record(elsewhere, {"en_abcdef0.pf_fragment": [1, 2, "/", "a"]})
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / RECORD).symlink_to(elsewhere / RECORD)
    assert read_record(tmp_path / "cache", KEY) == {}


def _fragment(url: str, words: str = "") -> bytes:
    return gzip.compress(SIGNATURE + json.dumps({"url": url, "content": words}).encode())


def _site(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A site of two pages, and each page's fragment as a published file."""
    site = tmp_path / "site"
    for name in ("a", "b"):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(f"<main>{name}</main>")
    (site / "pagefind" / "fragment").mkdir(parents=True)
    for name, stem in (("a", "en_aaaaaaa"), ("b", "en_bbbbbbb")):
        (site / "pagefind" / "fragment" / f"{stem}.pf_fragment").write_bytes(_fragment(f"/{name}/"))
    return site, page_digests(site, ["a/index.html", "b/index.html", "missing/index.html"])


def _keep(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    site, pages = _site(tmp_path)
    cache = tmp_path / "cache"
    fragments = site / "pagefind" / "fragment"
    Kept(cache, KEY).save({
        "en_aaaaaaa.pf_fragment": Made(str(fragments / "en_aaaaaaa.pf_fragment"), "/a/", pages["/a/"]),
        "en_bbbbbbb.pf_fragment": Made(str(fragments / "en_bbbbbbb.pf_fragment"), "/b/", pages["/b/"]),
    })  # fmt: skip
    return site, cache, pages


def test_page_digests_leave_out_a_page_that_cannot_be_read(tmp_path: Path) -> None:
    _, pages = _site(tmp_path)
    assert sorted(pages) == ["/a/", "/b/"]
    assert all(len(sha) == 64 for sha in pages.values())


def test_kept_fragments_are_given_for_pages_unchanged(tmp_path: Path) -> None:
    _, cache, pages = _keep(tmp_path)
    assert sorted(read_record(cache, KEY)) == ["en_aaaaaaa.pf_fragment", "en_bbbbbbb.pf_fragment"]
    target = tmp_path / "new" / "fragment"
    changed = {**pages, "/b/": "0" * 64}
    assert Kept(cache, KEY).seed(target, changed) == {"en_aaaaaaa.pf_fragment"}
    assert sorted(p.name for p in target.iterdir()) == ["en_aaaaaaa.pf_fragment"]
    given = target / "en_aaaaaaa.pf_fragment"
    assert given.stat().st_ino == (cache / FRAGMENTS / "en_aaaaaaa.pf_fragment").stat().st_ino
    # Another key: nothing.
    assert Kept(cache, "2|other").seed(tmp_path / "other", pages) == set()


def test_a_kept_file_not_as_kept_is_not_given(tmp_path: Path) -> None:
    _, cache, pages = _keep(tmp_path)
    kept = cache / FRAGMENTS / "en_aaaaaaa.pf_fragment"
    found = kept.stat()
    os.utime(kept, ns=(found.st_atime_ns, found.st_mtime_ns + 1))  # the same bytes, touched
    other = cache / FRAGMENTS / "en_bbbbbbb.pf_fragment"
    other.write_bytes(other.read_bytes()[:-1] + b"\0")  # rewritten in place
    target = tmp_path / "new" / "fragment"
    assert Kept(cache, KEY).seed(target, pages) == set()
    assert list(target.iterdir()) == []


def test_a_kept_link_is_not_given_even_as_recorded(tmp_path: Path) -> None:
    _, cache, pages = _keep(tmp_path)
    kept = cache / FRAGMENTS / "en_aaaaaaa.pf_fragment"
    outside = tmp_path / "outside.pf_fragment"
    kept.rename(outside)
    kept.symlink_to(outside)  # the record still says the target's size and time
    assert Kept(cache, KEY).seed(tmp_path / "new", pages) == {"en_bbbbbbb.pf_fragment"}
    assert not (tmp_path / "new" / "en_aaaaaaa.pf_fragment").exists()
    assert not (tmp_path / "new" / "en_aaaaaaa.pf_fragment").is_symlink()


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    _, cache, pages = _keep(tmp_path)
    (tmp_path / "link").symlink_to(cache)
    linked = Kept(tmp_path / "link", KEY)
    assert not linked.usable
    assert linked.seed(tmp_path / "new", pages) == set()
    linked.save({})
    assert len(read_record(cache, KEY)) == 2  # nothing written or removed through it


def test_saving_keeps_only_what_was_published(tmp_path: Path) -> None:
    site, cache, pages = _keep(tmp_path)
    fragments = site / "pagefind" / "fragment"
    # Another build's fragment on its way in (a part made this moment), and files not
    # named as fragments: left alone.
    part = cache / FRAGMENTS / ".en_ddddddd.0123456789abcdef.part"
    part.write_bytes(b"another build's, this moment")
    (cache / FRAGMENTS / "notes.txt").write_text("not ours")
    Kept(cache, KEY).save({
        "en_aaaaaaa.pf_fragment": Made(str(fragments / "en_aaaaaaa.pf_fragment"), "/a/", pages["/a/"]),
    })  # fmt: skip
    names = sorted(p.name for p in (cache / FRAGMENTS).iterdir())
    assert names == [part.name, "en_aaaaaaa.pf_fragment", "notes.txt"]
    assert sorted(read_record(cache, KEY)) == ["en_aaaaaaa.pf_fragment"]


@pytest.mark.parametrize(
    ("needed", "seeded", "problem"),
    [
        ({"en_aaaaaaa.pf_fragment": "/a/", "en_bbbbbbb.pf_fragment": "/b/"}, set(), None),
        ({"en_aaaaaaa.pf_fragment": "/a/", "en_bbbbbbb.pf_fragment": "/b/"}, {"en_aaaaaaa.pf_fragment"}, None),
        ({"en_aaaaaaa.pf_fragment": "/a/", "en_bbbbbbb.pf_fragment": "/a/"}, {"en_aaaaaaa.pf_fragment"}, "same page"),
        ({"en_aaaaaaa.pf_fragment": "/a/", "en_bbbbbbb.pf_fragment": "/d/"}, {"en_aaaaaaa.pf_fragment"}, "none of the pages"),
        ({"en_aaaaaaa.pf_fragment": "/a/", "en_bbbbbbb.pf_fragment": None}, {"en_aaaaaaa.pf_fragment"}, "none of the pages"),
        # Two names that start alike: a swap the addresses alone cannot show.
        ({"en_abcdef0.pf_fragment": "/b/", "en_abcdef01.pf_fragment": "/a/"}, {"en_abcdef0.pf_fragment"}, "named alike"),
        ({"en_abcdef0.pf_fragment": "/b/", "en_abcdef0a.pf_fragment": "/a/", "en_abcdef0b.pf_fragment": "/c/"},
         {"en_abcdef0b.pf_fragment"}, "named alike"),
        # The same but nothing given: Pagefind's own names, to be trusted.
        ({"en_abcdef0.pf_fragment": "/b/", "en_abcdef01.pf_fragment": "/a/"}, set(), None),
        (None, {"en_aaaaaaa.pf_fragment"}, "could not be read"),
        (None, set(), None),
    ],
)  # fmt: skip
def test_unsafe_reuse(
    needed: dict[str, str | None] | None, seeded: set[str], problem: str | None
) -> None:
    pages = {"/a/": "1", "/b/": "2", "/c/": "3"}
    found = unsafe_reuse(needed, seeded, pages)
    assert (found is None) if problem is None else (found is not None and problem in found)
