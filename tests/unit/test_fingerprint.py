"""The build's fingerprint: what ``tree_stamp`` and ``packages`` see."""

from __future__ import annotations

import re
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
