"""The places where the culture hub reaches into Pelican beyond its signals.

Each is an assumption about Pelican 4.12 that an upgrade could break; the
tests in ``tests/unit/test_pelican_internals.py`` check every one, so an
upgrade fails a named test instead of the site.

- ``Generator.get_files(paths, exclude, extensions)`` is how every generator
  (articles, pages, static files, and the parallel read-ahead) lists the
  content folder. Pelican walks with ``followlinks=True`` and takes any path a
  ``{static}`` link names, even ``../../etc/passwd``. It is replaced by a
  listing of the build's inventory: only files the content model accounted
  for, never a link, never anything outside the content folder.
- ``Readers.reader_classes`` maps a file extension to a reader class; the
  ``static`` entry reads static files. Every other reader (Pelican's own HTML,
  reStructuredText and Markdown readers) is removed, so content is read only
  through the culture-hub reader. ``Readers.readers`` maps an extension to
  the reader instance (``markdown_reader``: the parallel read-ahead reads with
  the same one in its workers).
- ``Readers.read_file`` is how every generator reads a source file, and a
  generator that fails to make a page of one records it as ``None`` in the
  context's ``generated_content`` (``Generator._add_failed_source_path``)
  and builds on. The failures are read from there
  (``failed_sources``), and each exception on its way out of
  ``read_file`` is kept for its reason (``record_read_failures``), so a
  left-out file is an error at the file, not a log line to scrape.
- ``Pelican.run`` makes its generators with ``output_path=self.output_path``
  after sending ``get_generators``, and its writer and ``finalized``
  receivers read ``self.output_path`` too: pointing it at a staging folder
  in a ``get_generators`` receiver (``write_run_into``) builds the whole
  run there. The folder the user asked for is kept on the instance
  (``final_output``).
- ``Pelican.run`` is looked up on the instance by Pelican's ``main``, so an
  instance attribute wraps it (``guard_run``): a failed write ends in one
  plain line, not Pelican's traceback. The same way, the up-to-date check
  runs when the build runs (``before_run``), not when Pelican is only made:
  ``--print-settings`` makes it (sending ``initialized``) and never runs it.
- ``pelican.utils.copy_file`` catches a failed copy (a full disk) and logs
  a warning with the ``OSError`` as its third argument; the build goes on.
  The copies are checked by their sizes afterwards; the logged error gives
  the reason (``watch_failed_copies``).
- The articles and pages generators call ``read_file`` with ``preread_signal=`` and
  ``context_signal=`` of their own; the live preview
  re-reads an edited file the same way (``read_again``).
- ``Writer.write_file``'s pagination loop is copied by ``listing_pages``: the
  parallel writer makes one job per page of a listing, with the same file
  names and template values (its source is checked by hash).
- ``Writer._written_files`` / ``_overridden_files`` are how Pelican's writer
  refuses to write a file twice; the live preview writes pages again
  (``forget_written``).
- ``pelican.utils.memoized`` keeps ``get_content`` / ``get_summary`` answers
  per object in the descriptor's ``cache``; the live preview gives an object
  new data in place and drops them (``forget_memoized``).
- The tag, category and author pages test each story with ``in`` against a
  list (``parallel.membership`` makes that a set lookup).
- Workers share the build by ``fork`` (``can_fork``): where it is missing the
  build runs in one process.
- ``Generator.env`` is the Jinja environment every template generator renders
  with, made before ``generator_init`` is sent; ``add_template_global`` puts the
  publishing capability's ``asset()`` there (``JINJA_GLOBALS`` is read from the
  settings file, before a plugin can compute the hashed names).
- ``Pelican.settings`` is the very dict ``read_settings`` returned, kept
  before ``initialized`` is sent, and ``--print-settings`` prints that dict
  after Pelican is made: ``culture_hub.declare`` writes every culture-hub
  default into it at ``initialized``, so the defaults are printed and every
  later reader sees them.
"""

from __future__ import annotations

import fnmatch
import logging
import multiprocessing
import os
import posixpath
from collections.abc import Callable
from typing import Any

import pelican
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.paginator import Paginator
from pelican.utils import memoized

from culture_hub.content_model.build import BuildState

SUPPORTED = ("4.12",)
_ORIGINAL_GET_FILES = Generator.get_files


def version_supported() -> bool:
    return any(pelican.__version__.startswith(v) for v in SUPPORTED)


def accounted_files(
    generator: Any,
    paths: str | list[str],
    exclude: list[str] | None = None,
    extensions: Any = None,
) -> set[str]:
    """Pelican's ``get_files``, answered from the build's inventory.

    Same arguments and result: paths relative to the content folder, under
    ``paths`` (folders or single files), minus ``exclude`` and ignored names,
    with an extension ``extensions`` allows (``False``: any).
    """
    state = BuildState.of(generator.settings)
    files = state.inventory.files
    excluded = [posixpath.normpath(e) for e in exclude or ()]
    ignores = generator.settings.get("IGNORE_FILES", [])
    found: set[str] = set()
    for path in [paths] if isinstance(paths, str) else paths:
        prefix = posixpath.normpath(path) if path else ""
        if prefix in files:
            candidates: Any = (prefix,)
        else:
            candidates = (f for f in files if not prefix or f.startswith(prefix + "/"))
        for name in candidates:
            if any(name == e or name.startswith(e + "/") for e in excluded):
                continue
            if any(fnmatch.fnmatch(part, i) for part in name.split("/")[:-1] for i in ignores):
                continue
            if generator._include_path(name, extensions):
                found.add(name)
    return found


def only_our_reader(readers: Any, ours: type, extensions: list[str]) -> None:
    """Leave ``readers`` with the static-file reader and ``ours`` for ``extensions``."""
    static = readers.reader_classes.get("static")
    readers.reader_classes.clear()
    if static is not None:
        readers.reader_classes["static"] = static
    for extension in extensions:
        readers.reader_classes[extension] = ours


def record_read_failures(readers: Any, record: Callable[[str, BaseException], None]) -> None:
    """Call ``record(path, error)`` for each read of ``readers`` that raises (it still raises).

    ``path`` is relative to the content folder, as Pelican records failures.
    """
    read_file = readers.read_file

    def reading(base_path: str, path: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return read_file(base_path, path, *args, **kwargs)
        except Exception as error:
            record(posixpath.normpath(str(path).replace("\\", "/")), error)
            raise

    readers.read_file = reading


def failed_sources(context: dict[str, Any]) -> list[str]:
    """Source files a generator failed to make a page of (relative to the content folder)."""
    return [path for path, made in context.get("generated_content", {}).items() if made is None]


# What Pelican requires of a story (``Content.is_valid``); a page needs a title only.
MANDATORY_PROPERTIES: tuple[str, ...] = tuple(Article.mandatory_properties)


_FINAL_OUTPUT = "_culture_hub_final_output"


def final_output(pelican: Any) -> str:
    """The output folder the user asked for, even while a run writes elsewhere."""
    return getattr(pelican, _FINAL_OUTPUT, pelican.output_path)


def write_run_into(pelican: Any, folder: str) -> None:
    """Make this run (sent at ``get_generators``) write into ``folder``."""
    if not hasattr(pelican, _FINAL_OUTPUT):
        setattr(pelican, _FINAL_OUTPUT, pelican.output_path)
    pelican.output_path = folder


def guard_run(pelican: Any, kind: type[BaseException], on_failure: Callable[[Any], None]) -> None:
    """Call ``on_failure(error)`` when a run of ``pelican`` raises ``kind`` (it may raise)."""
    run = pelican.run

    def guarded_run() -> None:
        try:
            run()
        except kind as error:
            on_failure(error)
            raise

    pelican.run = guarded_run


def before_run(pelican: Any, first: Callable[[Any], None]) -> None:
    """Call ``first(pelican)`` as ``pelican`` starts a run (it may end the process there)."""
    run = pelican.run

    def run_after_first() -> None:
        first(pelican)
        run()

    pelican.run = run_after_first


COPY_LOGGER = "pelican.utils"
COPY_FUNCTION = "copy_file"


class _FailedCopies(logging.Filter):
    """Notes each copy Pelican reports as failed, by target (lets every record through)."""

    def __init__(self) -> None:
        super().__init__()
        self.note: Callable[[str, OSError], None] | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if self.note and record.funcName == COPY_FUNCTION and len(args) == 3:
            _source, target, error = args
            if isinstance(error, OSError):
                self.note(os.path.abspath(str(target)), error)  # noqa: PTH100 - as given
        return True


_COPIES = _FailedCopies()


def watch_failed_copies(note: Callable[[str, OSError], None] | None) -> None:
    """From now on, ``note(absolute target, error)`` for each copy Pelican fails
    (``None``: stop). One run is watched at a time: a build runs one at a time."""
    logger = logging.getLogger(COPY_LOGGER)
    if _COPIES not in logger.filters:
        logger.addFilter(_COPIES)
    _COPIES.note = note


def install() -> None:
    """Make every generator list files through the inventory (idempotent)."""
    Generator.get_files = accounted_files  # type: ignore[method-assign]


def markdown_reader(generator: Any) -> Any:
    """The reader instance this generator reads Markdown files with (``None`` if none)."""
    return generator.readers.readers.get("md")


def read_again(generator: Any, path: str, content_class: type) -> Any:
    """Read ``path`` (relative to the content folder) as the generator read it first:
    same reader, context and signals."""
    prefix = "article" if isinstance(generator, ArticlesGenerator) else "page"
    return generator.readers.read_file(
        base_path=generator.path,
        path=path,
        content_class=content_class,
        context=generator.context,
        preread_signal=getattr(signals, f"{prefix}_generator_preread"),
        preread_sender=generator,
        context_signal=getattr(signals, f"{prefix}_generator_context"),
        context_sender=generator,
    )


def forget_written(writer: Any) -> None:
    """Let ``writer`` write again files it already wrote (the live preview's re-renders)."""
    writer._written_files.clear()
    writer._overridden_files.clear()


def forget_memoized(obj: Any) -> None:
    """Drop the ``memoized`` answers kept for ``obj`` (``get_content``, ``get_summary``)."""
    for klass in type(obj).__mro__:
        for member in vars(klass).values():
            if isinstance(member, memoized):
                for args in [args for args in member.cache if args and args[0] is obj]:
                    del member.cache[args]


def can_fork() -> bool:
    """Whether worker processes can be forked (they inherit the parent's whole build)."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


# sha256 of the pagination part of ``Writer.write_file`` that ``listing_pages`` copies.
PAGINATION_LOOP_SHA256 = "0af5548ee202e230ea5be2bc45b50acea6c38bf9cb2b85964f7d8a16196acdbe"


def listing_pages(
    settings: dict[str, Any],
    name: str,
    *,
    url: str | None,
    paginated: dict[str, Any] | None,
    template_name: str | None,
    kwargs: dict[str, Any],
) -> list[tuple[str, dict[str, Any]]] | None:
    """(file, template values) of each page of a paginated listing; ``None`` if not paginated.

    The same pages and values as ``pelican.writers.Writer.write_file`` makes
    in its pagination loop, so each page can be rendered as a job of its own.
    """
    if paginated is None:
        paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
    if not paginated or template_name not in settings["PAGINATED_TEMPLATES"]:
        return None
    per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
    paginators = {
        key: Paginator(name, url, val, settings, per_page) for key, val in paginated.items()
    }
    pages = []
    for number in range(next(iter(paginators.values())).num_pages):
        page_kwargs = kwargs.copy()
        for key, paginator in paginators.items():
            page = paginator.page(number + 1)
            page_kwargs.update(
                {
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                    f"{key}_next_page": (
                        paginator.page(number + 2) if number + 1 < paginator.num_pages else None
                    ),
                }
            )
        pages.append((page.save_as, page_kwargs))
    return pages


def add_template_global(generator: Any, name: str, value: Any) -> None:
    """Make ``value`` a global of the generator's templates (if it renders any)."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals[name] = value
