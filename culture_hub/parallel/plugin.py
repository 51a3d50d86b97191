"""Use every core: read files in worker processes, render pages in forked children.

Reading: when the articles and pages generators are created, the Markdown
files they will ask for start being read by a pool of forked workers (the
same ``CultureReader.read_raw``); Pelican gets each result as it arrives,
making content objects of the first files while the workers read the rest.

Rendering: the writer records every page Pelican asks for instead of writing
it; when the build is finalized (before search indexing and the atomic swap,
which come later in ``culture_hub.CAPABILITIES``), forked children, each with the whole
context inherited, render their share. Output is byte-identical to a
single-process build (a test compares them).
"""

from __future__ import annotations

import enum
import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.paginator import Paginator
from pelican.writers import Writer

from culture_hub.atomic_output.failures import with_file
from culture_hub.content_model.addresses import Claim, settle
from culture_hub.content_model.build import BuildState, source_key
from culture_hub.content_model.reader import CultureReader
from culture_hub.declare import value

from .membership import index_memberships
from .settings import ParallelSettings

_READER: CultureReader | None = None  # set just before forking the read pool


def _read_one(path: str) -> Any:
    assert _READER is not None
    return _READER.read_raw(path)


def _naming_its_file(error: OSError, output: str) -> OSError:
    """``error`` naming the file it failed on, found from its traceback, which stays
    in the child."""
    return with_file(error, [output])


class ParallelBuildError(RuntimeError):
    """A worker process failed; its traceback was printed."""


class ReadStream:
    """Reads done by a worker pool, handed over as Pelican asks for each file.

    Results arrive in file order while Pelican is still making content
    objects of the earlier ones, so the parent's work overlaps the reading.
    """

    def __init__(self, pool: Any, files: list[str], chunk: int) -> None:
        self.pool = pool
        self.pending = set(files)
        self.ready: dict[str, Any] = {}
        self.closed = False
        self.results = iter(zip(files, pool.imap(_read_one, files, chunksize=chunk), strict=True))

    def take(self, path: str) -> Any | None:
        """The read of ``path`` (waiting for it if needed), or ``None`` if not read here."""
        if path in self.ready:
            return self.ready.pop(path)
        if path not in self.pending or self.closed:
            return None
        for name, result in self.results:
            self.pending.discard(name)
            if name == path:
                return result
            self.ready[name] = result
        return None

    def close(self) -> None:
        """Stop the workers (all results are in, or the build no longer needs them)."""
        self.closed = True
        self.pool.terminate()
        self.pool.join()


def read_ahead(generator: Any) -> None:
    """Start reading this generator's Markdown files in worker processes."""
    global _READER  # noqa: PLW0603 - the fork hands it to the workers
    config = ParallelSettings.from_settings(generator.settings)
    reader = generator.readers.readers.get("md")
    if config.workers < 2 or not isinstance(reader, CultureReader):
        return
    paths_key = "ARTICLE_PATHS" if hasattr(generator, "articles") else "PAGE_PATHS"
    exclude_key = "ARTICLE_EXCLUDES" if paths_key == "ARTICLE_PATHS" else "PAGE_EXCLUDES"
    files = [
        source_key(f"{generator.path}/{name}")
        for name in generator.get_files(
            generator.settings[paths_key], exclude=generator.settings[exclude_key]
        )
        if name.endswith(tuple(f".{ext}" for ext in CultureReader.file_extensions))
    ]
    if len(files) < config.min_files:
        return
    state = BuildState.of(generator.settings)
    state.site  # noqa: B018 - load the registry once, before the fork shares it
    _READER = reader
    gc.freeze()  # the workers' collectors leave the inherited objects alone (and unshared)
    try:
        pool = multiprocessing.get_context("fork").Pool(config.workers)
    finally:
        _READER = None
        gc.unfreeze()
    stream = ReadStream(pool, files, chunk=max(1, len(files) // (config.workers * 16)))
    state.prereaders.append(stream.take)
    _Streams.open.setdefault(id(generator), []).append(stream)


class _Streams:
    """Read streams still open, by generator (closed when its context is complete)."""

    open: ClassVar[dict[int, list[ReadStream]]] = {}


def close_streams(generator: Any) -> None:
    for stream in _Streams.open.pop(id(generator), []):
        stream.close()


Observe = Callable[[Callable[[], None]], Any]
"""Runs one job and returns what to keep about it (picklable): the live preview's
dependency tracker. Without one, a job is simply called."""


def _call(job: Callable[[], None]) -> None:
    job()


def _nothing() -> None:
    """A recorded page that another page took the file of."""


class Decision(enum.Enum):
    WRITE = "write"
    SKIP = "skip"  # another page keeps the file
    REPLACE = "replace"  # this page takes the file over from the one before


@dataclass(frozen=True)
class PageWrite:
    """The arguments of one ``Writer.write_file`` call."""

    name: str
    template: Any
    context: dict[str, Any]
    relative_urls: bool
    paginated: dict[str, Any] | None
    template_name: str | None
    override_output: bool
    url: str | None
    kwargs: dict[str, Any]


class ClaimingWriter(Writer):
    """Pelican's writer, except that each file is first claimed for one page.

    A story or page at the address of another, or of one of the site's own
    pages, is reported at its file and left out (``content_model.addresses``),
    rather than ending the build in Pelican's traceback or, with forked
    writers, silently replacing the other page.
    """

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.claims: dict[str, Claim] = {}

    def claim(self, name: str, template: Any, kwargs: dict[str, Any]) -> Decision:
        new = Claim.of(name, template, kwargs)
        first = self.claims.setdefault(name, new)
        settled = None if first is new else settle(first, new)
        if settled is None:  # the first claim, or Pelican's own writer's business
            return Decision.WRITE
        first_keeps, problem = settled
        BuildState.of(self.settings).report([problem])
        if first_keeps:
            return Decision.SKIP
        self.claims[name] = new
        return Decision.REPLACE

    def write_file(  # noqa: PLR0917 - Pelican's own signature
        self,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, Any] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        decision = Decision.WRITE
        if name and not override_output:  # an explicit save_as override is Pelican's rule
            decision = self.claim(name, template, kwargs)
        if decision is not Decision.SKIP:
            page = PageWrite(name, template, context, relative_urls, paginated, template_name,
                             override_output, url, kwargs)  # fmt: skip
            self.write_claimed(page, replace=decision is Decision.REPLACE)

    def write_claimed(self, page: PageWrite, *, replace: bool) -> None:
        """Write the page now, as Pelican does (over the page before it, if ``replace``)."""
        Writer.write_file(
            self, page.name, page.template, page.context, relative_urls=page.relative_urls,
            paginated=page.paginated, template_name=page.template_name,
            override_output=page.override_output or replace, url=page.url, **page.kwargs,
        )  # fmt: skip


class DeferredWriter(ClaimingWriter):
    """Records page writes; ``flush`` renders them in forked children."""

    active: ClassVar[dict[int, DeferredWriter]] = {}
    # The writer of each settings' last finished run (the live preview re-runs its jobs).
    finished: ClassVar[dict[int, DeferredWriter]] = {}
    observers: ClassVar[dict[int, Observe]] = {}

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.jobs: list[Callable[[], None]] = []
        self.done: list[Callable[[], None]] = []
        self.results: list[Any] = []
        self.job_of: dict[str, int] = {}  # which job writes a claimed file
        DeferredWriter.active[id(settings)] = self

    def write_claimed(self, page: PageWrite, *, replace: bool) -> None:
        """Record the page, or each page of a paginated listing as a job of its own.

        One job per listing page lets the children share a long listing (the
        stories index has hundreds of pages) and the live preview re-render
        only the page of a listing that shows an edited story.
        """
        if replace:  # the page before gives way: its job does nothing now
            self.jobs[self.job_of[page.name]] = _nothing
        self.job_of[page.name] = len(self.jobs)
        write = partial(Writer.write_file, self, template=page.template, context=page.context,
                        relative_urls=page.relative_urls,
                        override_output=page.override_output)  # fmt: skip
        pages = listing_pages(
            self.settings, page.name, url=page.url, paginated=page.paginated,
            template_name=page.template_name, kwargs=page.kwargs,
        )  # fmt: skip
        if pages is None:
            self.jobs.append(partial(write, page.name, paginated=page.paginated,
                                     template_name=page.template_name, url=page.url,
                                     **page.kwargs))  # fmt: skip
            return
        for save_as, page_kwargs in pages:  # an empty ``paginated``: write just this page
            self.jobs.append(partial(write, save_as, paginated={}, **page_kwargs))

    def defer(self, job: Callable[[], None]) -> None:
        """Other output (feeds) rendered by the same children: any call that only writes files."""
        self.jobs.append(job)

    def flush(self, workers: int, observe: Observe | None = None) -> list[Any]:
        """Run every recorded job, ``workers`` at a time; ``observe``'s result for each, in order.

        One worker runs them here; more fork children that each take every
        ``workers``-th job and send their results back through a pipe.
        """
        jobs, self.jobs = self.jobs, []
        self.done = jobs
        run = observe or _call
        if workers < 2:
            return [run(job) for job in jobs]
        children: list[tuple[int, int]] = []
        gc.freeze()  # as for the read pool: the children's collectors skip the whole context
        for share in range(workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: render every workers-th page, then leave at once
                os.close(read_end)
                code = 0
                try:
                    try:
                        results: Any = {i: run(jobs[i]) for i in range(share, len(jobs), workers)}
                    except OSError as error:  # a failed write: the parent raises it again
                        results = _naming_its_file(error, self.output_path)
                    with os.fdopen(write_end, "wb") as pipe:
                        pickle.dump(results, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            os.close(write_end)
            children.append((pid, read_end))
        gc.unfreeze()
        merged: dict[int, Any] = {}
        failed = 0
        errors: list[OSError] = []
        for pid, read_end in children:  # read to the end first: a full pipe blocks its child
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            if os.waitpid(pid, 0)[1] != 0 or not data:
                failed += 1
                continue
            shared = pickle.loads(data)  # our own child's data
            if isinstance(shared, OSError):
                errors.append(shared)
                continue
            merged.update(shared)
        if errors:  # as a one-process build would: the build reports it in plain words
            raise errors[0]
        if failed:
            raise ParallelBuildError(f"{failed} of {workers} page-writing processes failed")
        return [merged[i] for i in range(len(jobs))]


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
    in its pagination loop (a test compares the output with Pelican's writer).
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


def tune_collector(pelican: Any) -> None:
    """Sent when Pelican starts: collect garbage less often during the build."""
    gc.set_threshold(*ParallelSettings.from_settings(pelican.settings).gc_threshold)


def writer_class(pelican: Any) -> type[Writer] | None:
    config = ParallelSettings.from_settings(pelican.settings)
    keep = value(pelican.settings, "LIVE_PREVIEW")  # the live preview re-runs the jobs
    return DeferredWriter if config.workers > 1 or keep else ClaimingWriter


def flush(pelican: Any) -> None:
    key = id(pelican.settings)
    writer = DeferredWriter.active.pop(key, None)
    if writer is not None:
        workers = ParallelSettings.from_settings(pelican.settings).workers
        observe = DeferredWriter.observers.get(key)
        writer.results = writer.flush(workers, observe)
        if observe is not None:
            DeferredWriter.finished[key] = writer


def fast_memberships(generators: list[Any]) -> None:
    """Sent when every generator has its context: make Pelican's ``story in tag`` cheap."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            index_memberships(generator)


def register() -> None:
    signals.initialized.connect(tune_collector)
    signals.all_generators_finalized.connect(fast_memberships)
    signals.article_generator_init.connect(read_ahead)
    signals.page_generator_init.connect(read_ahead)
    signals.article_generator_finalized.connect(close_streams)
    signals.page_generator_finalized.connect(close_streams)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(flush)
