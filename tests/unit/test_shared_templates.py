"""Compiled templates are shared between a run's environments, never across configurations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError
from jinja2.bccache import Bucket

from culture_hub.parallel.templates import (
    Compiling,
    SharedTemplates,
    share_compiled_templates,
    template_names,
    theme_folders,
)
from culture_hub.run import Run


def _environment(folder: Path, settings: dict, **options: object) -> Environment:
    environment = Environment(loader=FileSystemLoader(folder), **options)  # type: ignore[arg-type]
    share_compiled_templates(environment, settings)
    return environment


def test_environments_configured_alike_compile_each_template_once(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{% for n in items %}<{{ n }}>{% endfor %}")
    settings: dict = {}
    first, second = (_environment(tmp_path, settings, autoescape=True) for _ in range(2))
    assert first.get_template("page.html").render(items=[1, "&"]) == "<1><&amp;>"
    assert second.get_template("page.html").render(items=[2]) == "<2>"
    assert len(SharedTemplates.of(settings).code) == 1
    assert first.bytecode_cache is second.bytecode_cache


def test_options_that_change_the_code_are_never_shared(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{% if x %}\n  {{ x }}\n{% endif %}")
    settings: dict = {}
    trimmed = _environment(tmp_path, settings, trim_blocks=True, lstrip_blocks=True)
    kept = _environment(tmp_path, settings)
    escaped = _environment(tmp_path, settings, trim_blocks=True, lstrip_blocks=True,
                           autoescape=True)  # fmt: skip
    assert trimmed.get_template("page.html").render(x="<b>") == "  <b>\n"
    assert kept.get_template("page.html").render(x="<b>") == "\n  <b>\n"
    assert escaped.get_template("page.html").render(x="<b>") == "  &lt;b&gt;\n"
    assert len(SharedTemplates.of(settings).code) == 3


def test_an_edited_template_is_compiled_again_and_a_new_run_starts_empty(tmp_path: Path) -> None:
    settings: dict = {}
    (tmp_path / "page.html").write_text("one")
    assert _environment(tmp_path, settings).get_template("page.html").render() == "one"
    (tmp_path / "page.html").write_text("two")
    assert _environment(tmp_path, settings).get_template("page.html").render() == "two"
    Run.end(settings)
    assert SharedTemplates.of(settings).code == {}


def test_an_environment_with_its_own_bytecode_cache_keeps_it(tmp_path: Path) -> None:
    own = SharedTemplates()
    environment = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=own)
    share_compiled_templates(environment, {})
    assert environment.bytecode_cache is own


def _children() -> set[int]:
    """This process's child processes, from /proc (zombies included)."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


def _theme(tmp_path: Path, templates: dict[str, str]) -> Path:
    folder = tmp_path / "theme" / "templates"
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


class Counting(SharedTemplates):
    """The run's compiled templates, counting compiles (Jinja stores a bucket after one)."""

    def __init__(self, code: dict) -> None:
        super().__init__()
        self.code = code
        self.compiled: list[str] = []

    def set_bucket(self, bucket: Bucket) -> None:
        self.compiled.append(bucket.key)
        super().set_bucket(bucket)


def test_templates_compiled_aside_are_rendered_without_compiling_them_again(
    tmp_path: Path,
) -> None:
    """A forked child compiles every template of the theme and sends the code back;
    an environment rendering them afterwards (a page writer) compiles nothing."""
    folder = _theme(tmp_path, {
        "base.html": "<main>{% block body %}{% endblock %}</main>",
        "partials/item.html": "<li>{{ item }}</li>",
        "page.html": '{% extends "base.html" %}{% block body %}{% for item in items %}'
                     '{% include "partials/item.html" %}{% endfor %}{% endblock %}',
    })  # fmt: skip
    settings: dict = {"THEME": str(tmp_path / "theme")}
    names = template_names(theme_folders(settings))
    assert names == ["base.html", "page.html", "partials/item.html"]
    shared = SharedTemplates.of(settings)
    compiling = Compiling.start(_environment(folder, settings), names, shared)
    assert compiling.take() == 3
    assert compiling.pid not in _children()  # reaped
    counting = Counting(shared.code)
    writer = Environment(loader=FileSystemLoader(folder), bytecode_cache=counting)
    page = writer.get_template("page.html").render(items=["a", "<b>"])
    assert page == "<main><li>a</li><li><b></li></main>"
    assert counting.compiled == []


def test_a_template_the_child_cannot_compile_fails_where_it_is_rendered(tmp_path: Path) -> None:
    folder = _theme(
        tmp_path, {"good.html": "ok", "bad.html": "{% if %}", "other.html": "{{ x | nope }}"}
    )
    settings: dict = {"THEME": str(tmp_path / "theme")}
    shared = SharedTemplates.of(settings)
    names = template_names(theme_folders(settings))
    assert Compiling.start(_environment(folder, settings), names, shared).take() == 1
    counting = Counting(shared.code)
    writer = Environment(loader=FileSystemLoader(folder), bytecode_cache=counting)
    assert writer.get_template("good.html").render() == "ok"
    with pytest.raises(TemplateSyntaxError, match="Expected an expression"):
        writer.get_template("bad.html")
    writer.filters["nope"] = str.upper  # an environment with the filter compiles it
    assert writer.get_template("other.html").render(x="y") == "Y"
    assert len(counting.compiled) == 1


def test_a_child_that_does_not_answer_in_time_is_stopped_and_nothing_is_kept(
    tmp_path: Path,
) -> None:
    folder = _theme(tmp_path, {"page.html": "{{ 1 }}"})
    settings: dict = {"THEME": str(tmp_path / "theme")}
    shared = SharedTemplates.of(settings)
    compiling = Compiling.start(_environment(folder, settings), ["page.html"], shared)
    assert compiling.take(timeout=0) == 0
    assert compiling.pid not in _children()
    assert shared.code == {}
    stopped = Compiling.start(_environment(folder, settings), ["page.html"], shared)
    stopped.stop()  # a failed run: the child goes, unheard
    assert stopped.pid not in _children()
