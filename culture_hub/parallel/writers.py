"""The parallel capability's writers: each file claimed for one page; pages kept as jobs.

``ClaimingWriter`` is Pelican's writer, except that a story or page at the
address of another is reported at its file and left out
(``content_model.addresses``). ``DeferredWriter`` records each page (each
page of a listing on its own) as a job instead of writing it; the jobs run
at ``finalized``, in forked children (``forking.run_jobs``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from pelican.writers import Writer

from culture_hub.content_model.addresses import Claim, reserved, settle
from culture_hub.content_model.build import BuildState
from culture_hub.pelican_internals import listing_pages

from .forking import Observe, run_jobs
from .state import ParallelRun


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
    pages, is reported at its file and left out, rather than ending the build
    in Pelican's traceback or, with forked writers, silently replacing the
    other page.
    """

    def __init__(self, output_path: str, settings: MutableMapping[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.claims: dict[str, Claim] = {}

    def claim(self, name: str, template: Any, kwargs: dict[str, Any]) -> Decision:
        new = Claim.of(name, template, kwargs)
        taken = reserved(new)
        if taken is not None:  # where the search index goes: it would replace the page
            BuildState.of(self.settings).report([taken])
            return Decision.SKIP
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
    """Records page writes as jobs; ``flush`` runs them (in forked children).

    The run's writer (``ParallelRun.writer``): the live preview re-runs its
    ``done`` jobs, whose ``results`` say what each page read.
    """

    def __init__(self, output_path: str, settings: MutableMapping[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.jobs: list[Callable[[], None]] = []
        self.done: list[Callable[[], None]] = []
        self.results: list[Any] = []
        self.job_of: dict[str, int] = {}  # which job writes a claimed file
        ParallelRun.of(settings).writer = self

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
        """Other output (feeds, pictures) written by the same children: any call that only
        writes files. Wrap a job in ``ContentFree`` when no content can change what it writes."""
        self.jobs.append(job)

    def flush(self, workers: int, observe: Observe | None = None) -> None:
        """Run every recorded job, ``workers`` at a time; keep ``observe``'s result for each."""
        if self.done and not self.jobs:  # flushed already: keep what the jobs read
            return
        jobs, self.jobs = self.jobs, []
        self.done = jobs
        self.results = run_jobs(jobs, workers, observe, self.output_path)
