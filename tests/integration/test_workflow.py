"""The contributor workflow: invoke check, new-story, calendar, codeowners."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, build_site

DEFECTS = FIXTURES / "defects"
# file → (line, level, words): exactly one problem each
EXPECTED = {
    "stories/bad-yaml.md": (2, "error", "invalid YAML in the front matter"),
    "stories/missing-title.md": (1, "error", "required field 'title' is missing"),
    "stories/bad-date.md": (3, "error", "'13/03/2026' is not a valid date"),
    "stories/unknown-author.md": (
        4,
        "error",
        "unknown author 'ada-quil' (did you mean 'ada-quill'?",
    ),
    "stories/unknown-department.md": (
        5,
        "error",
        "unknown department 'finanse' (did you mean 'finance'?)",
    ),
    "stories/duplicate-slug.md": (
        2,
        "error",
        "the same address /stories/counting-the-first-thing/",
    ),
    "stories/duplicate-id-b.md": (7, "error", "the id 'shared-id' is already used"),
    "stories/missing-image.md": (7, "error", "image 'images/nope.png' does not exist"),
    "stories/no-alt.md": (7, "error", "the image has no alt text"),
    "stories/broken-link.md": (8, "error", "the link target '{filename}nope.md' does not exist"),
    "stories/markdown-link.md": (8, "error", "points at a Markdown file"),
    "stories/bad-quote.md": (8, "error", "an [inlinetweet] is never closed"),
    "stories/long-quote.md": (8, "warning", "quote 1 is too long for X"),
    "stories/long-summary.md": (6, "warning", "the summary is 439 characters long"),
    "stories/unsafe.md": (8, "error", "unsafe HTML: the <script> element"),
    "stories/not-utf8.md": (1, "error", "the file is not UTF-8 text"),
    "stories/unknown-field.md": (
        3,
        "warning",
        "unknown field 'tittle' for a story (did you mean 'title'?)",
    ),
    "people/no-role.md": (1, "error", "required field 'role' is missing"),
    "departments/orphans.md": (
        4,
        "error",
        "department 'orphans' has an unknown lead 'nobody-here'",
    ),
}
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<message>.+)$")


def invoke(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def defects_check(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    base = tmp_path_factory.mktemp("defects")
    shutil.copytree(DEFECTS, base / "content")
    return invoke("check", "--content", "content", cwd=base)


def test_every_rule_reports_its_file_and_line(defects_check) -> None:
    assert defects_check.returncode == 1
    assert "Traceback" not in defects_check.stdout + defects_check.stderr
    found: dict[str, list[tuple[int, str, str]]] = {}
    for line in defects_check.stdout.splitlines():
        parsed = LINE.match(line)
        assert parsed, f"not path:line: level: message — {line!r}"
        relative = parsed["path"].removeprefix("content/")
        found.setdefault(relative, []).append(
            (int(parsed["line"]), parsed["level"], parsed["message"])
        )
    assert set(found) == set(EXPECTED), set(found) ^ set(EXPECTED)
    for path, (line, level, words) in EXPECTED.items():
        assert len(found[path]) == 1, found[path]
        got_line, got_level, message = found[path][0]
        assert (got_line, got_level) == (line, level), (path, found[path])
        assert words in message, (path, message)
        assert message.endswith(")"), f"{path}: every message says how to fix it: {message}"


def test_the_clean_sample_content_passes(tmp_path: Path) -> None:
    done = invoke("check", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "0 error(s), 0 warning(s)" in done.stderr


def test_github_format_is_workflow_annotations(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    done = invoke("check", "--content", "content", "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == len(EXPECTED)
    annotation = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,title=[^:,]+::[^\n]+$")
    assert all(annotation.match(line) for line in lines), lines
    assert (
        "::error file=content/stories/bad-date.md,line=3,title=Culture hub check::'date' '13/03/2026' is not a valid date"
        in done.stdout
    )


def test_checking_given_files_only(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    done = invoke(
        "check", "--content", "content", "--file", "content/stories/bad-date.md",
        "--file", "content/stories/first.md", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == [
        "content/stories/bad-date.md"
    ]


def test_what_passes_the_check_builds_and_what_fails_it_fails_publish(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 1
    errors = {
        line.split(":")[0].removeprefix("content/")
        for line in built.stderr.splitlines()
        if ": error: " in line
    }
    assert errors == {path for path, (_l, level, _w) in EXPECTED.items() if level == "error"}


def test_new_story_with_flags_passes_check_and_builds(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke(
        "new-story", "--content", "content", "--title", "Our first café crème",
        "--author", "ada-quill", "--department", "finance", "--tag", "coffee",
        "--summary", "Coffee, counted.", "--date", "2025-10-01 09:00", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    story = tmp_path / "content" / "stories" / "2025-10-01-our-first-cafe-creme.md"
    assert story.is_file()
    assert "id: 2025-10-our-first-cafe-creme" in story.read_text()
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    page = built.soup("stories/our-first-cafe-creme/index.html")
    assert page.h1.get_text() == "Our first café crème"
    assert not page.select("mark.inline-quote")  # the guide's example quote is a comment
    again = invoke(
        "new-story", "--content", "content", "--title", "Our first café crème",
        "--author", "ada-quill", "--department", "finance", "--summary", "S.",
        "--date", "2025-10-01 09:00", cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_new_story_interactive_creates_a_new_person(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    answers = "Night shift notes\nzed-new\nwarehouse\nnight, logistics\nHow the night goes.\n"
    done = invoke("new-story", "--content", "content", "--create-person", "--date", "2025-10-02",
                  cwd=tmp_path, stdin=answers)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "content" / "people" / "zed-new.md").is_file()
    text = (tmp_path / "content" / "stories" / "2025-10-02-night-shift-notes.md").read_text()
    assert 'tags: ["night", "logistics"]' in text
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_new_story_suggests_ids(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke("new-story", "--content", "content", "--title", "T", "--author", "ada-quil",
                  "--department", "finanse", "--summary", "S.", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    assert "unknown department 'finanse': did you mean 'finance'?" in done.stderr
    assert "unknown author 'ada-quil': did you mean 'ada-quill'?" in done.stderr
    assert list((tmp_path / "content" / "stories").glob("*-t.md")) == []


def test_calendar_lists_drafts_and_scheduled(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "audiences", tmp_path / "content")
    done = invoke("calendar", "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[2] for line in lines] == ["draft", "scheduled"]
    assert "Title ZZFUTUREMARKER" in lines[1] and "2099-01-01" in lines[1]


def test_codeowners_is_current_and_routes_to_leads() -> None:
    done = invoke("codeowners", "--check", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (ROOT / ".github" / "CODEOWNERS").read_text()
    assert "/content/stories/2026-03-13-accountants-retweets.md @teriksen @amara-okafor" in text


def test_import_wordpress(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    export = FIXTURES / "wordpress" / "export.xml"
    done = invoke("import-wordpress", str(export), "--content", "content", cwd=tmp_path)
    assert done.returncode == 1  # one post could not be converted, and it says so
    out = done.stdout
    assert "NOT IMPORTED: post 104 'A post with a broken date'" in out
    assert "note: skipped page 'About the old blog'" in out
    assert "fetch image: https://old-blog.example/wp-content/uploads/2024/04/loading-bay.jpg" in out
    assert "check: category 'logistics' is not a department" in out
    stories = tmp_path / "content" / "stories"
    first = (stories / "2024-03-05-closing-the-books-before-lunch.md").read_text()
    assert "authors: [ada-quill]" in first and "departments: [finance]" in first
    assert 'tags: ["ways-of-working"]' in first
    assert 'summary: "A quarter of early closes in Finance."' in first
    assert (
        "[inlinetweet prefix=“” tweeter=“null” suffix=“#FinanceVoices”]an early close is a calm close[/inlinetweet]"
        in first
    )
    assert "## What changed" in first
    draft = (stories / "2024-05-01-unfinished-thoughts-on-budgets.md").read_text()
    assert "\nstatus: draft" in draft
    bay = (stories / "2024-04-10-the-new-loading-bay-in-pictures.md").read_text()
    assert "![Trucks backed up to a new loading bay]({static}/images/loading-bay.jpg)" in bay
    # the checker then names what a human must finish: the missing image, the unknown department
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    problems = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert all("2024-04-10-the-new-loading-bay" in line for line in problems), problems
    assert any("unknown department 'logistics'" in line for line in problems)
    assert any("{static}/images/loading-bay.jpg' does not exist" in line for line in problems)
    (stories / "2024-04-10-the-new-loading-bay-in-pictures.md").unlink()
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    page = built.soup("stories/closing-the-books-before-lunch/index.html")
    assert page.select_one("#quote-1").get_text() == "an early close is a calm close"
    assert "hashtags=FinanceVoices" in page.select_one("a.share-x")["href"]
