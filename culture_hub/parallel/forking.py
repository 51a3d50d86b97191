"""Run write jobs in forked children, each with the whole build inherited.

The parent keeps every page's render as a job (``writers.DeferredWriter``);
``run_jobs`` forks ``workers - 1`` children that each run every
``workers``-th job and send back what ``observe`` kept about each, through a
pipe, while the parent runs the first share itself (one fork fewer, and no
copy-on-write of the pages its share touches). A failed write comes back as
the ``OSError`` it was, naming its file, so the build reports it as a
one-process build would; any other failure is shown with its traceback and
counted, wherever it happened.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

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


def call(job: Callable[[], None]) -> None:
    job()


def run_jobs(
    jobs: list[Callable[[], None]], workers: int, observe: Observe | None, output_path: str
) -> list[Any]:
    """Run every job, ``workers`` at a time; ``observe``'s result for each, in order."""
    run = observe or call
    if workers < 2:
        return [run(job) for job in jobs]
    children: list[tuple[int, int]] = []
    gc.freeze()  # as for the read pool: the children's collectors skip the whole context
    try:
        with interrupts_held():
            for share in range(1, workers):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: never returns
                    os.close(read_end)
                    _child(jobs[share::workers], run, write_end, output_path)
                os.close(write_end)
                children.append((pid, read_end))
    except BaseException:  # a fork failed, or Ctrl-C came meanwhile: the children go too
        _stop(children)
        raise
    finally:
        gc.unfreeze()
    try:
        own = _run_share(jobs[0::workers], run, output_path)
    except BaseException:  # interrupted: the children's work is of no use now
        _stop(children)
        raise
    return _gather(own, children, len(jobs), workers, output_path)


def _stop(children: list[tuple[int, int]]) -> None:
    for pid, read_end in children:
        os.close(read_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _run_share(jobs: list[Callable[[], None]], run: Observe, output: str) -> Any:
    """One share's results; the ``OSError`` a write failed with (naming its file), or
    ``None`` if it failed otherwise (the traceback is printed)."""
    try:
        return [run(job) for job in jobs]
    except OSError as error:  # a failed write: raised again once every share is in
        return with_file(error, [output])
    except Exception:
        traceback.print_exc()
        return None


def _child(jobs: list[Callable[[], None]], run: Observe, pipe_end: int, output: str) -> None:
    """Run this child's share, send the results, and leave at once.

    Killed with the build (``die_with_parent``): a build stopped by a scheduler's
    SIGTERM or the kernel's SIGKILL leaves no child writing pages on into a
    folder nobody will publish, and none printing a traceback when it finds
    the build gone."""

    def share() -> int:
        die_with_parent()
        results = _run_share(jobs, run, output)
        with os.fdopen(pipe_end, "wb") as pipe:
            pickle.dump(results, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        return 1 if results is None else 0

    run_and_leave(share)


def run_and_leave(work: Callable[[], int]) -> NoReturn:
    """In a forked process: run ``work`` and leave at once with the code it returns.

    Never returns to the build's code it inherited. A failure leaves with 1,
    its traceback shown, unless the build has gone (a broken pipe: nothing to
    say); output is flushed first, as ``os._exit`` does not."""
    code = 1
    try:
        code = work()
    except BrokenPipeError:  # the build has gone (Ctrl-C, a failed build)
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
