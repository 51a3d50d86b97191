"""Every write is checked: a build that cannot write fails in one plain line, and the
last good site stays byte for byte.

The disk really fills up: each test mounts a small tmpfs as the output's
parent folder (root only; CI runs as root, where a test that cannot mount
fails rather than skips), builds a good site, shrinks the disk so that the
next build fits only in part, and builds again. Also a read-only disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FIXTURES, Build, build_site

KB = 1024


@dataclass
class Disk:
    """A tmpfs mounted at ``path``, which can be resized or made read-only."""

    path: Path

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def used(self) -> int:
        stats = os.statvfs(self.path)
        return (stats.f_blocks - stats.f_bfree) * stats.f_frsize

    def leave_free(self, size: int) -> None:
        """Shrink the disk to what it holds now and ``size`` bytes more."""
        self.remount(f"size={(self.used() + size) // KB}k")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        why = f"cannot mount a tmpfs to fill up ({done.stderr.strip()}); run as root"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    try:
        yield Disk(mount)
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def allocated(paths: Iterator[Path]) -> int:
    """Bytes the files take on the disk (whole blocks)."""
    return sum(path.stat().st_blocks * 512 for path in paths if path.is_file())


def index_and_rest(output: Path) -> tuple[int, int]:
    """Bytes of the search index (every ``pagefind*`` folder) and of the rest of the site."""
    index = allocated(p for folder in output.glob("pagefind*") for p in folder.rglob("*"))
    return index, allocated(output.rglob("*")) - index


def assert_failed_cleanly(result: Build, before: dict[str, str], *expected: str) -> str:
    """Exit 1, one plain line saying what could not be written, no traceback, the last
    good output as it was and nothing left beside it. Returns the line."""
    assert result.returncode == 1, result.log
    lines = [line for line in result.stderr.splitlines() if line.startswith("The build could not")]
    assert len(lines) == 1, result.log
    for words in expected:
        assert words in lines[0], lines[0]
    assert "Traceback" not in result.log
    assert snapshot(result.output) == before
    beside = sorted(p.name for p in result.output.parent.iterdir() if p != result.output)
    assert beside == [], beside
    return lines[0]


def good_site(tmp_path: Path, disk: Disk, **settings: object) -> tuple[Path, dict[str, str]]:
    """The basic site built into the disk: its content folder and a snapshot of the output."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(FIXTURES / "basic", content)
    good = build_site(content, disk.path / "output", cwd=tmp_path, **settings)
    assert good.returncode == 0, good.log
    return content, snapshot(good.output)


FULL = "No space left on device"
NOT_PUBLISHED = "nothing was published (free some space and build again)."


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_that_do_not_fit_fail_the_build(tmp_path: Path, disk: Disk, workers: int) -> None:
    """Pelican's writer in this process, or the forked page writers."""
    settings = {"SKIP_UNCHANGED_BUILD": False, "BUILD_WORKERS": workers, "PARALLEL_MIN_FILES": 1}
    content, before = good_site(tmp_path, disk, **settings)
    disk.leave_free(48 * KB)
    result = build_site(content, disk.path / "output", cwd=tmp_path, **settings)
    line = assert_failed_cleanly(result, before, "The build could not write disk/output/", FULL)
    assert line.endswith(NOT_PUBLISHED)


def test_a_static_file_that_does_not_fit_fails_the_build(tmp_path: Path, disk: Disk) -> None:
    """Pelican catches a failed copy and only warns: the copies are checked before the swap."""
    from PIL import Image  # noqa: PLC0415 - only this test draws a picture

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    picture = content / "images" / "box.png"
    Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(picture)  # ~1 MB
    settings = {"SKIP_UNCHANGED_BUILD": False, "SEARCH_INDEX": False, "BUILD_WORKERS": 1}
    content, before = good_site(tmp_path, disk, **settings)
    size = picture.stat().st_size
    _, rest = index_and_rest(disk.path / "output")
    disk.leave_free(rest - size + size // 2)
    result = build_site(content, disk.path / "output", cwd=tmp_path, **settings)
    line = assert_failed_cleanly(result, before, "could not write disk/output/images/box.png", FULL)
    assert line.endswith(NOT_PUBLISHED)


def test_a_read_only_disk_fails_the_build(tmp_path: Path, disk: Disk) -> None:
    content, before = good_site(tmp_path, disk, SKIP_UNCHANGED_BUILD=False)
    disk.remount("ro")
    result = build_site(content, disk.path / "output", cwd=tmp_path, SKIP_UNCHANGED_BUILD=False)
    assert_failed_cleanly(
        result, before, "The build could not write disk/output", "Read-only file system",
        "nothing was published (the disk is read-only; choose an output folder you can write to)",
    )  # fmt: skip
