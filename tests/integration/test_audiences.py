"""Audiences, drafts and scheduling: nothing leaks into the public site."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, Build, build_site

MARKERS = ("zzstaffmarker", "zzdraftmarker", "zzfuturemarker")


def files_containing(output: Path, marker: str) -> list[str]:
    """Every output file whose bytes (unpacked when compressed) contain ``marker``."""
    found = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # gzip: .gz twins, Pagefind's index fragments
            data = gzip.decompress(data)
        if marker.encode() in data.lower() or marker in str(path.relative_to(output)).lower():
            found.append(str(path.relative_to(output)))
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    base = tmp_path_factory.mktemp("audiences")
    shutil.copytree(FIXTURES / "audiences", base / "content")
    # Both publishing builds are asked to record the feed ledger: only the public one may.
    results = {
        "staff": build_site(
            base / "content", base / "staff", cwd=base, AUDIENCE="staff", FEED_LEDGER_UPDATE=True
        ),
        "public": build_site(base / "content", base / "public", cwd=base, FEED_LEDGER_UPDATE=True),
        "dev": build_site(base / "content", base / "dev", settings="pelicanconf.py", cwd=base),
    }
    for name, result in results.items():
        assert result.returncode == 0, f"{name}: {result.log}"
    return results


@pytest.mark.parametrize("marker", MARKERS)
def test_public_build_leaks_nothing(builds: dict[str, Build], marker: str) -> None:
    assert files_containing(builds["public"].output, marker) == []


@pytest.mark.parametrize("marker", MARKERS)
def test_the_committed_ledger_names_nothing_unpublished(
    builds: dict[str, Build], marker: str
) -> None:
    ledger = builds["public"].output.parent / "content" / "feed-ledger.json"
    assert "public.md" in ledger.read_text()  # the public build recorded its story
    assert marker not in ledger.read_text().lower()


def _published_pictures(output: Path) -> list[str]:
    """The pictures in ``images/``; their responsive variants (``images/r/``) must all be
    of those pictures, named after them."""
    names = sorted(p.name for p in (output / "images").iterdir() if p.name != "r")
    stems = tuple(f"{name.rsplit('.', 1)[0]}-" for name in names)
    variants = [p.name for p in (output / "images" / "r").iterdir()]
    assert variants and all(v.startswith(stems) for v in variants), variants
    return names


def test_only_the_images_of_published_stories_are_published(builds: dict[str, Build]) -> None:
    images = _published_pictures(builds["public"].output)
    assert images == ["cover-public.png", "inline-public.png"]
    staff = sorted(p.name for p in (builds["staff"].output / "images").iterdir() if p.name != "r")
    assert staff == [
        "cover-public.png",
        "cover-zzstaffmarker.png",
        "inline-public.png",
        "inline-zzstaffmarker.png",
    ]


def test_public_build_still_has_the_public_story(builds: dict[str, Build]) -> None:
    public = builds["public"]
    assert files_containing(public.output, "public quote")
    # the search index is read too (its fragments are gzip): the oracle can see inside it
    assert any(
        f.startswith("pagefind/fragment/") for f in files_containing(public.output, "public body")
    )
    finance = public.soup("departments/finance/index.html")
    assert [a.get_text() for a in finance.select(".card-title a")] == ["A public story"]
    assert not (public.output / "drafts").exists()


def test_staff_build_includes_staff_content_marked_and_no_drafts(builds: dict[str, Build]) -> None:
    staff = builds["staff"]
    assert files_containing(staff.output, "zzstaffmarker")
    assert files_containing(staff.output, "zzdraftmarker") == []
    assert files_containing(staff.output, "zzfuturemarker") == []
    page = staff.soup("stories/title-zzstaffmarker/index.html")
    assert page.select_one(".story .mark-internal").get_text() == "Internal — do not share"
    assert not page.select("a.share")
    card = next(
        c for c in staff.soup("index.html").select(".card") if "ZZSTAFFMARKER" in c.get_text()
    )
    assert card.select_one(".mark-internal").get_text() == "Internal — do not share"
    memo = staff.soup("leadership/leadership-zzstaffmarker-memo/index.html")
    assert memo.select_one(".mark-internal")


def test_dev_preview_shows_drafts_and_scheduled_stories_marked(builds: dict[str, Build]) -> None:
    dev = builds["dev"]
    draft = dev.soup("stories/title-zzdraftmarker/index.html")
    assert draft.select_one(".mark-draft").get_text() == "Draft — not published"
    future = dev.soup("stories/title-zzfuturemarker/index.html")
    assert future.select_one(".mark-scheduled").get_text().startswith("Scheduled for")
    assert not (dev.output / "drafts").exists()


def test_dev_preview_shows_staff_content_marked(builds: dict[str, Build]) -> None:
    page = builds["dev"].soup("stories/title-zzstaffmarker/index.html")
    assert page.select_one(".mark-internal").get_text() == "Internal — do not share"


@pytest.mark.parametrize(
    "target", ["draft.md", "future.md", "staff.md", "../leadership/staff-memo.md"]
)
def test_a_link_to_an_unpublished_story_is_an_error_at_its_line(
    tmp_path: Path, target: str
) -> None:
    content = shutil.copytree(FIXTURES / "audiences", tmp_path / "content")
    story = content / "stories" / "public.md"
    story.write_text(story.read_text() + f"\nSee also [the next one]({{filename}}{target}).\n")
    line = (
        story.read_text().splitlines().index(f"See also [the next one]({{filename}}{target}).") + 1
    )
    public = build_site(content, tmp_path / "public", cwd=tmp_path)
    assert public.returncode == 1, public.log
    shown = "stories/" + target if "/" not in target else target.removeprefix("../")
    assert (
        f"content/stories/public.md:{line}: error: the link to '{shown}' leads to a page "
        "this build does not publish"
    ) in public.stderr
    assert not (tmp_path / "public").exists()
    dev = build_site(content, tmp_path / "dev", settings="pelicanconf.py", cwd=tmp_path)
    assert dev.returncode == 0, dev.log
    assert "does not publish" not in dev.log  # the preview shows the linked story
    link = dev.soup("stories/a-public-story/index.html").find("a", string="the next one")
    assert "{filename}" not in link["href"] and ".md" not in link["href"]


@pytest.mark.parametrize(
    "hidden",
    [
        "<!-- ![x](../../images/cover-zzstaffmarker.png) -->",  # a comment: never shown
        '    <img src="../../images/cover-zzstaffmarker.png">',  # indented code: text
        'Plain words: src="../../images/cover-zzstaffmarker.png" is not a link.',
    ],
)
def test_a_picture_named_where_no_reader_sees_a_link_is_not_published(
    tmp_path: Path, hidden: str
) -> None:
    content = shutil.copytree(FIXTURES / "audiences", tmp_path / "content")
    story = content / "stories" / "public.md"
    story.write_text(story.read_text() + f"\n{hidden}\n")
    public = build_site(content, tmp_path / "public", cwd=tmp_path)
    assert public.returncode == 0, public.log
    published = _published_pictures(public.output)
    assert published == ["cover-public.png", "inline-public.png"]


@pytest.mark.parametrize(
    ("settings", "overrides"),
    [
        ("publishconf.py", {"AUDIENCE": "staff"}),  # the staff build
        ("publishconf.py", {"PREVIEW_UNPUBLISHED": True}),  # drafts shown
        ("pelicanconf.py", {}),  # the preview
    ],
)
def test_a_build_that_shows_more_than_the_public_site_refuses_its_folder(
    tmp_path: Path, settings: str, overrides: dict[str, object]
) -> None:
    content = shutil.copytree(FIXTURES / "audiences", tmp_path / "content")
    public = tmp_path / "output"
    result = build_site(
        content, public, settings=settings, cwd=tmp_path,
        PUBLIC_OUTPUT_PATH=str(public), **overrides,
    )  # fmt: skip
    assert result.returncode == 1, result.log
    assert "cannot write into the public site's folder" in result.stderr
    assert "Traceback" not in result.log
    assert not public.exists()
