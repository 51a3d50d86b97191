"""Compiled templates are shared between a run's environments, never across configurations."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from culture_hub.parallel.templates import SharedTemplates, share_compiled_templates
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
