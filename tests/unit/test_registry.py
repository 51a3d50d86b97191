"""Departments and people registries loaded from a real folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from culture_hub.content_model.failures import left_out
from culture_hub.content_model.frontmatter import split
from culture_hub.content_model.registry import load_registry, real_path
from culture_hub.content_model.rules import Site, check_article
from culture_hub.content_model.schema import KINDS, read_fields


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _registry_folder(root: Path) -> None:
    _write(
        root,
        "departments/finance.md",
        "---\nname: Finance\nhashtag: FinanceVoices\nlead: ada\n---\nCounts.\n",
    )
    _write(
        root,
        "people/ada.md",
        "---\nname: Ada\nrole: Accountant\ndepartment: finance\nx: '@ada'\n---\nBio.\n",
    )


def test_registry_reads_records_with_ids_from_file_names(tmp_path: Path) -> None:
    _registry_folder(tmp_path)
    registry, problems = load_registry(tmp_path)
    assert problems == []
    finance = registry.departments["finance"]
    assert (finance.name, finance.hashtag, finance.lead) == ("Finance", "#FinanceVoices", "ada")
    assert finance.body == "Counts.\n"
    assert registry.people["ada"].x == "ada"


def test_registry_cross_checks_leads_and_departments(tmp_path: Path) -> None:
    _registry_folder(tmp_path)
    _write(tmp_path, "departments/legal.md", "---\nname: Legal\nhashtag: Legal\nlead: adah\n---\n")
    _write(tmp_path, "people/bo.md", "---\nname: Bo\nrole: R\ndepartment: finanse\n---\n")
    _registry, problems = load_registry(tmp_path)
    messages = {(Path(p.path).name, p.line, p.message, p.fix) for p in problems}
    assert (
        "legal.md",
        4,
        "department 'legal' has an unknown lead 'adah'",
        "did you mean 'ada'?",
    ) in messages
    assert (
        "bo.md",
        4,
        "person 'bo' is in an unknown department 'finanse'",
        "did you mean 'finance'?",
    ) in messages


def test_broken_registry_file_is_reported_not_loaded(tmp_path: Path) -> None:
    _registry_folder(tmp_path)
    _write(tmp_path, "people/cy.md", "---\nname: Cy\n---\n")
    registry, problems = load_registry(tmp_path)
    assert "cy" not in registry.people
    assert {p.message for p in problems} == {
        "required field 'role' is missing",
        "required field 'department' is missing",
    }


def test_article_rules_find_unknown_ids_and_missing_images(tmp_path: Path) -> None:
    _registry_folder(tmp_path)
    registry, _ = load_registry(tmp_path)
    text = (
        "---\ntitle: T\ndate: 2026-01-01\nauthors: [adda]\ndepartments: [finance, lgal]\n"
        "summary: S\nimage: images/nope.png\n---\n"
    )
    doc = split(text, "s.md")
    values, problems = read_fields(doc, KINDS["story"])
    assert problems == []
    found = check_article(doc, values, Site(tmp_path, registry))
    assert [(p.line, p.message) for p in found] == [
        (4, "unknown author 'adda'"),
        (5, "unknown department 'lgal'"),
        (7, "the image has no alt text"),
        (7, "image 'images/nope.png' does not exist"),
    ]
    assert found[0].fix.startswith("did you mean 'ada'?")


def test_files_pelican_left_out_become_problems_with_the_reason(tmp_path: Path) -> None:
    reasons = {"stories/a.md": ValueError("x")}
    found = left_out(
        ["stories/b.md", "stories/a.md", "stories/c.md"], reasons, tmp_path, ("title", "date"),
        already_reported={str(tmp_path / "stories" / "c.md")},
    )  # fmt: skip
    assert [(p.path, p.line) for p in found] == [
        (str(tmp_path / "stories" / "a.md"), 1),
        (str(tmp_path / "stories" / "b.md"), 1),
    ]
    assert found[0].message == "Pelican could not make a page of this file: x"
    assert found[1].message == "the page has no title or a date, so Pelican left it out"
    assert found[1].fix == "add `title:` and `date:` to the front matter"


def test_a_files_real_path_is_what_resolve_says_whatever_links_lie_on_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``real_path`` remembers folders' resolution; it must still agree with ``resolve``."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.md").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "a" / "b" / "l.md").symlink_to(tmp_path / "a" / "b" / "f.md")
    monkeypatch.chdir(tmp_path)
    for path in [
        tmp_path / "a" / "b" / "f.md",
        tmp_path / "link" / "f.md",
        tmp_path / "link" / ".." / "b" / "f.md",  # up from where the link leads
        tmp_path / "a" / "b" / "l.md",
        tmp_path / "a" / "b" / "missing.md",
        Path("link") / "f.md",
        Path("link") / ".." / "b" / "f.md",
        Path("f.md"),
        tmp_path / "link" / "..",
    ]:
        assert real_path(path) == path.resolve(), path
