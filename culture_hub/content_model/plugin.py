"""Pelican glue for the content model: reader, per-run state, the strict gate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from culture_hub import pelican_internals
from culture_hub.declare import settings_file

from .build import BuildState
from .duplicates import duplicate_problems
from .failures import left_out
from .problems import refuse
from .published import unpublished_links, used_files
from .reader import CultureReader
from .settings import ContentSettings, SettingsError

# Where generators keep the stories and pages they will write.
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")


def start_run(pelican: Any) -> None:
    """Every run starts with a fresh registry and problem list, and the
    inventory of the content folder."""
    try:
        state = BuildState.start(pelican.settings)
    except SettingsError as error:
        refuse(f"{settings_file(settings=pelican.settings)}: {error}")
    refuse_staff_into_public_output(state.config, Path(pelican.settings["OUTPUT_PATH"]))
    state.inventory  # noqa: B018 - every file accounted for before Pelican lists any


def refuse_staff_into_public_output(config: ContentSettings, output: Path) -> None:
    """A build that shows staff stories, drafts or scheduled stories never writes
    where the public site is built: a later deploy of that folder would publish them."""
    shows_more = config.audience == "staff" or config.preview_unpublished
    if shows_more and output.resolve() == config.public_output.resolve():
        refuse(
            f"{output}: a build that includes staff stories, drafts or scheduled stories "
            "cannot write into the public site's folder (a deploy of it would publish "
            "them); nothing was written. "
            "Build into another folder, e.g. `invoke build --audience staff` "
            "(staff-output/) or `-o staff-output`."
        )


def add_reader(readers: Any) -> None:
    """Content is read by the culture-hub reader only: Pelican's HTML and
    reStructuredText readers could publish what no rule has seen (a ``.rst``
    ``include`` of a file on the build machine, an ``.html`` ``save_as``).

    Why a read fails in Pelican itself is kept for the left-out-files report.
    """
    pelican_internals.only_our_reader(readers, CultureReader, CultureReader.file_extensions)
    state = BuildState.of(readers.settings)
    pelican_internals.record_read_failures(readers, state.read_failures.__setitem__)


def report_left_out(generators: list[Any]) -> None:
    """Each file Pelican itself failed to make a page of is an error at the file."""
    if not generators:
        return
    state = BuildState.of(generators[0].settings)
    failed = pelican_internals.failed_sources(generators[0].context)
    reported = {problem.path for problem in state.problems}
    state.report(
        left_out(failed, state.read_failures, state.config.content,
                 pelican_internals.MANDATORY_PROPERTIES, reported)
    )  # fmt: skip


def account_for_output(generators: list[Any]) -> None:
    """Publish only what published pages use, and link only to published pages.

    Sent when every generator has its context and nothing is written yet.
    """
    contents = [
        content
        for generator in generators
        for name in CONTENT_LISTS
        for content in getattr(generator, name, ())
    ]
    if not generators:
        return
    state = BuildState.of(generators[0].settings)
    published = {content.relative_source_path for content in contents}
    state.report(unpublished_links(contents, published))
    # Pictures only: a {static} link to a Markdown file never publishes its source.
    used = used_files(contents, state.registry.people.values()) & state.inventory.images
    for generator in generators:
        if hasattr(generator, "staticfiles"):
            generator.staticfiles[:] = [
                static for static in generator.staticfiles if static.relative_source_path in used
            ]


def unique_urls_and_ids(generator: Any) -> None:
    """Two articles at one URL, or with one ``id``, are an error on the later file."""
    state = BuildState.of(generator.settings)
    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    problems, repeated = duplicate_problems(articles)
    state.report(problems)
    for name in ("articles", "drafts", "hidden_articles"):
        setattr(generator, name, [a for a in getattr(generator, name) if a not in repeated])


def fix_url(content: Any) -> None:
    """Work out each story's and page's URL once, as Pelican's own ``url`` override.

    Pelican formats it from the settings on every ``.url`` (about 40 µs);
    templates ask for it many times a page (menus, cards, related stories),
    which cost a tenth of a large build. It depends only on metadata that is
    fixed once the object exists. (``save_as`` is left alone: overriding it
    would let Pelican skip a second page written to the same file.)
    """
    if getattr(content, "kind", None) is None or not hasattr(content, "_content"):
        return  # not read by the culture-hub reader (or a skipped stub)
    content.override_url = content.url


def gate(pelican: Any) -> None:
    """Sent just before the writer is made (nothing has been written yet), and
    when the pages are recorded or written: two pages at one address are found
    only then, and must still keep the build from being published."""
    BuildState.of(pelican.settings).gate()


def register() -> None:
    pelican_internals.install()
    signals.get_generators.connect(start_run)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(fix_url)
    signals.article_generator_pretaxonomy.connect(unique_urls_and_ids)
    signals.all_generators_finalized.connect(report_left_out)
    signals.all_generators_finalized.connect(account_for_output)
    signals.get_writer.connect(gate)
    signals.finalized.connect(gate)
