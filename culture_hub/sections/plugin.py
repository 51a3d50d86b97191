"""Pelican glue: a generator that writes department and people pages."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markdown import Markdown
from pelican import signals
from pelican.generators import Generator

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.frontmatter import Document
from culture_hub.content_model.registry import Department, Person
from culture_hub.content_model.unsafe import unsafe_problems
from culture_hub.sanitize import clean

from .contributions import chart_svg, count_contributions
from .core import bio_quotes, build_sections, unmark_quotes
from .settings import SectionSettings


class SectionsGenerator(Generator):
    """Writes ``departments/``, ``departments/<id>/``, ``people/``, ``people/<id>/``."""

    def generate_context(self) -> None:
        state = BuildState.of(self.settings)
        md_settings = copy.deepcopy(self.settings["MARKDOWN"])
        md = Markdown(**md_settings)
        articles = [*self.context.get("articles", []), *self.context.get("drafts", [])]

        def render(record: Department | Person) -> str:
            """The body as sanitized HTML; what was removed is an error at its line."""
            md.reset()
            md.culture_document = Document(record.path, {}, {}, record.body, record.body_line)  # type: ignore[attr-defined]
            md.culture_metadata = {}  # type: ignore[attr-defined]
            md.culture_problems = []  # type: ignore[attr-defined]
            html = md.convert(record.body)
            state.report(md.culture_problems)  # type: ignore[attr-defined]
            state.report(bio_quotes(record, md.culture_metadata.get("inline_quotes", [])))  # type: ignore[attr-defined]
            html = unmark_quotes(html)
            cleaned = clean(html)
            if cleaned != html:
                state.report(unsafe_problems(record.path, record.body, record.body_line, html))
            return cleaned

        self.departments, self.people = build_sections(state.registry, articles, render)
        self.context["department_sections"] = self.departments
        self.context["people_sections"] = self.people
        config = SectionSettings.from_settings(self.settings)
        self.contributions = count_contributions(
            [section.record for section in self.departments],
            self.context.get("articles", []),
            datetime.now(ZoneInfo(self.settings.get("TIMEZONE", "UTC"))).date(),
            config.months,
        )

    def generate_output(self, writer: Any) -> None:
        def page(url: str, template: str, **extra: Any) -> None:
            writer.write_file(
                f"{url}index.html",
                self.get_template(template),
                self.context,
                self.settings["RELATIVE_URLS"],
                url=url,
                page_name=f"{url}index",
                **extra,
            )

        page("departments/", "departments")
        for section in self.departments:
            page(
                section.url,
                "department",
                paginated={"articles": section.articles},
                template_name="department",
                section=section,
                articles=section.articles,
            )
        page("people/", "people")
        for section in self.people:
            page(section.url, "person", section=section, articles=section.articles)
        page(
            "contributions/",
            "contributions",
            contributions=self.contributions,
            chart=chart_svg(self.contributions),
        )


def get_generators(pelican: Any) -> type[Generator]:
    return SectionsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
