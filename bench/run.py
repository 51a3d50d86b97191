"""``invoke bench``: our full public build against plain Pelican, same Markdown.

For each size, a deterministic site is generated, then plain Pelican (default
theme, its own Atom feeds, the YAML metadata plugin) and our publish build
run in alternation, each into an empty folder of its own, after the disk has
settled (``_settle``: a build's file writes otherwise slow the next one).
Printed: wall time, the ratio ours/plain, peak memory (summed over the
build's processes, as PSS: see ``measure``; from one more build of each,
as sampling slows the build it samples), a no-op rebuild of ours, and the
edit-preview latency: with the dev server's live preview (``invoke serve``)
running, the time from saving one story to its updated pages on disk.

Our builds keep their pictures' variants and their pages' search fragments
in caches of their own (``IMAGE_CACHE_PATH``, ``SEARCH_CACHE_PATH``),
emptied before a size's first build, which fills them: the timed builds
find both kept, as a site's build machine does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate
from bench.measure import PeakMemory

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    peak_mb: float


def build(content: Path, output: Path, settings: Path, *extra: str, sample: bool = False) -> Run:
    """One build, timed; with ``sample``, its peak memory too (``peak_mb``, else 0).

    Sampling reads every process's memory map twenty times a second, which
    takes the build's own CPU time (half a second of a 13-second build at
    5,000 stories, more for the larger build): builds are timed unsampled,
    and memory comes from a build of its own.
    """
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", str(settings),
        "-o", str(output), "--log-handler", "plain", *extra,
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    memory = PeakMemory(process.pid) if sample else None
    log, _ = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop() if memory else 0.0
    if process.returncode:
        raise RuntimeError(f"build of {content} failed:\n{log}")
    return Run(seconds, peak)


def edit_latency(content: Path, output: Path, timeout: float = 600) -> dict[str, float]:
    """Seconds from saving a story to the updated files on disk, with the live preview running.

    ``first build``: the server's full build. ``body``: an edit to the text,
    until the story's page has it. ``summary``: an edit to the summary, until
    the story's page, the home page and its department's page all show it.
    """
    story = sorted((content / "stories").glob("*.md"))[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "culture_hub.live", str(content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ),
    )  # fmt: skip
    text = story.read_text()
    try:
        started = time.perf_counter()
        _wait_for_line(server, "Serving", timeout)
        figures = {"first build": time.perf_counter() - started}
        page = _page_for(output, story)
        department = re.search(r"^departments: \[([\w-]+)", text, re.MULTILINE)
        assert department, "generated stories name their departments"
        home, section = output / "index.html", output / "departments" / department[1] / "index.html"
        listings = [page, home, section]
        for name, edit, targets in (
            ("body", lambda t, m: t.rstrip() + f" {m}\n", [page]),
            ("summary", lambda t, m: t.replace("\nsummary: ", f"\nsummary: {m} ", 1), listings),
        ):
            marker = f"benchmark{name}{time.time_ns()}"
            saved = time.perf_counter()
            story.write_text(edit(text, marker))
            for target in targets:
                while marker not in (target.read_text() if target.exists() else ""):
                    if time.perf_counter() - saved > timeout:
                        raise TimeoutError(f"{target} was not updated")
                    time.sleep(0.005)
            figures[name] = time.perf_counter() - saved
            story.write_text(text)
            while marker in page.read_text():  # the text put back, before the next edit
                time.sleep(0.01)
        return figures
    finally:
        story.write_text(text)
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
    from culture_hub.content_model.workflow import slugify  # noqa: PLC0415 - load on use

    return output / "stories" / slugify(title.split(":", 1)[1]) / "index.html"


def _settle(removed: bool, settle_seconds: float) -> None:
    """Let the disk settle before the measured builds: written data flushed, and,
    after a removal, time for the file system to stop treating the freed files as
    recently deleted (ext4 looks past those when it makes new ones, which made
    whichever build came next, ours or plain Pelican's, slower by seconds)."""
    os.sync()
    if removed:
        time.sleep(settle_seconds)


def main(
    sizes: list[int],
    repeat: int,
    edit: bool,
    sites: Path = ROOT / "bench-sites",
    settle_seconds: float = 30,
) -> None:
    """Generate, build and print a row per size into ``sites``; then time the preview.

    Every build writes into a folder of its own that is empty, and nothing is
    removed between builds (see ``_settle``): earlier builds are removed once,
    before a size's builds start. The last build of each kind is kept as
    ``<size>/plain`` and ``<size>/ours``, the others in ``<size>/runs``.
    """
    plain_settings = ROOT / "bench" / "plainconf.py"
    ours_settings = ROOT / "publishconf.py"
    for size in sizes:
        content = generate(sites / str(size) / "content", size)
        plain, ours = [], []
        # Our builds keep their pictures' variants and their pages' search fragments here,
        # as a site keeps cache/images and cache/search: emptied first, so the first build
        # makes every variant and fragment (the "images s" column).
        cache = sites / str(size) / "image-cache"
        search_cache = sites / str(size) / "search-cache"
        old = [
            cache,
            search_cache,
            sites / str(size) / "runs",
            sites / str(size) / "plain",
            sites / str(size) / "ours",
        ]
        removed = any(folder.exists() for folder in old)
        for folder in old:
            shutil.rmtree(folder, ignore_errors=True)
        _settle(removed, settle_seconds)
        ours_extra = (
            "-e",  # one -e for both: Pelican keeps only the last -e it is given
            f"IMAGE_CACHE_PATH={json.dumps(str(cache))}",
            f"SEARCH_CACHE_PATH={json.dumps(str(search_cache))}",
        )
        runs_folder = sites / str(size) / "runs"
        first = build(content, runs_folder / "first", ours_settings, *ours_extra)  # fills both
        for n in range(repeat):  # alternate, so both see the same machine state
            for runs, name, settings in (
                (plain, "plain", plain_settings),
                (ours, "ours", ours_settings),
            ):
                last = n == repeat - 1
                output = sites / str(size) / name if last else runs_folder / f"{name}-{n + 1}"
                extra = ours_extra if name == "ours" else ()
                _settle(False, settle_seconds)
                runs.append(build(content, output, settings, *extra))  # cold: an empty folder
        # Nothing changed since the last build: the up-to-date check leaves the site as it is.
        noop = build(content, sites / str(size) / "ours", ours_settings, *ours_extra)
        # Peak memory, each from one more cold build, sampled (not timed).
        _settle(False, settle_seconds)
        memory = [build(content, runs_folder / "plain-memory", plain_settings, sample=True)]
        _settle(False, settle_seconds)
        memory.append(
            build(content, runs_folder / "ours-memory", ours_settings, *ours_extra, sample=True)
        )
        _print_row(size, plain, ours, noop, first, memory=memory)
    if edit:
        size = max(sizes)
        content = sites / str(size) / "content"
        figures = edit_latency(content, sites / str(size) / "dev")
        print(
            f"\nedit preview at {size} stories (invoke serve): first build "
            f"{figures['first build']:.1f} s; saving one story -> on disk in "
            f"{figures['body']:.2f} s (text: its page), "
            f"{figures['summary']:.2f} s (summary: its page, home and department page)"
        )


def _print_row(
    size: int, plain: list[Run], ours: list[Run], noop: Run, first: Run, *, memory: list[Run]
) -> None:
    """One row: medians of the timed cold builds (empty output, pictures' variants and
    search fragments cached), peak memory of the sampled builds (``memory``: plain's,
    then ours), then ``images s``: our first build, which also made every picture's
    variants and every page's search fragment."""
    if size == 0:
        return
    p = statistics.median(r.seconds for r in plain)
    o = statistics.median(r.seconds for r in ours)
    if not hasattr(_print_row, "header"):
        print(f"{'stories':>8} {'plain s':>8} {'ours s':>8} {'ours/plain':>10} "
              f"{'plain MB':>9} {'ours MB':>8} {'no-op s':>8} {'no-op/cold':>10} "
              f"{'images s':>8}")  # fmt: skip
        _print_row.header = True  # type: ignore[attr-defined]
    print(f"{size:>8} {p:>8.1f} {o:>8.1f} {o / p:>10.2f} {memory[0].peak_mb:>9.0f} "
          f"{memory[1].peak_mb:>8.0f} {noop.seconds:>8.1f} {noop.seconds / o:>10.2f} "
          f"{first.seconds:>8.1f}",
          flush=True)  # fmt: skip


if __name__ == "__main__":
    os.chdir(ROOT)
    main([500], 1, edit=False)
