"""Each assumption ``culture_hub.pelican_internals`` makes about Pelican, checked.

A Pelican upgrade that breaks one fails the test named after it, not the site.
"""

from __future__ import annotations

import inspect

import pelican
import pytest
from pelican import Pelican, utils
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, StaticGenerator
from pelican.readers import BaseReader, Readers
from pelican.settings import DEFAULT_CONFIG

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
