"""Each assumption ``culture_hub.pelican_internals`` makes about Pelican, checked.

A Pelican upgrade that breaks one fails the test named after it, not the site.
"""

from __future__ import annotations

import hashlib
import inspect
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pelican
import pytest
from jinja2 import Environment
from pelican import Pelican, utils
from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, StaticGenerator
from pelican.readers import BaseReader, Readers
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import memoized
from pelican.writers import Writer

from culture_hub import pelican_internals
from culture_hub.content_model.reader import CultureReader


def test_the_pelican_version_is_one_we_checked() -> None:
    assert pelican_internals.version_supported(), pelican.__version__


def test_get_files_has_the_signature_we_replace() -> None:
    params = list(inspect.signature(Generator.get_files).parameters)
    assert params[:4] == ["self", "paths", "exclude", "extensions"]
    ours = list(inspect.signature(pelican_internals.accounted_files).parameters)
    assert ours == ["generator", "paths", "exclude", "extensions"]


def test_every_generator_lists_content_through_get_files() -> None:
    for generator in (ArticlesGenerator, PagesGenerator, StaticGenerator):
        assert "self.get_files(" in inspect.getsource(generator.generate_context), generator
        assert "get_files" not in vars(generator), generator  # none overrides it


def test_include_path_filters_by_extension() -> None:
    assert list(inspect.signature(Generator._include_path).parameters) == [
        "self", "path", "extensions"
    ]  # fmt: skip


def test_readers_keep_classes_by_extension_and_static_reads_static_files() -> None:
    settings = dict(DEFAULT_CONFIG)
    readers = Readers(settings)
    assert {"static", "md", "html", "rst"} <= set(readers.reader_classes) | {"rst"}
    assert readers.reader_classes["static"] is BaseReader
    pelican_internals.only_our_reader(readers, CultureReader, CultureReader.file_extensions)
    assert readers.reader_classes == {"static": BaseReader, "md": CultureReader}


def test_readers_init_is_sent_before_the_readers_are_made() -> None:
    # Our receiver changes reader_classes; Pelican must build its readers after it.
    source = inspect.getsource(Readers.__init__)
    assert source.index("signals.readers_init.send(self)") < source.index("self.readers[fmt] =")


def test_static_files_linked_from_content_are_listed_by_get_files() -> None:
    # {static} links to files outside STATIC_PATHS reach the copy through get_files,
    # so answering it from the inventory keeps them inside the content folder.
    source = inspect.getsource(StaticGenerator.generate_context)
    assert 'self.context["static_links"]' in source
    assert "linked_files | found_files" in source


def test_generators_read_through_read_file_and_record_failures_as_none() -> None:
    for generator in (ArticlesGenerator, PagesGenerator):
        source = inspect.getsource(generator.generate_context)
        assert "self.readers.read_file(" in source, generator
        assert source.count("self._add_failed_source_path(f)") == 2, generator
    recorded = inspect.getsource(Generator._add_failed_source_path)
    assert "self.context[key][posixize_path(os.path.normpath(path))] = None" in recorded
    assert list(inspect.signature(Readers.read_file).parameters)[:3] == [
        "self", "base_path", "path"
    ]  # fmt: skip


def test_a_failed_read_is_recorded_with_its_reason_and_still_raises(tmp_path) -> None:
    settings = dict(DEFAULT_CONFIG)
    readers = Readers(settings)
    seen: dict[str, BaseException] = {}
    pelican_internals.record_read_failures(readers, seen.__setitem__)
    (tmp_path / "x.html").write_text("<html><head><title>t</title></head></html>")
    with pytest.raises(Exception) as raised:
        readers.read_file(str(tmp_path), "x.html", context=None, fmt="nope")
    assert seen == {"x.html": raised.value}
    context = {"generated_content": {"a.md": object(), "b.md": None}}
    assert pelican_internals.failed_sources(context) == ["b.md"]


def test_stories_require_a_title_and_a_date_and_pages_a_title() -> None:
    assert Article.mandatory_properties == pelican_internals.MANDATORY_PROPERTIES
    assert Article.mandatory_properties == ("title", "date")
    assert Page.mandatory_properties == ("title",)


def test_generators_and_the_writer_take_the_output_path_after_get_generators() -> None:
    # write_run_into changes output_path in a get_generators receiver.
    run = inspect.getsource(Pelican.run)
    assert run.index("self._get_generator_classes()") > run.index("cls(")  # in one expression
    assert "output_path=self.output_path" in run
    classes = inspect.getsource(Pelican._get_generator_classes)
    assert "signals.get_generators.send(self)" in classes
    assert "self.output_path" in inspect.getsource(Pelican._get_writer)


def test_the_run_is_written_into_another_folder_and_the_asked_one_is_kept() -> None:
    class Instance:
        output_path = "site"

    instance = Instance()
    assert pelican_internals.final_output(instance) == "site"
    pelican_internals.write_run_into(instance, ".site.staging-1")
    assert (instance.output_path, pelican_internals.final_output(instance)) == (
        ".site.staging-1", "site"
    )  # fmt: skip
    pelican_internals.write_run_into(instance, "site")
    assert pelican_internals.final_output(instance) == "site"


def test_pelicans_main_runs_the_instance_attribute() -> None:
    # guard_run replaces `run` on the instance; main must call it through the instance.
    assert "pelican.run()" in inspect.getsource(pelican.main)
    failures: list[BaseException] = []

    class Instance:
        def run(self) -> None:
            raise OSError("disk full")

    instance = Instance()
    pelican_internals.guard_run(instance, OSError, failures.append)
    with pytest.raises(OSError, match="disk full"):
        instance.run()
    assert [str(f) for f in failures] == ["disk full"]


def test_print_settings_makes_pelican_without_running_it() -> None:
    # before_run puts the up-to-date check in the run: --print-settings makes the instance
    # (initialized is sent) and prints, never calling run.
    action = inspect.getsource(pelican.PrintSettings.__call__)
    assert "get_instance(namespace)" in action and ".run(" not in action
    calls: list[str] = []

    class Instance:
        def run(self) -> None:
            calls.append("run")

    instance = Instance()
    pelican_internals.before_run(instance, lambda made: calls.append(type(made).__name__))
    assert calls == []
    instance.run()
    assert calls == ["Instance", "run"]


def test_copy_file_logs_a_failed_copy_with_its_error_and_goes_on(tmp_path) -> None:
    source = inspect.getsource(utils.copy_file)
    assert "except OSError as e:" in source and "logger.warning(" in source
    noted: dict[str, OSError] = {}
    pelican_internals.watch_failed_copies(noted.__setitem__)
    try:
        utils.copy_file(str(tmp_path / "missing.png"), str(tmp_path / "out.png"))
    finally:
        pelican_internals.watch_failed_copies(None)
    assert list(noted) == [str(tmp_path / "out.png")]
    assert isinstance(noted[str(tmp_path / "out.png")], FileNotFoundError)


def _pagination_loop_source() -> str:
    source = inspect.getsource(Writer.write_file)
    return source[
        source.index("        if paginated is None:") : source.index(
            "        else:\n            # no pagination"
        )
    ]


def test_listing_pages_copies_the_pagination_loop_of_this_pelican() -> None:
    # An upgrade that changes the loop fails here: compare it with listing_pages, then
    # update the hash.
    digest = hashlib.sha256(_pagination_loop_source().encode()).hexdigest()
    assert digest == pelican_internals.PAGINATION_LOOP_SHA256


LISTING = (
    "{{ output_file }} {{ articles_page.number }}/{{ articles_paginator.num_pages }} "
    "prev={{ articles_previous_page.number if articles_previous_page }} "
    "next={{ articles_next_page.number if articles_next_page }} "
    "{{ articles_page.object_list | join(',') }} {{ dates_page.object_list | join(',') }} "
    "{{ dates_page.url }} {{ title }}"
)


@pytest.mark.parametrize(
    ("per_page", "kwargs", "paginated"),
    [
        (2, {"articles": list("abcde"), "dates": list("edcba"), "title": "T"}, None),
        (3, {"articles": list("abcdefg"), "dates": list("gfedcba"), "title": "T"}, None),
        (2, {"articles": list("ab"), "dates": list("ab"), "title": "T"}, None),
        (2, {"articles": [], "dates": [], "title": "T"}, None),
        (2, {"title": "T"}, {"articles": list("abc"), "dates": list("cba")}),
    ],
)
def test_listing_pages_gives_the_pages_and_values_pelicans_writer_writes(
    tmp_path: Path, per_page: int, kwargs: dict[str, Any], paginated: dict[str, Any] | None
) -> None:
    settings = read_settings(
        None, override={"DEFAULT_PAGINATION": per_page, "PAGINATED_TEMPLATES": {"index": None}}
    )
    template = Environment(autoescape=True).from_string(LISTING)
    context = {"SITEURL": ""}
    Writer(str(tmp_path / "pelican"), settings=settings).write_file(
        "index.html", template, context, paginated=paginated, template_name="index",
        url="", **kwargs,
    )  # fmt: skip
    pages = pelican_internals.listing_pages(
        settings, "index.html", url="", paginated=paginated, template_name="index", kwargs=kwargs
    )
    assert pages is not None
    ours = tmp_path / "ours"
    for save_as, page_kwargs in pages:  # each page on its own, as the parallel writer does
        Writer(str(ours), settings=settings).write_file(
            save_as, template, context, paginated={}, **page_kwargs
        )
    written = {p.relative_to(tmp_path / "pelican"): p.read_text() for p in
               (tmp_path / "pelican").rglob("*.html")}  # fmt: skip
    assert written == {p.relative_to(ours): p.read_text() for p in ours.rglob("*.html")}
    assert len(written) == max(1, -(-len((paginated or kwargs)["articles"]) // per_page))


def test_a_listing_that_is_not_paginated_is_left_to_pelicans_writer() -> None:
    settings = read_settings(None, override={"PAGINATED_TEMPLATES": {"index": None}})
    assert pelican_internals.listing_pages(
        settings, "x.html", url="", paginated=None, template_name="tag", kwargs={"articles": [1]}
    ) is None  # fmt: skip
    assert pelican_internals.listing_pages(
        settings, "x.html", url="", paginated=None, template_name="index", kwargs={"title": "T"}
    ) is None  # fmt: skip


def test_the_writer_refuses_a_second_write_until_forget_written(tmp_path: Path) -> None:
    settings = read_settings(None)
    writer = Writer(str(tmp_path), settings=settings)
    template = Environment(autoescape=True).from_string("{{ n }}")
    writer.write_file("a.html", template, {}, n=1)
    assert writer._written_files == {str(tmp_path / "a.html")}
    with pytest.raises(RuntimeError, match="already written"):
        writer.write_file("a.html", template, {}, n=2)
    pelican_internals.forget_written(writer)
    writer.write_file("a.html", template, {}, n=2)
    assert (tmp_path / "a.html").read_text() == "2"


def test_content_memoizes_get_content_per_object_and_forget_memoized_drops_it() -> None:
    settings = read_settings(None)
    one = Article("<p>one</p>", metadata={"title": "One"}, settings=settings)
    two = Article("<p>two</p>", metadata={"title": "Two"}, settings=settings)
    assert isinstance(vars(Content)["get_content"], memoized)
    assert isinstance(vars(Content)["get_summary"], memoized)
    assert one.content == "<p>one</p>" and two.content == "<p>two</p>"
    one._content = "<p>edited</p>"
    assert one.content == "<p>one</p>"  # the memoized answer, until it is dropped
    pelican_internals.forget_memoized(one)
    assert one.content == "<p>edited</p>"
    assert two.content == "<p>two</p>"
    cache = vars(Content)["get_content"].cache
    assert any(args[0] is two for args in cache)  # another object's answer stays


def test_generators_read_with_the_signals_read_again_sends() -> None:
    for generator, prefix in ((ArticlesGenerator, "article"), (PagesGenerator, "page")):
        source = inspect.getsource(generator.generate_context)
        assert "self.readers.read_file(" in source, generator
        assert f"preread_signal=signals.{prefix}_generator_preread" in source, generator
        assert f"context_signal=signals.{prefix}_generator_context" in source, generator
        assert "context=self.context" in source, generator
    params = inspect.signature(Readers.read_file).parameters
    assert {"base_path", "path", "content_class", "context", "preread_signal",
            "preread_sender", "context_signal", "context_sender"} <= set(params)  # fmt: skip


def test_readers_keep_their_instances_by_extension() -> None:
    class Holder:
        readers = Readers(read_settings(None))

    assert pelican_internals.markdown_reader(Holder()) is Holder.readers.readers["md"]


def test_tag_category_and_author_pages_test_stories_with_in() -> None:
    # parallel.membership makes this ``in`` a set lookup; a different test would make it
    # pointless (never wrong: Members is a list).
    source = inspect.getsource(ArticlesGenerator.generate_pages)
    source += inspect.getsource(ArticlesGenerator.generate_tags)
    source += inspect.getsource(ArticlesGenerator.generate_categories)
    source += inspect.getsource(ArticlesGenerator.generate_authors)
    assert source.count("for article in self.dates if article in articles") == 3


def test_fork_is_available_where_os_fork_is() -> None:
    assert pelican_internals.can_fork() == hasattr(os, "fork")
    if pelican_internals.can_fork():
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            assert pool.apply(os.getpid) != os.getpid()


def test_generators_render_with_env_made_before_generator_init(tmp_path) -> None:
    """``asset()`` is added at ``generator_init``: the environment must exist by then."""
    source = inspect.getsource(Generator.__init__)
    assert source.index("self.env = Environment(") < source.index("signals.generator_init.send")
    settings = dict(DEFAULT_CONFIG, PATH=str(tmp_path), OUTPUT_PATH=str(tmp_path / "o"))
    generator = Generator(
        context={}, settings=settings, path=str(tmp_path), theme=settings["THEME"],
        output_path=str(tmp_path / "o"),
    )  # fmt: skip
    pelican_internals.add_template_global(generator, "asset", lambda name: f"theme/{name}")
    template = generator.env.from_string("{{ asset('css/site.css') }}")
    assert template.render() == "theme/css/site.css"


def test_initialized_receivers_get_the_settings_dict_that_print_settings_prints() -> None:
    """``culture_hub.declare.apply_settings`` writes defaults into ``pelican.settings``
    at ``initialized``: Pelican must keep the dict itself (no copy) before it sends
    the signal, and ``--print-settings`` must print that dict after making Pelican."""
    import pelican as package  # noqa: PLC0415

    init = inspect.getsource(package.Pelican.__init__)
    assert init.index("self.settings = settings") < init.index("signals.initialized.send(self)")
    instance = inspect.getsource(package.get_instance)
    assert "return cls(settings), settings" in instance
    printing = inspect.getsource(package.PrintSettings.__call__)
    assert "instance, settings = get_instance(namespace)" in printing
    assert printing.index("get_instance") < printing.index("console.print(settings)")
