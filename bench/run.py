"""``invoke bench``: our full public build against plain Pelican, same Markdown.

For each size, a deterministic site is generated, then plain Pelican (default
theme, its own Atom feeds, the YAML metadata plugin) and our publish build
run in alternation. Printed: wall time, peak memory, the ratio ours/plain,
a no-op rebuild of ours, and the edit-preview latency: with the dev server's
autoreload running, the time from saving one story to its updated page on disk.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    peak_mb: float


def build(content: Path, output: Path, settings: Path, *extra: str) -> Run:
    command = [
        sys.executable, str(ROOT / "bench" / "measure.py"), str(content), "-s", str(settings),
        "-o", str(output), "--log-handler", "plain", *extra,
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    seconds = time.perf_counter() - started
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if report["code"]:
        raise RuntimeError(f"build of {content} failed:\n{done.stdout}\n{done.stderr}")
    return Run(seconds, report["peak_mb"])


def edit_latency(content: Path, output: Path, timeout: float = 600) -> tuple[float, float]:
    """(first build, edit-to-page seconds) with `pelican --autoreload` on dev settings."""
    story = sorted((content / "stories").glob("*.md"))[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "--autoreload", "--log-handler", "plain"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        _wait_for_line(server, "Done:", timeout)
        first = time.perf_counter() - started
        time.sleep(2)  # let the watcher start after "Done:"; latency counts from the save
        marker = f"benchmark-edit-{time.time_ns()}"
        text = story.read_text()
        saved = time.perf_counter()
        story.write_text(text.rstrip() + f" {marker}\n")
        page = _page_for(output, story)
        while marker not in (page.read_text() if page.exists() else ""):
            if time.perf_counter() - saved > timeout:
                raise TimeoutError("the edited story's page was not rebuilt")
            time.sleep(0.02)
        latency = time.perf_counter() - saved
        story.write_text(text)
        return first, latency
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_line(process: subprocess.Popen[str], words: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        if words in line:
            return
        if time.perf_counter() > deadline:
            break
    raise TimeoutError(f"no '{words}' from the dev server")


def _page_for(output: Path, story: Path) -> Path:
    title = next(line for line in story.read_text().splitlines() if line.startswith("title:"))
    from content_model.workflow import slugify  # noqa: PLC0415 - plugins path set by the task

    return output / "stories" / slugify(title.split(":", 1)[1]) / "index.html"


def main(sizes: list[int], repeat: int, edit: bool) -> None:
    plain_settings = ROOT / "bench" / "plainconf.py"
    ours_settings = ROOT / "publishconf.py"
    sites = ROOT / "bench-sites"
    rows = []
    for size in sizes:
        content = generate(sites / str(size) / "content", size)
        plain, ours = [], []
        for _ in range(repeat):  # alternate, so both see the same machine state
            plain.append(build(content, sites / str(size) / "plain", plain_settings))
            ours.append(build(content, sites / str(size) / "ours", ours_settings))
        noop = build(content, sites / str(size) / "ours", ours_settings)
        rows.append((size, plain, ours, noop))
        _print_row(size, plain, ours, noop)
    if edit:
        size = max(sizes)
        content = sites / str(size) / "content"
        first, latency = edit_latency(content, sites / str(size) / "dev")
        print(
            f"\nedit preview at {size} stories (dev server, autoreload): first build "
            f"{first:.1f} s; saving one story -> its page on disk in {latency:.2f} s"
        )


def _print_row(size: int, plain: list[Run], ours: list[Run], noop: Run) -> None:
    if size == 0:
        return
    p = statistics.median(r.seconds for r in plain)
    o = statistics.median(r.seconds for r in ours)
    if not hasattr(_print_row, "header"):
        print(f"{'stories':>8} {'plain s':>8} {'ours s':>8} {'ours/plain':>10} "
              f"{'plain MB':>9} {'ours MB':>8} {'no-op s':>8} {'no-op/cold':>10}")  # fmt: skip
        _print_row.header = True  # type: ignore[attr-defined]
    print(f"{size:>8} {p:>8.1f} {o:>8.1f} {o / p:>10.2f} {max(r.peak_mb for r in plain):>9.0f} "
          f"{max(r.peak_mb for r in ours):>8.0f} {noop.seconds:>8.1f} {noop.seconds / o:>10.2f}",
          flush=True)  # fmt: skip


if __name__ == "__main__":
    os.chdir(ROOT)
    main([500], 1, edit=False)
