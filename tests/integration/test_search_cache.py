"""The search cache (``SEARCH_CACHE_PATH``): Pagefind's page fragments kept between real
builds by each page's content, and never published for a page they are not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, Build, build_site
from pagefind_bin import get_executable

from culture_hub.search.index import ROOT_SELECTOR
from culture_hub.search.kept import Kept, Made, cache_key, page_digests, page_url
from culture_hub.search.verify import SIGNATURE, decompressed

SECOND = "/stories/moving-the-second-thing/"
FIRST = "/stories/counting-the-first-thing/"


def _build(base: Path, output: str, cache: Path, **settings: object) -> Build:
    result = build_site(
        base / "content", base / output, cwd=base, SEARCH_CACHE_PATH=str(cache), **settings
    )
    assert result.returncode == 0, result.log
    assert "Traceback" not in result.log
    return result


@pytest.fixture
def base(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    return tmp_path


def _bundles(output: Path) -> list[Path]:
    return sorted(p for p in output.iterdir() if p.name.startswith("pagefind"))


def _fragments(folder: Path) -> dict[str, dict[str, object]]:
    """Every fragment under ``folder`` (a site or a cache), by file name, decoded."""
    return {
        path.name: json.loads(decompressed(str(path))[len(SIGNATURE) :])
        for path in sorted(folder.rglob("*.pf_fragment"))
    }


def _by_url(fragments: dict[str, dict[str, object]]) -> dict[str, str]:
    return {str(data["url"]): name for name, data in fragments.items()}


def _index(output: Path) -> dict[str, bytes]:
    """Every file of every search bundle, by its path in the site."""
    return {
        str(path.relative_to(output)): path.read_bytes()
        for bundle in _bundles(output)
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _inodes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_ino for path in folder.rglob("*.pf_fragment")}


@pytest.mark.parametrize("per_index", [600, 1], ids=["one index", "in parts"])
def test_a_rebuild_reuses_every_fragment_and_the_index_is_the_same(
    base: Path, per_index: int
) -> None:
    cache = base / "cache"
    _build(base, "first", cache, SEARCH_PAGES_PER_INDEX=per_index)
    again = _build(base, "again", cache, SEARCH_PAGES_PER_INDEX=per_index)
    fresh = _build(base, "fresh", base / "other-cache", SEARCH_PAGES_PER_INDEX=per_index)
    assert len(_bundles(again.output)) == (1 if per_index > 1 else 4)
    # Every published fragment is the kept file itself: Pagefind wrote none of them.
    kept = _inodes(cache / "fragments")
    published = _inodes(again.output)
    assert len(published) == 4
    assert published == kept
    assert not set(published.values()) & set(_inodes(fresh.output).values())
    # ...and the index is the one Pagefind makes from nothing, byte for byte.
    assert _index(again.output) == _index(fresh.output)
    assert sorted(_by_url(_fragments(again.output))) == sorted(
        ["/about/", "/leadership/a-vision-for-counting/", FIRST, SECOND]
    )
    record = json.loads((cache / "kept.json").read_text())
    assert sorted(record["fragments"]) == sorted(kept)
    assert record["key"] == cache_key(get_executable(), ROOT_SELECTOR)


def test_an_edited_or_withdrawn_story_leaves_no_old_fragment(base: Path) -> None:
    cache = base / "cache"
    first = _build(base, "first", cache)
    old = _by_url(_fragments(first.output))[SECOND]
    story = base / "content" / "stories" / "second.md"
    story.write_text(story.read_text().replace("The second story body.", "Words now changed."))
    edited = _build(base, "edited", cache)
    published = _fragments(edited.output)
    new = _by_url(published)[SECOND]
    assert new != old
    assert "Words now changed." in str(published[new]["content"])
    assert old not in published
    assert old not in _names(cache / "fragments")
    assert sorted(_names(cache / "fragments")) == sorted(published)
    assert _index(edited.output) == _index(_build(base, "fresh", base / "none").output)
    # The unchanged pages' fragments were the kept ones.
    kept = _inodes(cache / "fragments")
    assert {n: i for n, i in _inodes(edited.output).items() if n != new} == {
        n: i for n, i in kept.items() if n != new
    }

    # Made staff-only: out of the public index, and out of the cache.
    gone = _by_url(published)[FIRST]
    withdrawn = base / "content" / "stories" / "first.md"
    withdrawn.write_text(withdrawn.read_text().replace("tags:", "audience: staff\ntags:"))
    public = _build(base, "public", cache)
    assert FIRST not in _by_url(_fragments(public.output))
    assert FIRST not in _by_url(_fragments(cache))
    assert gone not in _names(cache / "fragments")
    assert "The first story body" not in json.dumps(_fragments(public.output))
    assert "The first story body" not in json.dumps(_fragments(cache))
    assert len(_fragments(public.output)) == 3


def _check_out(cache: Path) -> None:
    """Each kept file written again with the same bytes, as a checkout would: same
    size, a new modification time."""
    for path in (cache / "fragments").iterdir():
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)


def test_a_cache_committed_to_the_repository_is_not_trusted(base: Path) -> None:
    cache = base / "cache"
    first = _build(base, "first", cache)
    fragments = _by_url(_fragments(first.output))
    record = (cache / "kept.json").read_bytes()
    # The record as kept, the files checked out again, the second story's file holding
    # the first story's fragment: a pull request could commit exactly this.
    _check_out(cache)
    own = cache / "fragments" / fragments[SECOND]
    own.write_bytes((cache / "fragments" / fragments[FIRST]).read_bytes())
    planted = _inodes(cache / "fragments")
    assert (cache / "kept.json").read_bytes() == record
    again = _build(base, "again", cache)
    assert not set(_inodes(again.output).values()) & set(planted.values())
    assert _index(again.output) == _index(first.output)
    assert _by_url(_fragments(again.output)) == fragments
    # The cache now holds the files this build published, not the planted ones.
    assert _fragments(cache) == _fragments(again.output)
    assert _inodes(cache / "fragments") == _inodes(again.output)


def test_a_kept_file_under_the_name_of_a_changed_page_is_caught(base: Path) -> None:
    """A kept fragment that Pagefind would take as a changed page's (the same name, which
    Pagefind's short names allow) is found after the run, and the bundle indexed again."""
    cache = base / "cache"
    first = _build(base, "first", cache)
    story = base / "content" / "stories" / "second.md"
    story.write_text(story.read_text().replace("The second story body.", "Words now changed."))
    # The name Pagefind gives the edited story, from a build with a cache of its own.
    throwaway = _build(base, "throwaway", base / "throwaway-cache")
    name = _by_url(_fragments(throwaway.output))[SECOND]
    assert name not in _names(cache / "fragments")
    # Keep, through the cache's own code (so the record matches its files), the first
    # story's fragment under that name too.
    record = json.loads((cache / "kept.json").read_text())
    pages = page_digests(first.output, ["stories/counting-the-first-thing/index.html"])
    fragments = first.output / "pagefind" / "fragment"
    made = {
        n: Made(str(fragments / n), url, sha) for n, (_, _, url, sha) in record["fragments"].items()
    }
    made[name] = Made(str(fragments / _by_url(_fragments(first.output))[FIRST]), FIRST,
                      pages[FIRST])  # fmt: skip
    kept = Kept(cache, record["key"])
    kept.save(made)
    assert name in json.loads((cache / "kept.json").read_text())["fragments"]
    assert Kept(cache, record["key"]).entries[name].url == FIRST

    given = _inodes(cache / "fragments")
    edited = _build(base, "edited", cache)
    published = _fragments(edited.output)
    assert str(published[name]["url"]) == SECOND
    assert "Words now changed." in str(published[name]["content"])
    # Pagefind ran again with nothing given: no published fragment is a kept file (an
    # unchanged page's would be, as the rebuild test shows, had the check let it through).
    assert not set(_inodes(edited.output).values()) & set(given.values())
    assert _index(edited.output) == _index(throwaway.output)
    assert _fragments(cache) == published


def test_links_in_the_cache_are_never_followed(base: Path) -> None:
    cache = base / "cache"
    first = _build(base, "first", cache)
    fragments = _by_url(_fragments(first.output))
    # A kept fragment replaced by a link to a file elsewhere, recorded as that file is.
    outside = base / "outside"
    outside.mkdir()
    target = outside / "secret.pf_fragment"
    shutil.copy2(first.output / "pagefind" / "fragment" / fragments[FIRST], target)
    found = target.stat()
    record = json.loads((cache / "kept.json").read_text())
    record["fragments"][fragments[SECOND]][:2] = [found.st_size, found.st_mtime_ns]
    (cache / "kept.json").write_text(json.dumps(record))
    link = cache / "fragments" / fragments[SECOND]
    link.unlink()
    link.symlink_to(target)
    again = _build(base, "again", cache)
    assert _by_url(_fragments(again.output)) == fragments
    assert not any(p.is_symlink() for p in again.output.rglob("*"))
    assert _index(again.output) == _index(first.output)
    assert target.read_bytes() and target.stat().st_mtime_ns == found.st_mtime_ns
    assert not link.is_symlink()  # the link itself was replaced, its target left alone

    # The whole fragments folder a link to another folder: the cache is not used at all,
    # and nothing in that folder is deleted, even files named as fragments.
    shutil.rmtree(cache / "fragments")
    (cache / "fragments").symlink_to(outside)
    (outside / "en_1234567.pf_fragment").write_bytes(b"not ours")
    linked = _build(base, "linked", cache)
    assert "the search cache is a symbolic link" in linked.log
    assert _index(linked.output) == _index(first.output)
    assert sorted(_names(outside)) == ["en_1234567.pf_fragment", "secret.pf_fragment"]


@pytest.mark.parametrize(
    "record",
    [b"", b"{", b"\xff\xfe", b"[]", b'{"key": 1}', b'{"fragments": {"../../x": [1, 2, "/", "a"]}}',
     b"[" * 100_000],
    ids=["empty", "cut short", "not text", "a list", "no key", "outside", "deep"],
)  # fmt: skip
def test_a_damaged_record_is_an_empty_cache(base: Path, record: bytes) -> None:
    cache = base / "cache"
    first = _build(base, "first", cache)
    (cache / "kept.json").write_bytes(record)
    again = _build(base, "again", cache)
    assert _index(again.output) == _index(first.output)
    assert not set(_inodes(again.output).values()) & set(_inodes(first.output).values())
    assert json.loads((cache / "kept.json").read_text())["fragments"]  # written afresh


def test_a_record_of_another_pagefind_is_an_empty_cache(base: Path) -> None:
    cache = base / "cache"
    first = _build(base, "first", cache)
    record = json.loads((cache / "kept.json").read_text())
    record["key"] = record["key"].replace("pagefind_bin", "pagefind_bin 0.0.1 was")
    (cache / "kept.json").write_text(json.dumps(record))
    again = _build(base, "again", cache)
    assert not set(_inodes(again.output).values()) & set(_inodes(first.output).values())


def test_the_cache_is_emptied_of_what_no_build_published(base: Path) -> None:
    """Only files named as fragments are removed from the cache's own folder."""
    cache = base / "cache"
    _build(base, "first", cache)
    (cache / "fragments" / "en_abcdef0.pf_fragment").write_bytes(b"stale")
    (cache / "fragments" / "notes.txt").write_text("someone's file")
    (cache / "fragments" / "en_abcdef1.pf_fragment").mkdir()
    again = _build(base, "again", cache)
    names = sorted(_names(cache / "fragments"))
    assert names == sorted([*_fragments(again.output), "notes.txt", "en_abcdef1.pf_fragment"])


def test_the_page_address_is_pagefinds(base: Path) -> None:
    first = _build(base, "first", base / "cache")
    files = [str(p.relative_to(first.output)) for p in first.output.rglob("index.html")]
    indexed = _by_url(_fragments(first.output))
    assert {page_url(f) for f in files} >= set(indexed)
