"""Pelican glue: a generator that writes department and people pages."""

from __future__ import annotations

import copy
from typing import Any

from content_model.build import BuildState
from markdown import Markdown
from pelican import signals
from pelican.generators import Generator
from sanitize import clean

from .core import build_sections


class SectionsGenerator(Generator):
    """Writes ``departments/``, ``departments/<id>/``, ``people/``, ``people/<id>/``."""

    def generate_context(self) -> None:
        state = BuildState.of(self.settings)
        md_settings = copy.deepcopy(self.settings["MARKDOWN"])
        md = Markdown(**md_settings)
        articles = [*self.context.get("articles", []), *self.context.get("drafts", [])]
        self.departments, self.people = build_sections(
            state.registry, articles, lambda text: clean(md.reset().convert(text))
        )
        self.context["department_sections"] = self.departments
        self.context["people_sections"] = self.people

    def generate_output(self, writer: Any) -> None:
        write = writer.write_file
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template
        write(
            "departments/index.html",
            template("departments"),
            self.context,
            relative,
            url="departments/",
            page_name="departments/index",
        )
        for section in self.departments:
            write(
                f"{section.url}index.html",
                template("department"),
                self.context,
                relative,
                paginated={"articles": section.articles},
                template_name="department",
                page_name=f"{section.url}index",
                url=section.url,
                section=section,
                articles=section.articles,
            )
        write(
            "people/index.html",
            template("people"),
            self.context,
            relative,
            url="people/",
            page_name="people/index",
        )
        for section in self.people:
            write(
                f"{section.url}index.html",
                template("person"),
                self.context,
                relative,
                url=section.url,
                page_name=f"{section.url}index",
                section=section,
                articles=section.articles,
            )


def get_generators(pelican: Any) -> type[Generator]:
    return SectionsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
