"""Each assumption ``culture_hub.pelican_internals`` makes about Pelican, checked.

A Pelican upgrade that breaks one fails the test named after it, not the site.
"""

from __future__ import annotations

import inspect

import pelican
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
