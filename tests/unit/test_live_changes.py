"""The live preview's pure parts: sorting changes, spotting structural edits, tracking."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

from culture_hub.live.changes import Plan, apply_in_place, changed_fields, plan, structural_change
from culture_hub.live.tracking import Tracker, affected
from culture_hub.parallel.forking import ContentFree


def _file(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_text("x")
    return str(path.resolve())


def test_an_edit_of_a_known_story_is_applied_in_place(tmp_path: Path) -> None:
    story = _file(tmp_path, "story.md")
    assert plan({("modified", story)}, {story}, tmp_path) == Plan(edits=(story,))
    # An editor that saves by replacing the file reports it as added.
    assert plan({("added", story)}, {story}, tmp_path) == Plan(edits=(story,))


def test_new_deleted_and_other_files_rebuild(tmp_path: Path) -> None:
    story, new = _file(tmp_path, "story.md"), _file(tmp_path, "new.md")
    assert "new.md changed" in plan({("added", new)}, {story}, tmp_path).rebuild
    gone = str(tmp_path / "gone.md")
    assert "gone.md was deleted" in plan({("deleted", gone)}, {gone}, tmp_path).rebuild
    # One structural change among edits rebuilds everything.
    assert plan({("modified", story), ("added", new)}, {story}, tmp_path).rebuild


def test_temporary_files_that_came_and_went_are_no_change(tmp_path: Path) -> None:
    temp = str(tmp_path / ".story.md.swp")
    assert plan({("added", temp), ("deleted", temp)}, set(), tmp_path) == Plan()


def _content(**metadata: object) -> SimpleNamespace:
    return SimpleNamespace(status="published", url="a/", save_as="a/index.html", metadata=metadata)


def test_words_are_not_structure_but_tags_dates_and_addresses_are() -> None:
    old = _content(title="Old", summary="s", source_digest="1", tags=["a"], date=1)
    assert structural_change(old, _content(title="New", summary="t", source_digest="2",
                                           tags=["a"], date=1)) == ""  # fmt: skip
    assert structural_change(old, _content(title="Old", tags=["b"], date=1)) == "tags"
    assert structural_change(old, _content(title="Old", tags=["a"], date=2)) == "date"
    moved = _content(title="Old", tags=["a"], date=1)
    moved.url = "b/"
    assert structural_change(old, moved) == "url"
    assert structural_change(old, _content(title="Old", tags=["a"], date=1, audience="staff"))


def _article(body: str, title: str, source_path: str = "/c/a.md") -> Article:
    meta = {"title": title, "date": datetime(2025, 1, 1, tzinfo=UTC)}
    return Article(body, meta, settings=dict(DEFAULT_CONFIG), source_path=source_path)


def test_applying_in_place_keeps_what_the_generator_set_and_drops_memoized_content() -> None:
    old = _article("<p>old</p>", "T")
    old.related = ["kept"]
    old.translations = ["kept"]
    assert "old" in old.content  # Pelican memoizes it now
    apply_in_place(old, _article("<p>new</p>", "T2"))
    assert "new" in old.content and old.title == "T2"
    assert old.related == ["kept"] and old.translations == ["kept"]


def test_tracker_records_the_content_a_render_read() -> None:
    tracker = Tracker()
    asked: list[str] = []

    def getattr_(obj: object, name: str) -> object:
        asked.append(name)
        return getattr(obj, name, None)

    tracked = tracker.wrap(getattr_)
    story = _article("<p>x</p>", "T", "/c/story.md")
    tracked(story, "title")  # not observing: nothing recorded
    assert tracker.seen is None
    tracker.seen = set()
    tracked(story, "title")
    tracked(SimpleNamespace(), "anything")  # not content
    assert tracker.seen == {("/c/story.md", "title")} and asked == ["title", "title", "anything"]


def test_only_template_renders_are_tracked() -> None:
    tracker = Tracker()
    ran: list[str] = []
    assert tracker.observe(lambda: ran.append("feed")) is None  # unknown: always re-run
    render = partial(Writer.write_file, Writer("/nowhere", {}), "", None, {})  # no name: no file
    assert tracker.observe(render) == frozenset()
    assert ran == ["feed"] and tracker.seen is None


def test_a_content_free_job_runs_once_and_no_edit_runs_it_again() -> None:
    tracker = Tracker()
    ran: list[str] = []
    read = tracker.observe(ContentFree(partial(ran.append, "picture copied")))
    assert ran == ["picture copied"] and read == frozenset()
    feed = tracker.observe(partial(ran.append, "feed written"))  # unknown: always re-run
    assert affected([read, feed], {("/a.md", "content"), ("/a.md", "title")}) == [1]


def test_changed_fields_are_the_stored_and_derived_attributes_that_differ() -> None:
    old = _article("<p>same</p>", "Old title")
    old.related = ["set by the generator"]
    assert changed_fields(old, _article("<p>same</p>", "New title")) >= {"title"}
    assert "content" not in changed_fields(old, _article("<p>same</p>", "New title"))
    body = changed_fields(old, _article("<p>other</p>", "Old title"))
    assert {"_content", "content"} <= body and "title" not in body and "related" not in body


def test_affected_jobs_read_a_changed_field_or_cannot_say() -> None:
    results = [frozenset({("/a.md", "title")}), frozenset({("/a.md", "content")}), None]
    assert affected(results, {("/a.md", "content")}) == [1, 2]
    assert affected(results, {("/b.md", "title")}) == [2]
