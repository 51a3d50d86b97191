"""Reading ahead (``parallel/reading.py``): forked workers, results handed over as asked.

The reader here is a stand-in with the one method the workers call
(``read_raw``); the real reader is exercised by every parallel build in the
integration tests, whose output is held byte-identical to a one-process build.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from culture_hub.parallel.reading import CHUNK, start_reading


class Reader:
    """Reads a file as its text, with the reading process's pid; some files misbehave."""

    def read_raw(self, path: str) -> Any:
        name = Path(path).name
        if name.startswith("raise"):
            raise ValueError(f"cannot read {name}")
        if name.startswith("unpicklable"):
            raise _Unpicklable(name)
        if name.startswith("die"):
            os._exit(3)  # a worker killed mid-build
        if name.startswith("slow"):
            time.sleep(0.2)
        return (Path(path).read_text(), os.getpid())


class _Unpicklable(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.handle = lambda: name  # a lambda cannot be pickled


def _files(folder: Path, names: list[str]) -> list[str]:
    for name in names:
        (folder / name).write_text(f"text of {name}")
    return [str(folder / name) for name in names]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_file_is_read_once_by_the_workers_and_handed_over_in_any_order(
    tmp_path: Path, workers: int
) -> None:
    files = _files(tmp_path, [f"story-{n:03}.md" for n in range(5 * CHUNK + 3)])
    stream = start_reading(Reader(), files, workers)  # type: ignore[arg-type]
    asked = files[::-1]  # the last first: everything before it waits in the stream
    results = {path: stream.take(path) for path in asked}
    assert {path: text for path, (text, _) in results.items()} == {
        path: f"text of {Path(path).name}" for path in files
    }
    assert len({pid for _, pid in results.values()}) == workers
    assert os.getpid() not in {pid for _, pid in results.values()}
    assert stream.take(files[0]) is None  # each read is handed over once
    assert stream.take(str(tmp_path / "never-asked.md")) is None
    stream.close()
    assert stream.pipes == {}


def test_a_read_that_raised_in_a_worker_raises_at_its_file(tmp_path: Path) -> None:
    files = _files(tmp_path, ["a.md", "raise.md", "unpicklable.md", "b.md"])
    stream = start_reading(Reader(), files, 2)  # type: ignore[arg-type]
    assert stream.take(files[0])[0] == "text of a.md"
    with pytest.raises(ValueError, match=r"cannot read raise\.md"):
        stream.take(files[1])
    with pytest.raises(RuntimeError, match=r"_Unpicklable: unpicklable\.md"):
        stream.take(files[2])
    assert stream.take(files[3])[0] == "text of b.md"
    stream.close()


def test_a_worker_that_dies_leaves_its_files_to_this_process_in_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Killed from outside (out of memory), a worker's unsent files are read here, as a
    one-process build would: not an error blamed on each of them, and never a hang."""
    names = ["die.md", *(f"other-{n}.md" for n in range(CHUNK * 2 - 1))]
    files = _files(tmp_path, names)
    stream = start_reading(Reader(), files, 2)  # type: ignore[arg-type]
    later = files[CHUNK]  # the second chunk: the other worker's
    assert stream.take(later)[0] == f"text of {Path(later).name}"
    assert stream.take(files[0]) is None  # Pelican reads it itself
    assert [stream.take(path) for path in files[1:CHUNK]] == [None] * (CHUNK - 1)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        f"A process reading the content stopped (exit code 3) before it read {CHUNK} "
        "of its files; the build reads them itself"
    ]
    stream.close()


def test_a_worker_whose_parent_has_gone_leaves_without_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C ends the build: its workers find their pipe closed, and say nothing."""
    files = _files(tmp_path, [f"slow-{n}.md" for n in range(2 * CHUNK)])
    stream = start_reading(Reader(), files, 2)  # type: ignore[arg-type]
    for fd, pid in stream.pipes.items():  # as the parent's exit would
        os.close(fd)
        os.waitpid(pid, 0)
    assert "Traceback" not in capfd.readouterr().err


def test_closing_early_stops_the_workers_and_leaves_no_process(tmp_path: Path) -> None:
    files = _files(tmp_path, [f"slow-{n}.md" for n in range(4 * CHUNK)])
    stream = start_reading(Reader(), files, 2)  # type: ignore[arg-type]
    pids = list(stream.pipes.values())
    stream.take(files[0])
    stream.close()
    for pid in pids:  # killed and waited for: not even a zombie is left
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert stream.take(files[1]) is None
