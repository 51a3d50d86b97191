"""An unchanged site is not built again; any change to what a build reads rebuilds it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import FIXTURES, build_site

from culture_hub.uptodate.fingerprint import settings_text, tree_stamp
from culture_hub.uptodate.plugin import up_to_date

SKIPPED = "Nothing changed since the last build"


def _site(tmp_path: Path) -> tuple[Path, Path]:
    content = shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    return content, tmp_path / "output"


def _stamps(output: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}


def test_a_second_build_of_the_same_inputs_leaves_the_output_alone(tmp_path: Path) -> None:
    content, output = _site(tmp_path)
    first = build_site(content, output, cwd=tmp_path)
    assert first.returncode == 0 and SKIPPED not in first.log, first.log
    before = _stamps(output)
    again = build_site(content, output, cwd=tmp_path)
    assert again.returncode == 0 and SKIPPED in again.log, again.log
    assert _stamps(output) == before


def test_changed_content_settings_or_output_rebuild(tmp_path: Path) -> None:
    content, output = _site(tmp_path)
    assert build_site(content, output, cwd=tmp_path).returncode == 0
    story = content / "stories" / "second.md"
    story.write_text(story.read_text().replace("The second story body.", "Changed body."))
    edited = build_site(content, output, cwd=tmp_path)
    assert (
        SKIPPED not in edited.log
        and "Changed body."
        in (output / "stories" / "moving-the-second-thing" / "index.html").read_text()
    )
    assert SKIPPED in build_site(content, output, cwd=tmp_path).log
    (output / "index.html").unlink()  # someone changed the output
    assert SKIPPED not in build_site(content, output, cwd=tmp_path).log
    assert (output / "index.html").is_file()
    other = build_site(content, output, cwd=tmp_path, SITEURL="https://other.example")
    assert SKIPPED not in other.log
    assert "https://other.example" in (output / "index.html").read_text()


def test_a_scheduled_story_is_noted_and_rebuilds_when_due(tmp_path: Path) -> None:
    content, output = _site(tmp_path)
    (content / "stories" / "later.md").write_text(
        "---\ntitle: Later\ndate: 2999-01-01 09:00\nauthors: [ada-quill]\n"
        "departments: [finance]\nsummary: Not yet.\n---\nLater.\n"
    )
    assert build_site(content, output, cwd=tmp_path).returncode == 0
    (record,) = (tmp_path / "cache" / "uptodate").glob("*.json")
    due = json.loads(record.read_text())["next_publication"]
    assert due.startswith("2999-01-01T09:00")
    stored = {"inputs": "a", "output": "b", "next_publication": due}
    current = {"inputs": "a", "output": "b"}
    assert up_to_date(stored, current, datetime.now(UTC))
    assert not up_to_date(stored, current, datetime(2999, 1, 2, tzinfo=UTC))
    assert not up_to_date(stored, {**current, "inputs": "changed"}, datetime.now(UTC))
    assert not up_to_date({**stored, "next_publication": None}, {**current, "output": "x"},
                          datetime.now(UTC) + timedelta(days=1))  # fmt: skip


def test_fingerprint_parts_see_edits_and_ignore_memory_addresses(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one")
    before = tree_stamp(tmp_path)
    (tmp_path / "a.md").write_text("two!")
    assert tree_stamp(tmp_path) != before
    assert settings_text({"F": lambda: 1}) == settings_text({"F": lambda: 1})
