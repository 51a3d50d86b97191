"""``create_story``: the new-story logic, apart from the command line that asks for it."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from helpers import FIXTURES

from culture_hub.content_model.workflow import ScaffoldError, create_story, parse_date

WHEN = datetime(2025, 10, 2, 9, 30)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return shutil.copytree(FIXTURES / "basic", tmp_path / "content")


def _create(content: Path, **changes: object):
    fields: dict[str, object] = {
        "title": "Our first café crème", "authors": ["ada-quill"], "departments": ["finance"],
        "tags": ["coffee"], "summary": "A summary.", "when": WHEN,
    }  # fmt: skip
    return create_story(content, **{**fields, **changes})  # type: ignore[arg-type]


def test_writes_the_story_at_its_date_and_slug(content: Path) -> None:
    made = _create(content)
    assert made.story == content / "stories" / "2025-10-02-our-first-cafe-creme.md"
    assert made.people == ()
    assert "id: 2025-10-our-first-cafe-creme" in made.story.read_text()


def test_every_reason_is_given_at_once_and_nothing_is_written(content: Path) -> None:
    before = sorted(p.name for p in content.rglob("*"))
    with pytest.raises(ScaffoldError) as raised:
        _create(content, authors=["ada-quil"], departments=["finanse"])
    message = str(raised.value)
    assert "unknown department 'finanse': did you mean 'finance'?" in message
    assert "unknown author 'ada-quil': did you mean 'ada-quill'?" in message
    assert "--create-person" in message
    assert sorted(p.name for p in content.rglob("*")) == before


def test_a_new_person_gets_a_profile_when_asked(content: Path) -> None:
    made = _create(content, authors=["new-writer"], create_person=True)
    assert made.people == (content / "people" / "new-writer.md",)
    assert "New Writer" in made.people[0].read_text()


def test_an_existing_story_is_never_overwritten(content: Path) -> None:
    _create(content)
    with pytest.raises(ScaffoldError, match="already exists"):
        _create(content)


def test_codeowners_paths_are_always_valid(content: Path) -> None:
    """A file name CODEOWNERS cannot hold (a space, '#') gets no line of its own: the
    check asks for a new name, and the default owners still review it."""
    from culture_hub.content_model.registry import load_registry  # noqa: PLC0415
    from culture_hub.content_model.workflow import codeowners  # noqa: PLC0415

    (content / "people" / "ada-quill.md").write_text(
        (content / "people" / "ada-quill.md")
        .read_text()
        .replace("---\n", "---\ngithub: ada-q\n", 1)
    )
    story = (content / "stories" / "first.md").read_text()
    for name in ("My Story.md", "#hash.md", "fine-name.md"):
        (content / "stories" / name).write_text(story)
    registry, _ = load_registry(content)
    text = codeowners(registry, content, ["@site-owners"])
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert "/content/stories/fine-name.md @ada-q" in lines
    assert all(len(line.split(" ")) >= 2 and "My" not in line and "#" not in line for line in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", datetime(2026, 3, 14)),
        ("2026-03-14 09:30", datetime(2026, 3, 14, 9, 30)),
        (" 2026-03-14   09:30 ", datetime(2026, 3, 14, 9, 30)),
        ("2026-03-14T09:30", datetime(2026, 3, 14, 9, 30)),
        ("2024-02-29", datetime(2024, 2, 29)),
    ],
)
def test_parse_date_reads_the_documented_forms(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "tomorrow", "2025-02-29", "14/03/2026", "2026-03-14 25:00"]
)
def test_parse_date_refuses_what_is_not_a_date_in_plain_words(text: str) -> None:
    with pytest.raises(ScaffoldError) as caught:
        parse_date(text)
    assert str(caught.value) == (
        f"--date '{text}' is not a real date in the form YYYY-MM-DD [HH:MM]; "
        "write e.g. --date 2026-03-14 or --date '2026-03-14 09:30'"
    )
