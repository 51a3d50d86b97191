"""The build's fingerprint: what ``tree_stamp`` and ``packages`` see."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from culture_hub.uptodate.fingerprint import packages, tree_stamp


def test_tree_stamp_lists_files_and_links_never_following_them(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "b.txt").write_text("two!")
    for skipped in ("__pycache__", ".git"):
        (tmp_path / "sub" / skipped).mkdir()
        (tmp_path / "sub" / skipped / "x").write_text("never seen")
    (tmp_path / "file-link").symlink_to("a.md")
    (tmp_path / "sub" / "loop").symlink_to("..")  # a link to its own parent: not walked
    (tmp_path / "sub" / ".ruff_cache").symlink_to("deeper")  # a skipped name, as a link
    (tmp_path / "skip-me.md").write_text("left out by the caller")

    stamps = tree_stamp(tmp_path, skip=[tmp_path / "skip-me.md"])

    a, b = (tmp_path / "a.md").stat(), (tmp_path / "sub" / "deeper" / "b.txt").stat()
    assert stamps == [
        ("a.md", 3, a.st_mtime_ns),
        ("file-link", -1, "a.md"),
        (str(Path("sub", "deeper", "b.txt")), 4, b.st_mtime_ns),
        (str(Path("sub", "loop")), -1, ".."),
    ]


def test_packages_name_every_installed_distribution_and_its_version() -> None:
    found = packages()
    assert found == sorted(found)
    normal = {re.sub(r"[-_.]+", "_", name).lower() for name in found}
    for dist in metadata.distributions():
        name = re.sub(r"[-_.]+", "_", dist.metadata["Name"]).lower()
        version = re.sub(r"[-_.]+", "_", dist.version).lower()
        assert any(entry.startswith(f"{name}_{version}") for entry in normal), dist.metadata["Name"]


def _stamp_as_someone_else(root: Path) -> list:
    """``tree_stamp(root)`` as a user without rights to what root alone may read.

    Run as root (as CI is), permissions stop nobody: a child process gives up
    root for ``nobody`` first, and sends its stamps back through a pipe.
    """
    if os.geteuid() != 0:
        return tree_stamp(root)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's work is checked by the parent
        try:
            os.setgid(pwd.getpwnam("nobody").pw_gid)
            os.setuid(pwd.getpwnam("nobody").pw_uid)
            result = {"stamps": tree_stamp(root)}
        except BaseException as error:  # everything goes back to the test
            result = {"error": f"{type(error).__name__}: {error}"}
        os.write(writing, json.dumps(result).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        result = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert "error" not in result, result["error"]
    return [tuple(stamp) for stamp in result["stamps"]]


def test_a_folder_that_cannot_be_read_is_stamped_and_the_walk_goes_on() -> None:
    """An unreadable folder in the content (one a container made, say) is the build's to
    report in words; stamping the inputs must not stop at it with a traceback."""
    root = Path(tempfile.mkdtemp(prefix="stamp-"))  # not under pytest's root-only folder
    try:
        root.chmod(0o755)
        (root / "a.md").write_text("one")
        (root / "a.md").chmod(0o644)
        (root / "private").mkdir(mode=0o700)
        (root / "private").chmod(0o700)
        (root / "private" / "b.md").write_text("two")
        if os.geteuid() != 0:
            (root / "private").chmod(0)
        stamps = _stamp_as_someone_else(root)
        assert [s[0] for s in stamps] == ["a.md", "private"]
        assert stamps[1][1] == -2 and "denied" in str(stamps[1][2])
    finally:
        (root / "private").chmod(0o700)
        shutil.rmtree(root)
