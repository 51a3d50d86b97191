"""``create_story``: the new-story logic, apart from the command line that asks for it."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from helpers import FIXTURES

from culture_hub.content_model.workflow import ScaffoldError, create_story

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
