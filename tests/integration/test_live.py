"""The live preview (``invoke serve``): edits land on disk as a cold build would write them.

A real server runs in a subprocess on a copy of the fixture site; each test
saves a file the way an editor would, waits for the server's line about it,
and compares the output with a cold build of the same content.
"""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, build_site
from servers import LiveServer

from culture_hub.search.verify import decompressed

# The live preview (two workers) is compared with a cold one-process build.
SETTINGS = {"BUILD_WORKERS": 1}


class Server(LiveServer):
    """The preview with two workers, and no environment but ``PATH``."""

    def __init__(self, content: Path, output: Path, *overrides: str) -> None:
        super().__init__(
            content, output, "BUILD_WORKERS=2", *overrides, env={"PATH": "/usr/bin:/bin"}
        )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Server, Path, Path]]:
    content = tmp_path / "content"
    for fixture in ("basic", "quotes"):
        shutil.copytree(FIXTURES / fixture, content, dirs_exist_ok=True)
    server = Server(content, tmp_path / "live")
    try:
        yield server, content, tmp_path / "live"
    finally:
        server.stop()


def _tree(root: Path, skip: str = "pagefind/") -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


def _written(root: Path) -> dict[str, int]:
    """When each output file was last written (the search index is rewritten apart)."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")
    }


def _rewritten(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def _cold(content: Path, output: Path) -> dict[str, bytes]:
    build = build_site(content, output, settings="pelicanconf.py", cwd=ROOT, **SETTINGS)
    assert build.returncode == 0, build.log
    return _tree(output)


def _differences(live: dict[str, bytes], cold: dict[str, bytes]) -> list[str]:
    return [name for name in cold.keys() | live.keys() if live.get(name) != cold.get(name)]


def _save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file, then move it over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def test_edits_to_words_are_applied_in_place_exactly_as_a_cold_build(
    site: tuple[Server, Path, Path], tmp_path: Path
) -> None:
    server, content, live = site
    story = content / "stories" / "second.md"
    text = story.read_text()
    before = _written(live)
    _save(story, text.replace("The second story body.", "The second story body, edited."))
    line = server.wait_for("->")
    assert "updated" in line and "in place: 1 pages rendered" in line, line
    # Only the story's own page shows its words: no listing, and no picture copied again.
    assert _rewritten(before, _written(live)) == ["stories/moving-the-second-thing/index.html"]
    _save(story, story.read_text().replace("summary: The", "summary: Edited, the"))
    line = server.wait_for("->")
    assert "in place" in line, line
    assert _differences(_tree(live), _cold(content, tmp_path / "cold")) == []
    # The search index follows in the background; it ends up as a cold build's, file for
    # file (the unchanged pages' entries kept from the last indexing, the story's new).
    cold_index = _tree(tmp_path / "cold" / "pagefind", skip="\0")
    index = live / "pagefind"
    for _ in range(300):
        try:
            if _tree(index, skip="\0") == cold_index:
                break
        except OSError:  # read while the preview replaces it
            pass
        threading.Event().wait(0.1)
    assert _tree(index, skip="\0") == cold_index
    fragments = [decompressed(str(path)) for path in (index / "fragment").iterdir()]
    assert any(b"The second story body, edited." in fragment for fragment in fragments)
    page = urllib.request.urlopen(f"{server.url}stories/moving-the-second-thing/").read()
    assert b"The second story body, edited." in page


def test_a_quote_edit_updates_the_share_bar_in_place(
    site: tuple[Server, Path, Path], tmp_path: Path
) -> None:
    server, content, live = site
    story = next(p for p in (content / "stories").glob("*.md") if "[inlinetweet]" in p.read_text())
    text = story.read_text()
    start = text.index("[inlinetweet]") + len("[inlinetweet]")
    _save(story, text[:start] + "Plainly, " + text[start:])
    assert "in place" in server.wait_for("->")
    assert _differences(_tree(live), _cold(content, tmp_path / "cold")) == []


def test_structural_edits_rebuild_the_site(site: tuple[Server, Path, Path], tmp_path: Path) -> None:
    server, content, live = site
    story = content / "stories" / "second.md"
    _save(story, story.read_text().replace("tags: [moving]", "tags: [moving, boxes]"))
    line = server.wait_for("->")
    assert "rebuilt the site (the tags of" in line, line
    assert _differences(_tree(live), _cold(content, tmp_path / "cold")) == []
    department = content / "departments" / "finance.md"
    _save(department, department.read_text() + "\nA new line about finance.\n")
    assert "rebuilt the site (" in server.wait_for("->")
    assert _differences(_tree(live), _cold(content, tmp_path / "cold-2")) == []


def test_a_mistake_is_reported_with_its_line_and_the_preview_keeps_going(
    site: tuple[Server, Path, Path],
) -> None:
    server, content, live = site
    story = content / "stories" / "second.md"
    text = story.read_text()
    _save(story, text.replace("departments: [warehouse, finance]", "departments: [warehose]"))
    line = server.wait_for("->")
    problems = "".join(server.log)
    assert "second.md:5:" in problems and "warehose" in problems, problems
    assert "rebuilt the site" in line
    _save(story, text)
    assert "rebuilt the site" in server.wait_for("->")  # it comes back as it was
    assert (live / "stories" / "moving-the-second-thing" / "index.html").is_file()


def test_a_template_edit_rebuilds_with_the_new_template(tmp_path: Path) -> None:
    """Templates are loaded once per build (no re-checking at each render): a saved
    template still shows at once, because it makes a new build."""
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(FIXTURES / "basic", content)
    shutil.copytree(ROOT / "theme", theme)
    server = Server(content, tmp_path / "live", f"THEME={json.dumps(str(theme))}")
    try:
        article = theme / "templates" / "article.html"
        text = article.read_text()
        assert "min read</p>" in text
        _save(article, text.replace("min read</p>", "minutes to read</p>", 1))
        assert "rebuilt the site (" in server.wait_for("->")
        page = tmp_path / "live" / "stories" / "counting-the-first-thing" / "index.html"
        assert "minutes to read" in page.read_text()
    finally:
        server.stop()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_a_broken_file_shows_on_the_served_pages_until_it_is_fixed(
    site: tuple[Server, Path, Path], tmp_path: Path
) -> None:
    """Broken YAML mid-edit: no traceback; the story's address and every page say what
    and where; the fix brings the page back, and the disk is a cold build's again."""
    server, content, live = site
    story = content / "stories" / "second.md"
    text = story.read_text()
    page_url = f"{server.url}stories/moving-the-second-thing/"
    assert "live-problems" not in _get(page_url)
    version = json.loads(_get(f"{server.url}__live__/state.json"))["version"]
    _save(story, text.replace("title: Moving the second thing", "title: [Moving the second"))
    assert "rebuilt the site" in server.wait_for("->")
    assert "Traceback" not in "".join(server.log)
    page = _get(page_url)
    assert "This story cannot be shown yet" in page
    assert "stories/second.md:2</code>: invalid YAML in the front matter" in page
    home = _get(server.url)
    assert '<div id="live-problems" role="alert"' in home
    assert "/content/stories/second.md:2</code>" in home
    state = json.loads(_get(f"{server.url}__live__/state.json"))
    assert state["version"] > version
    assert any("/content/stories/second.md:2: error:" in p for p in state["problems"])

    _save(story, text)
    assert "rebuilt the site" in server.wait_for("->")
    page = _get(page_url)
    assert "live-problems" not in page and "<h1>Moving the second thing</h1>" in page
    assert json.loads(_get(f"{server.url}__live__/state.json"))["problems"] == []
    assert "Traceback" not in "".join(server.log)
    assert _differences(_tree(live), _cold(content, tmp_path / "cold")) == []


def test_a_new_address_leaves_no_stale_page(
    site: tuple[Server, Path, Path], tmp_path: Path
) -> None:
    server, content, live = site
    story = content / "stories" / "second.md"
    _save(story, story.read_text().replace("title: Moving the second thing", "title: Moved"))
    assert "rebuilt the site" in server.wait_for("->")
    assert (live / "stories" / "moved" / "index.html").is_file()
    assert not (live / "stories" / "moving-the-second-thing").exists()
    assert _differences(_tree(live), _cold(content, tmp_path / "cold")) == []


def test_the_reload_script_is_served_by_the_preview_only(
    site: tuple[Server, Path, Path], tmp_path: Path
) -> None:
    """The banner and the script are added as the preview sends a page: never on disk,
    so never in a build, and never in the public site."""
    server, content, live = site
    assert '<script src="/__live__/live.js" data-version="' in _get(server.url)
    assert "location.reload()" in _get(f"{server.url}__live__/live.js")
    assert not [p for p in live.rglob("*.html") if "__live__" in p.read_text()]
    public = build_site(content, tmp_path / "public", cwd=ROOT)
    assert public.returncode == 0, public.log
    assert not [p for p in public.files() if b"__live__" in p.read_bytes()]
