"""Every write is checked: a build that cannot write fails in one plain line, and the
last good site stays byte for byte.

The disk really fills up: each test mounts a small tmpfs as the output's
parent folder (root only; CI runs as root, where a test that cannot mount
fails rather than skips), builds a good site, shrinks the disk so that the
next build fits only in part, and builds again. Also a read-only disk and a
file-size limit (``ulimit -f``). Then Pagefind's output is damaged on
purpose, file by file, to show that the check after Pagefind finds each.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, Build, build_site
from pagefind_bin import get_executable

from culture_hub.search.index import pagefind_failure
from culture_hub.search.verify import Assets, IncompleteIndex, decode_cbor, verify_bundle

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


@pytest.mark.parametrize("parts", [False, True], ids=["one-index", "in-parts"])
def test_a_search_index_that_does_not_fit_fails_the_build(
    tmp_path: Path, disk: Disk, parts: bool
) -> None:
    """Pagefind exits 0 on a full disk, leaving short files: the check after it fails the build."""
    settings = {"SKIP_UNCHANGED_BUILD": False, "SEARCH_PAGES_PER_INDEX": 2 if parts else 600}
    content, before = good_site(tmp_path, disk, **settings)
    index, rest = index_and_rest(disk.path / "output")
    disk.leave_free(rest + index // 2)  # the new pages fit, their index does not
    result = build_site(content, disk.path / "output", cwd=tmp_path, **settings)
    line = assert_failed_cleanly(result, before, "could not write disk/output/pagefind", FULL)
    assert line.endswith(NOT_PUBLISHED)


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_that_do_not_fit_fail_the_build(tmp_path: Path, disk: Disk, workers: int) -> None:
    """Pelican's writer in this process, or the forked page writers."""
    settings = {"SKIP_UNCHANGED_BUILD": False, "BUILD_WORKERS": workers, "PARALLEL_MIN_FILES": 1}
    content, before = good_site(tmp_path, disk, **settings)
    disk.leave_free(48 * KB)
    result = build_site(content, disk.path / "output", cwd=tmp_path, **settings)
    line = assert_failed_cleanly(result, before, "The build could not write disk/output/", FULL)
    assert line.endswith(NOT_PUBLISHED)


def test_a_dev_build_that_does_not_fit_says_its_site_is_incomplete(
    tmp_path: Path, disk: Disk
) -> None:
    """No atomic swap in the dev build: the message says what is left, still in one line."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    disk.leave_free(48 * KB)
    result = build_site(content, disk.path / "dev", settings="pelicanconf.py", cwd=tmp_path)
    assert result.returncode == 1, result.log
    lines = [line for line in result.stderr.splitlines() if line.startswith("The build could not")]
    assert len(lines) == 1, result.log
    assert lines[0].startswith("The build could not write disk/dev/")
    assert lines[0].endswith(
        f"{FULL}; the site in disk/dev is incomplete (free some space and build again)."
    )
    assert "Traceback" not in result.log


def test_a_static_file_that_does_not_fit_fails_the_build(tmp_path: Path, disk: Disk) -> None:
    """Pelican catches a failed copy and only warns: the copies are checked before the swap."""
    from PIL import Image  # noqa: PLC0415 - only this test draws a picture

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    picture = content / "images" / "box.png"
    Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(picture)  # ~1 MB
    # Pelican's own copy of the picture is the subject: no responsive variants beside it.
    settings = {"SKIP_UNCHANGED_BUILD": False, "SEARCH_INDEX": False, "BUILD_WORKERS": 1,
                "RESPONSIVE_IMAGES": False}  # fmt: skip
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


def test_a_file_size_limit_that_stops_pagefind_fails_the_build(tmp_path: Path) -> None:
    """``ulimit -f``: Pagefind, writing a file over the limit, is killed by SIGXFSZ."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    output = tmp_path / "site" / "output"
    good = build_site(content, output, cwd=tmp_path, SKIP_UNCHANGED_BUILD=False)
    assert good.returncode == 0, good.log
    before = snapshot(output)
    largest = max(p.stat().st_size for p in output.rglob("*") if p.is_file())
    pages = max(p.stat().st_size for p in output.rglob("*.html"))
    limit = (pages + largest) // 2  # every page is below it, Pagefind's largest script above

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "publishconf.py"),
         "-o", str(output), "--log-handler", "plain", "-e", "SKIP_UNCHANGED_BUILD=false"],
        cwd=tmp_path, preexec_fn=limited, capture_output=True, text=True, check=False,
    )  # fmt: skip
    result = Build(done.returncode, done.stdout, done.stderr, output)
    assert_failed_cleanly(
        result, before, "The build could not write site/output/pagefind",
        "Pagefind was stopped writing a file larger than this system allows", "ulimit -f",
    )  # fmt: skip


# What Pagefind writes, damaged one file at a time.


@pytest.fixture(scope="module")
def pagefind_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("indexed")
    for n in range(12):
        page = site / f"page-{n}" / "index.html"
        page.parent.mkdir()
        words = " ".join(f"word{n * k}" for k in range(200))
        page.write_text(
            f"<html lang='en'><body><main data-pagefind-body><h1>Page {n}</h1>"
            f"<p data-pagefind-filter='kind'>kind{n % 3}</p><p>{words}</p></main></body></html>"
        )
    subprocess.run(
        [str(get_executable()), "--site", str(site), "--quiet"], check=True, capture_output=True
    )
    return site / "pagefind"


@pytest.fixture
def bundle(pagefind_bundle: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "pagefind"
    shutil.copytree(pagefind_bundle, copy)
    return copy


@pytest.fixture(scope="module")
def assets() -> dict[str, bytes]:
    found = Assets(str(get_executable())).get()
    assert found is not None, "Pagefind's service mode gave no files"
    return found


def test_what_pagefind_wrote_whole_passes(bundle: Path, assets: dict[str, bytes]) -> None:
    verify_bundle(bundle, assets)
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css"} <= set(assets)
    for name, content in assets.items():  # the service's files are the ones written
        assert (bundle / name).read_bytes() == content, name


def _halve(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _first(bundle: Path, pattern: str) -> Path:
    return sorted(bundle.glob(pattern))[0]


DAMAGE = {
    "empty entry": lambda b: (b / "pagefind-entry.json").write_bytes(b""),
    "short script": lambda b: _halve(b / "pagefind-ui.js"),
    "empty script": lambda b: (b / "pagefind-worker.js").write_bytes(b""),
    "missing style": lambda b: (b / "pagefind-ui.css").unlink(),
    "short metadata": lambda b: _halve(_first(b, "pagefind.*.pf_meta")),
    "short fragment": lambda b: _halve(_first(b, "fragment/*")),
    "missing fragment": lambda b: _first(b, "fragment/*").unlink(),
    "empty word index": lambda b: _first(b, "index/*").write_bytes(b""),
    "missing filter": lambda b: _first(b, "filter/*").unlink(),
    "short webassembly": lambda b: _halve(b / "wasm.en.pagefind"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_each_file_pagefind_left_short_or_missing_is_found(
    bundle: Path, assets: dict[str, bytes], damage: str
) -> None:
    before = {p: p.stat().st_size if p.exists() else -1 for p in bundle.rglob("*")}
    DAMAGE[damage](bundle)
    changed = [p for p, size in before.items() if (p.stat().st_size if p.exists() else -1) != size]
    with pytest.raises(IncompleteIndex) as found:
        verify_bundle(bundle, assets)
    assert found.value.path == changed[0]


def test_without_pagefinds_own_files_empty_scripts_are_still_found(bundle: Path) -> None:
    verify_bundle(bundle, None)
    (bundle / "pagefind.js").write_bytes(b"")
    with pytest.raises(IncompleteIndex, match=r"pagefind\.js"):
        verify_bundle(bundle, None)


def test_cbor_as_pagefind_writes_it() -> None:
    # [version, [[page hash, words]], [] (no chunks)], {"k": true}: arrays, text, numbers, a map
    data = b"\x83\x651.5.2\x82\x82\x69en_abcdef\x19\x02\x8c\x80\xa1\x61k\xf5"
    assert decode_cbor(data) == ["1.5.2", [["en_abcdef", 652], []], {"'k'": True}]
    with pytest.raises(ValueError, match="ends early"):
        decode_cbor(data[:-3])


def test_pagefinds_own_failures_are_put_in_plain_words(tmp_path: Path) -> None:
    panic = (
        "thread 'main' panicked at pagefind/src/output/mod.rs:422:46:\n"
        "called `Result::unwrap()` on an `Err` value: Os { code: 30, kind: ReadOnlyFilesystem, "
        'message: "Read-only file system" }\n'
    )
    stopped = pagefind_failure(101, panic, tmp_path)
    assert (stopped.errno, stopped.strerror) == (errno.EROFS, "Read-only file system")
    assert stopped.filename == str(tmp_path)
    too_big = pagefind_failure(-signal.SIGXFSZ, "", tmp_path)
    assert too_big.errno == errno.EFBIG
    other = pagefind_failure(2, "Error: no pages\nsee --help\n", tmp_path)
    assert other.strerror == "Pagefind failed (exit code 2): see --help"
