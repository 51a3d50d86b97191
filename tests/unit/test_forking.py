"""``run_jobs``: every job runs once, in a forked child or the parent, results in order."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from culture_hub.parallel.forking import (
    ParallelBuildError,
    die_with_parent,
    run_jobs,
)


def _write(folder: Path, n: int) -> None:
    (folder / f"{n}.txt").write_text(f"{n} by {os.getpid()}")


def _observe(job: Callable[[], None]) -> tuple[int, int]:
    job()
    return (job.args[1], os.getpid())  # type: ignore[attr-defined]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_job_runs_once_and_results_come_back_in_order(tmp_path: Path, workers: int) -> None:
    jobs = [partial(_write, tmp_path, n) for n in range(10)]
    results = run_jobs(jobs, workers, _observe, str(tmp_path))  # type: ignore[arg-type]
    assert [n for n, _ in results] == list(range(10))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.txt" for n in range(10))
    pids = {pid for _, pid in results}
    assert len(pids) == min(workers, 10)
    assert os.getpid() in pids  # the parent renders the first share itself
    assert multiprocessing.active_children() == []


def _fail_write(folder: Path, n: int) -> None:
    (folder / "missing" / f"{n}.txt").write_text("x")


@pytest.mark.parametrize("share", [0, 1])
def test_a_failed_write_is_raised_naming_its_file_from_either_share(
    tmp_path: Path, share: int
) -> None:
    jobs = [partial(_write, tmp_path, n) for n in range(4)]
    jobs[share] = partial(_fail_write, tmp_path, share)
    with pytest.raises(OSError) as raised:
        run_jobs(jobs, 2, None, str(tmp_path))
    assert raised.value.filename == str(tmp_path / "missing" / f"{share}.txt")
    assert (tmp_path / f"{1 - share}.txt").is_file()  # the other share ran to its end


def _broken() -> None:
    raise ValueError("a template error")


@pytest.mark.parametrize("share", [0, 1])
def test_any_other_failure_fails_the_run_with_the_traceback_shown(
    tmp_path: Path, share: int, capfd: pytest.CaptureFixture[str]
) -> None:
    jobs: list[Callable[[], None]] = [partial(_write, tmp_path, n) for n in range(4)]
    jobs[share] = _broken
    with pytest.raises(ParallelBuildError, match="1 of 2 page-writing processes failed"):
        run_jobs(jobs, 2, None, str(tmp_path))
    assert "ValueError: a template error" in capfd.readouterr().err


# In a fresh interpreter's main thread (where Python handles signals; a test runner may
# run tests on another thread): a SIGINT sent inside the hold arrives when it ends.
HELD = """
import os, signal, time
from culture_hub.parallel.forking import interrupts_held
arrived = []
try:
    with interrupts_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # a signal not held would be raised here
        arrived.append("still held")
except KeyboardInterrupt:
    print("interrupted after", arrived)
"""


def test_ctrl_c_while_forking_arrives_when_the_forking_is_done() -> None:
    """A SIGINT during ``fork``'s at-fork handlers was lost ("Exception ignored")."""
    done = subprocess.run(
        [sys.executable, "-c", HELD], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.strip() == "interrupted after ['still held']", done.stdout + done.stderr


def test_a_worker_dies_with_the_thread_that_forked_it(tmp_path: Path) -> None:
    """A pool's replacement worker, forked by the pool's own thread, must not outlive it."""
    pid_file = tmp_path / "pid"

    def fork_a_waiting_worker() -> None:
        pid = os.fork()
        if pid == 0:
            die_with_parent()
            written = pid_file.with_suffix(".new")  # whole, or not there at all
            written.write_text(str(os.getpid()))
            written.replace(pid_file)
            time.sleep(60)  # waits for tasks that never come
            os._exit(0)
        while not pid_file.exists():
            time.sleep(0.01)

    thread = threading.Thread(target=fork_a_waiting_worker)
    thread.start()
    thread.join()  # the forking thread has ended
    worker = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, _status = os.waitpid(worker, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
        pytest.fail("the worker outlived the thread that forked it")


def _killed_from_outside() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does


def test_a_child_killed_from_outside_fails_the_run_in_plain_words(tmp_path: Path) -> None:
    """Nothing was printed by a killed child: the error says what happened, as an
    ``OSError`` naming the output, which the build reports in one plain line."""
    jobs: list[Callable[[], None]] = [partial(_write, tmp_path, n) for n in range(4)]
    jobs[1] = _killed_from_outside
    with pytest.raises(OSError, match="page-writing process was stopped by SIGKILL") as raised:
        run_jobs(jobs, 2, None, str(tmp_path))
    assert raised.value.filename == str(tmp_path)


# A build killed from outside (a scheduler's SIGTERM, the kernel's SIGKILL) while its
# children write: the child is told the pid file and sleeps as if rendering on.
ORPHANED = """
import os, signal, sys, time
from pathlib import Path
from culture_hub.parallel.forking import run_jobs

pid_file = Path(sys.argv[1])

def rendering_on():
    aside = pid_file.with_suffix(".part")
    aside.write_text(str(os.getpid()))
    aside.replace(pid_file)
    time.sleep(30)

def parent_job():
    while not pid_file.exists():
        time.sleep(0.01)
    os.kill(os.getpid(), signal.SIGKILL)

run_jobs([parent_job, rendering_on], 2, None, str(pid_file.parent))
"""


def test_a_child_dies_with_a_build_killed_from_outside(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    done = subprocess.run(  # no pipes: an orphan holding them would make this wait for it
        [sys.executable, "-c", ORPHANED, str(pid_file)], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the page-writing child outlived its build")
