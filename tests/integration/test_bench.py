"""``invoke bench`` itself: deterministic sites, and a small run end to end.

The benchmark's figures are not checked here (timings belong to the
benchmark, not to the tests); only that it generates, builds, measures and
prints what the README quotes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import generate
from bench.run import main


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_same_size_generates_the_same_site(tmp_path: Path) -> None:
    first = _files(generate(tmp_path / "a", 30))
    assert first == _files(generate(tmp_path / "b", 30))
    stories = [name for name in first if name.startswith(("stories/", "leadership/"))]
    assert len(stories) == 30
    assert sum(b"[inlinetweet]" in first[name] for name in stories) == 10  # a third quote


def test_a_small_benchmark_prints_its_row_and_the_preview_timings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([30], 1, edit=True, sites=tmp_path)
    printed = capsys.readouterr().out
    header, row = (line.split() for line in printed.splitlines()[:2])
    assert header[:2] == ["stories", "plain"] and row[0] == "30"
    plain_s, ours_s, ratio, plain_mb, ours_mb, noop_s, noop_ratio, images_s = map(float, row[1:])
    assert images_s > 0  # the first build, which made every picture's variants
    assert plain_mb > 0 and ours_mb > 0  # memory was sampled from the build processes
    assert _within_rounding(ratio, ours_s, plain_s)
    assert _within_rounding(noop_ratio, noop_s, ours_s)
    assert "edit preview at 30 stories (invoke serve): first build" in printed
    assert (tmp_path / "30" / "ours" / "index.html").is_file()
    assert (tmp_path / "30" / "plain" / "index.html").is_file()
    assert list((tmp_path / "30" / "ours" / "images" / "r").glob("cover-00-*.webp"))
    assert list((tmp_path / "30" / "image-cache").iterdir())  # kept for the next build
    # The timed builds' search fragments are the ones the first build kept.
    kept = tmp_path / "30" / "search-cache" / "fragments"
    published = tmp_path / "30" / "ours" / "pagefind" / "fragment"
    assert {p.stat().st_ino for p in kept.iterdir()} == {
        p.stat().st_ino for p in published.iterdir()
    }


def _within_rounding(ratio: float, top: float, bottom: float) -> bool:
    """``ratio`` is ``top / bottom`` of the unrounded figures, which print to 0.1 s."""
    low, high = (top - 0.05) / (bottom + 0.05), (top + 0.05) / max(bottom - 0.05, 0.01)
    return low - 0.005 <= ratio <= high + 0.005
