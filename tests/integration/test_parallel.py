"""A parallel build writes exactly what a single-process build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import FIXTURES, build_site
from search.plugin import index_glob


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_parallel_output_is_byte_identical_to_one_process(tmp_path: Path) -> None:
    builds = {}
    for workers in (1, 2):
        content = tmp_path / f"content-{workers}"
        for fixture in ("basic", "quotes"):
            shutil.copytree(FIXTURES / fixture, content, dirs_exist_ok=True)
        result = build_site(
            content, tmp_path / f"out-{workers}", cwd=tmp_path,
            BUILD_WORKERS=workers, PARALLEL_MIN_FILES=1,
        )  # fmt: skip
        assert result.returncode == 0, result.log
        builds[workers] = _tree(result.output)
    assert builds[1].keys() == builds[2].keys()
    different = [name for name in builds[1] if builds[1][name] != builds[2][name]]
    assert different == []
    assert any(name.startswith("pagefind/") for name in builds[1])
    assert "stories/quotes-worth-sharing/index.html" in builds[1]


def test_search_reads_only_stories_and_pages() -> None:
    assert (
        index_glob(["about/", "contribute/"], ["stories/a/", "leadership/b/", "stories/c/"])
        == "{leadership/*,stories/*,about,contribute}/index.html"
    )
