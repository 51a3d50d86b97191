"""Run write jobs in forked children, each with the whole build inherited.

The parent keeps every page's render as a job (``writers.DeferredWriter``);
``run_jobs`` forks ``workers - 1`` children that each run every
``workers``-th job and send back what ``observe`` kept about each, through a
pipe, while the parent runs the first share itself (one fork fewer, and no
copy-on-write of the pages its share touches). A failed write comes back as
the ``OSError`` it was, naming its file, so the build reports it as a
one-process build would; any other failure is shown with its traceback and
counted, wherever it happened.

A ``Milestone`` starts other work once the first jobs are done in every
process (the search index, once the pages it reads are written), beside the
jobs still running: each child says so on a pipe of its own, and the parent
starts it between two of its own jobs.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from culture_hub.atomic_output.failures import with_file

Observe = Callable[[Callable[[], None]], Any]
"""Runs one job and returns what to keep about it (picklable): the live preview's
dependency tracker. Without one, a job is simply called."""


@dataclass(frozen=True)
class ContentFree:
    """A write job whose output no story, thought piece or page has a say in.

    The live preview cannot see what a job written in Python reads, so it
    runs every such job again after each edit in place; a picture's copies
    would be copied again at every save, hundreds of files on a large site.
    A job wrapped in this is never run again in place: whatever could change
    its output (the picture, another ``image``) makes a full rebuild.
    """

    job: Callable[[], None]

    def __call__(self) -> None:
        self.job()


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C waits while processes are forked, and arrives when the block ends.

    A SIGINT that lands while ``fork`` runs its at-fork handlers (``logging``
    registers some) is printed as "Exception ignored" and lost: the build went
    on. Held, it is raised at a known point, where the build stops cleanly.
    The children inherit the hold: the parent stops them, so a Ctrl-C at the
    terminal reaches the parent alone, not a traceback from every child.
    """
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows, which does not fork
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def die_with_parent() -> None:
    """In a forked worker: be killed when the thread that forked it ends (Linux).

    A worker pool replaces workers that exit from a thread of its own; one it
    starts while the build is ending (an interrupted build) would otherwise
    wait for tasks for ever, an orphan holding the build's output pipes.
    """
    with contextlib.suppress(ValueError):  # not the build's clean stop (``Terminated``): go
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own clean-up must do
        return


PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class ParallelBuildError(RuntimeError):
    """A worker process failed; its traceback was printed."""


@dataclass(frozen=True)
class Milestone:
    """Call ``start`` (in the parent) once ``jobs[:count]`` are done in every process."""

    count: int
    start: Callable[[], None]


def call(job: Callable[[], None]) -> None:
    job()


def run_jobs(
    jobs: list[Callable[[], None]],
    workers: int,
    observe: Observe | None,
    output_path: str,
    milestone: Milestone | None = None,
) -> list[Any]:
    """Run every job, ``workers`` at a time; ``observe``'s result for each, in order."""
    run = observe or call
    reached = milestone or Milestone(0, _started)
    if workers < 2:
        results = [run(job) for job in jobs[: reached.count]]
        reached.start()
        return results + [run(job) for job in jobs[reached.count :]]
    children: list[tuple[int, int]] = []
    signals: list[int] = []  # read ends: a child's first jobs are done when it closes its end
    gc.freeze()  # as for the read pool: the children's collectors skip the whole context
    try:
        with interrupts_held():
            for share in range(1, workers):
                read_end, write_end = os.pipe()
                signal_read, signal_write = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: never returns
                    for fd in (read_end, signal_read, *signals):
                        os.close(fd)
                    mine = _Share.of(jobs, share, workers, reached.count)
                    _child(mine, run, write_end, output_path, signal_write)
                os.close(write_end)
                os.close(signal_write)
                children.append((pid, read_end))
                signals.append(signal_read)
    except BaseException:  # a fork failed, or Ctrl-C came meanwhile: the children go too
        _close(signals)
        _stop(children)
        raise
    finally:
        gc.unfreeze()
    try:
        mine = _Share.of(jobs, 0, workers, reached.count)
        own = _run_share(mine, run, output_path, _Waiting(signals, reached.start))
    except BaseException:  # interrupted: the children's work is of no use now
        _close(signals)
        _stop(children)
        raise
    return _gather(own, children, len(jobs), workers, output_path)


@dataclass(frozen=True)
class _Share:
    """One process's jobs, every ``workers``-th from ``share``: ``first`` come before
    the milestone, ``rest`` after."""

    first: list[Callable[[], None]]
    rest: list[Callable[[], None]]

    @classmethod
    def of(cls, jobs: list[Callable[[], None]], share: int, workers: int, count: int) -> _Share:
        mine = jobs[share::workers]
        first = jobs[share:count:workers]
        return cls(first, mine[len(first) :])


class _Waiting:
    """The parent's side of a milestone: the children's pipes, and what to start.

    Checked after each of the parent's own jobs once its first ones are done
    (never blocking), and waited for when its share is done."""

    def __init__(self, signals: list[int], start: Callable[[], None]) -> None:
        self.signals = signals
        self.start = start

    def first_done(self) -> None:
        self._check(wait=False)

    def between(self) -> None:
        self._check(wait=False)

    def end(self) -> None:
        self._check(wait=True)

    def _check(self, wait: bool) -> None:
        """Start once every child has closed its pipe."""
        while self.signals:
            ready, _, _ = select.select(self.signals, [], [], None if wait else 0)
            if not ready:
                return
            for fd in ready:
                if not os.read(fd, 1):  # closed: that child's first jobs are done
                    os.close(fd)
                    self.signals.remove(fd)
        self.start()
        self.start = _started


class _Signalling:
    """A child's side: its pipe is closed when its first jobs are done (or it exits)."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def first_done(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def between(self) -> None:
        """Nothing to do between a child's jobs."""

    def end(self) -> None:
        self.first_done()


def _started() -> None:
    """A milestone already reached."""


def _close(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)
    fds.clear()


def _stop(children: list[tuple[int, int]]) -> None:
    for pid, read_end in children:
        os.close(read_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _run_share(share: _Share, run: Observe, output: str, milestone: _Waiting | _Signalling) -> Any:
    """One share's results; the ``OSError`` a write failed with (naming its file), or
    ``None`` if it failed otherwise (the traceback is printed)."""
    try:
        results = [run(job) for job in share.first]
        milestone.first_done()
        for job in share.rest:
            results.append(run(job))
            milestone.between()
        milestone.end()
        return results
    except OSError as error:  # a failed write: raised again once every share is in
        return with_file(error, [output])
    except Exception:
        traceback.print_exc()
        return None


def _child(share: _Share, run: Observe, pipe_end: int, output: str, signal_end: int) -> None:
    """Run this child's share, send the results, and leave at once.

    Killed with the build (``die_with_parent``): a build stopped by a scheduler's
    SIGTERM or the kernel's SIGKILL leaves no child writing pages on into a
    folder nobody will publish, and none printing a traceback when it finds
    the build gone."""
    code = 0
    try:
        die_with_parent()
        results = _run_share(share, run, output, _Signalling(signal_end))
        if results is None:
            code = 1
        with os.fdopen(pipe_end, "wb") as pipe:
            pickle.dump(results, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:  # the build has gone: nothing to say
        code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _gather(
    own: Any, children: list[tuple[int, int]], count: int, workers: int, output: str
) -> list[Any]:
    """Every share's results (the parent's own first), back in job order; the first
    failure raised.

    A child killed from outside (out of memory: the kernel's SIGKILL) printed
    nothing; its end is an ``OSError`` in plain words naming the output, which
    the build reports in one line, as it does a failed write."""
    shares = [own]
    errors: list[OSError] = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:  # read to the end first: a full pipe blocks
            data = pipe.read()
        status = os.waitpid(pid, 0)[1]
        if os.WIFSIGNALED(status):
            errors.append(_killed(os.WTERMSIG(status), output))
        done = status == 0 and data
        shares.append(pickle.loads(data) if done else None)  # our own child's data
    merged: list[Any] = [None] * count
    failed = 0
    for share, shared in enumerate(shares):
        if shared is None:
            failed += 1
            continue
        if isinstance(shared, OSError):
            errors.append(shared)
            continue
        merged[share::workers] = shared
    if errors:  # as a one-process build would: the build reports it in plain words
        raise errors[0]
    if failed:
        raise ParallelBuildError(f"{failed} of {workers} page-writing processes failed")
    return merged


def _killed(number: int, output: str) -> OSError:
    """A page-writing child's death by signal ``number``, as the build reports it."""
    name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
    return OSError(
        None,
        f"a page-writing process was stopped by {name} before it finished, perhaps by "
        "the system for want of memory (build again; BUILD_WORKERS=1 uses the least)",
        output,
    )
