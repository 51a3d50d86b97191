"""A parallel build writes exactly what a single-process build writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, build_site
from pagefind_bin import get_executable

from culture_hub.run import Run
from culture_hub.search.index import (
    Indexing,
    SearchIndexError,
    SearchPages,
    bundles,
    files_glob,
    index_glob,
)


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
            BUILD_WORKERS=workers, PARALLEL_MIN_FILES=1, DEFAULT_PAGINATION=2,
        )  # fmt: skip
        assert result.returncode == 0, result.log
        builds[workers] = _tree(result.output)
    assert builds[1].keys() == builds[2].keys()
    different = [name for name in builds[1] if builds[1][name] != builds[2][name]]
    assert different == []
    assert any(name.startswith("pagefind/") for name in builds[1])
    assert "stories/quotes-worth-sharing/index.html" in builds[1]
    assert "stories/page/2/index.html" in builds[1]  # listings in pages, one job each


def test_search_reads_only_stories_and_pages() -> None:
    assert (
        index_glob(["about/", "contribute/"], ["stories/a/", "leadership/b/", "stories/c/"])
        == "{leadership/*/index.html,stories/*/index.html,about/index.html,contribute/index.html}"
    )
    assert (  # addresses ending in .html are the files themselves
        index_glob(["about.html"], ["stories/a.html", "b.html", "leadership/c/"])
        == "{leadership/*/index.html,*.html,stories/*.html,about.html}"
    )


def test_a_large_site_is_indexed_in_parts_of_the_set_size() -> None:
    files = [f"stories/{n}/index.html" for n in range(5)]
    assert bundles(files, 2) == [
        ("pagefind", files[0:2]),
        ("pagefind-2", files[2:4]),
        ("pagefind-3", files[4:5]),
    ]
    assert bundles(files, 1000) == [("pagefind", files)]
    assert bundles([], 1000) == [("pagefind", [])]


def test_parts_come_in_a_multiple_of_those_indexed_together_of_equal_size() -> None:
    files = [f"stories/{n}/index.html" for n in range(5200)]
    parts = bundles(files, 600, together=2)
    assert [len(chunk) for _, chunk in parts] == [520] * 10
    assert [name for name, _ in parts][:3] == ["pagefind", "pagefind-2", "pagefind-3"]
    assert [f for _, chunk in parts for f in chunk] == files  # each once, in order
    assert [len(chunk) for _, chunk in bundles(files[:5], 2, together=2)] == [2, 1, 1, 1]
    assert [len(chunk) for _, chunk in bundles(files[:7], 2, together=3)] == [2, 1, 1, 1, 1, 1]
    assert [len(chunk) for _, chunk in bundles(files[:3], 1, together=4)] == [1, 1, 1]
    assert bundles(files[:600], 600, together=2) == [("pagefind", files[:600])]  # one is one


def test_each_part_of_the_search_index_is_written_and_named_on_the_search_page(
    tmp_path: Path,
) -> None:
    content = shutil.copytree(FIXTURES / "basic", tmp_path / "content")  # it writes a ledger
    # A page whose address starts like a part's folder is a page, not an old part.
    (content / "pages" / "notes.md").write_text("---\ntitle: Pagefind notes\n---\nNotes.\n")
    result = build_site(
        content, tmp_path / "out", cwd=tmp_path, SEARCH_PAGES_PER_INDEX=2, BUILD_WORKERS=2
    )
    assert result.returncode == 0, result.log
    assert (result.output / "pagefind-notes" / "index.html").is_file()
    parts = sorted(p.name for p in result.output.glob("pagefind*") if p.name != "pagefind-notes")
    # 3 stories and pieces and 2 pages, at most 2 a part: 4 parts, 2 indexed at a time
    assert parts == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    assert all((result.output / part / "pagefind-entry.json").is_file() for part in parts)
    merge = result.soup("search/index.html").find(id="search")["data-merge"].split()
    assert [url.rstrip("/").rsplit("/", 1)[1] for url in merge] == parts[1:]
    counts = [
        json.loads((result.output / part / "pagefind-entry.json").read_text())["languages"]["en"][
            "page_count"
        ]
        for part in parts
    ]
    assert counts == [2, 1, 1, 1]  # each page in exactly one part
    assert not [p.name for p in tmp_path.iterdir() if ".search-" in p.name]  # nothing left over


def test_a_part_names_exactly_its_files_whatever_their_names_hold(tmp_path: Path) -> None:
    """Pagefind reads a part's pages by a glob: names with glob characters match themselves."""
    names = ["a{b}", "c,d", "e*f", "g[h]", "é", "sp ace", "x$y", "h#1", "p(q)", "r!s", "m:n",
             "q?u", "b\\s", "tick'", "plain"]  # fmt: skip
    for name in [*names, "not-in-the-part", "e-f", "ab"]:
        (tmp_path / "site" / name).mkdir(parents=True)
        (tmp_path / "site" / name / "index.html").write_text(
            f"<html lang=en><head><title>{name}</title></head><body><p>text</p></body></html>"
        )
    files = [f"{name}/index.html" for name in names]
    out = tmp_path / "index"
    subprocess.run(
        [str(get_executable()), "--site", str(tmp_path / "site"), "--glob", files_glob(files),
         "--output-path", str(out), "--quiet"],
        check=True,
    )  # fmt: skip
    entry = json.loads((out / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(names)


def test_a_page_search_would_leave_out_stops_the_index_at_that_page(tmp_path: Path) -> None:
    """Pagefind skips a page without ``<main>`` and says nothing: the build must say which."""
    body = "<div data-pagefind-body><p>text</p></div>"
    site = tmp_path / "site"
    files = [f"stories/s{n}/index.html" for n in range(3)]
    for n, name in enumerate(files):
        (site / name).parent.mkdir(parents=True)
        page = body if n == 1 else "<main><div data-pagefind-body><p>text</p></div></main>"
        (site / name).write_text(
            f"<html lang=en><head><title>{n}</title></head><body>{page}</body></html>"
        )
    settings: dict[str, object] = {"BUILD_WORKERS": 1, "SEARCH_PAGES_PER_INDEX": 100}
    found = Run.of(settings).part(SearchPages)
    found.files, found.articles = files, [f[: -len("index.html")] for f in files]
    with pytest.raises(SearchIndexError) as raised:
        Indexing(settings, str(site)).run()
    assert raised.value.filename == str(site / files[1])
    assert "this page has no <main>, so search would leave it out" in raised.value.strerror


def test_parts_of_an_earlier_index_go_and_a_page_named_like_one_stays(tmp_path: Path) -> None:
    """The dev build writes over its last output: a smaller site leaves no stale part."""
    content = shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    out = tmp_path / "out"
    split = build_site(content, out, "pelicanconf.py", cwd=tmp_path, SEARCH_PAGES_PER_INDEX=2)
    assert split.returncode == 0, split.log
    assert (out / "pagefind-2" / "pagefind-entry.json").is_file()
    (out / "pagefind-3").mkdir()  # as a page at /pagefind-3/ would be
    (out / "pagefind-3" / "index.html").write_text("a page")
    whole = build_site(content, out, "pelicanconf.py", cwd=tmp_path)
    assert whole.returncode == 0, whole.log
    assert not (out / "pagefind-2").exists()
    assert (out / "pagefind-3" / "index.html").read_text() == "a page"
    assert (out / "pagefind" / "pagefind-entry.json").is_file()


# Pelican's command line on a platform without fork (as on Windows).
NO_FORK = """
import os, sys
del os.fork
from pelican import main
sys.argv[0] = "pelican"
main()
"""


def test_without_fork_the_build_runs_in_one_process_with_the_same_output(tmp_path: Path) -> None:
    builds = {}
    for name in ("fork", "no-fork"):
        content = tmp_path / f"content-{name}"
        for fixture in ("basic", "quotes"):
            shutil.copytree(FIXTURES / fixture, content, dirs_exist_ok=True)
        output = tmp_path / f"out-{name}"
        settings = ["-s", str(ROOT / "publishconf.py"), "-o", str(output),
                    "-e", "BUILD_WORKERS=2", "PARALLEL_MIN_FILES=1"]  # fmt: skip
        prefix = ["-m", "pelican"] if name == "fork" else ["-c", NO_FORK]
        done = subprocess.run(
            [sys.executable, *prefix, str(content), *settings],
            cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        builds[name] = _tree(output)
    assert builds["fork"].keys() == builds["no-fork"].keys()
    assert [n for n in builds["fork"] if builds["fork"][n] != builds["no-fork"][n]] == []


# One Pelican instance runs three times, as the live preview or Pelican's autoreload
# would: the first run fails while its workers are still reading, the second after
# its pages are rendered, the third succeeds. Printed: what each run left behind.
THREE_RUNS = """
import json, os, sys
from pelican import Pelican, signals
from pelican.settings import read_settings
from culture_hub.content_model.build import BuildState
from culture_hub.live.state import LiveRun
from culture_hub.parallel.state import ParallelRun
from culture_hub.run import Run

content, output, settings_file, live = sys.argv[1:5]
settings = read_settings(settings_file, override={
    "PATH": content, "OUTPUT_PATH": output, "BUILD_WORKERS": 2, "PARALLEL_MIN_FILES": 1,
    "LIVE_PREVIEW": live == "live", "SEARCH_INDEX": False,
})
pelican = Pelican(settings)

class Stop(Exception):
    pass

def children():
    # Every process whose parent is this one, finished but not yet waited for included.
    found = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        found += stat[stat.rindex(")") + 2:].split()[1] == str(os.getpid())
    return found

runs = []
def keep(generator):
    runs.append((Run.of(settings), ParallelRun.of(settings), [s for _, s in
                 ParallelRun.of(settings).streams], BuildState.of(settings)))
def fail_reading(generator):
    raise Stop
def fail_after_rendering(pelican):
    raise Stop

report = {}
signals.article_generator_pretaxonomy.connect(keep)
signals.article_generator_pretaxonomy.connect(fail_reading)
try:
    pelican.run()
except Stop:
    report["workers after the first failure"] = children()
    report["workers its streams still had"] = sum(len(s.pipes) for _, s in ParallelRun.of(settings).streams)
signals.article_generator_pretaxonomy.disconnect(fail_reading)
signals.finalized.connect(fail_after_rendering)
try:
    pelican.run()
except Stop:
    report["second run's jobs"] = len(runs[1][1].writer.done)
    report["second tracker"] = id(LiveRun.of(settings).tracker)
signals.finalized.disconnect(fail_after_rendering)
pelican.run()
third = ParallelRun.of(settings) if live == "live" else None
report["first run's streams closed"] = [s.closed for s in runs[0][2]]
report["runs distinct"] = len({id(run) for run, *_ in runs}) == 3
report["parts distinct"] = len({id(part) for _, part, *_ in runs}) == 3
report["states distinct"] = len({id(state) for *_, state in runs}) == 3
report["workers at the end"] = children()
report["problems"] = [[str(p) for p in state.problems] for *_, state in runs]
if third is not None:
    report["third run's jobs"] = len(third.writer.done)
    report["third writer is new"] = third.writer is not runs[1][1].writer
    report["third tracker is new"] = id(LiveRun.of(settings).tracker) != report["second tracker"]
    report["observer is the third tracker's"] = (
        third.observe.__self__ is LiveRun.of(settings).tracker
    )
print(json.dumps(report))
"""


@pytest.mark.parametrize("mode", ["live", "build"])
def test_nothing_of_a_failed_run_survives_into_the_next(tmp_path: Path, mode: str) -> None:
    content = tmp_path / "content"
    for fixture in ("basic", "quotes"):
        shutil.copytree(FIXTURES / fixture, content, dirs_exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", THREE_RUNS, str(content), str(tmp_path / "out"),
         str(ROOT / "pelicanconf.py"), mode],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # The failed run's read streams still had workers (those of the pages, not yet read)...
    assert report["workers after the first failure"] == report["workers its streams still had"] > 0
    assert report["first run's streams closed"] == [True, True]  # when the next run began
    assert report["workers at the end"] == 0
    assert report["runs distinct"] and report["parts distinct"] and report["states distinct"]
    first, second, third = report["problems"]
    assert third == second and set(first) <= set(third)  # none carried over, none twice
    assert report["second run's jobs"] > 0
    if mode == "live":  # the preview keeps its run: its jobs are the third run's alone
        assert report["third run's jobs"] == report["second run's jobs"]
        assert report["third writer is new"]
        assert report["third tracker is new"]
        assert report["observer is the third tracker's"]
    assert (tmp_path / "out" / "index.html").is_file()


# A build, then what the interpreter does at exit, run now: is the collector left
# out of it (the build's objects frozen), and did the build's exit code survive?
AT_EXIT = """
import atexit, gc, sys
from pelican import main
sys.argv[0] = "pelican"
try:
    main()
    code = 0
except SystemExit as stop:
    code = stop.code
before = gc.get_freeze_count()
atexit._run_exitfuncs()
print(f"frozen-at-exit={gc.get_freeze_count() > before} code={code}")
"""


@pytest.mark.parametrize("broken", [False, True])
def test_at_exit_the_collector_leaves_the_builds_objects_and_the_exit_code_stands(
    tmp_path: Path, broken: bool
) -> None:
    """Python's last collection cost a second on one core at 5,000 stories: skipped."""
    content = shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    if broken:
        shutil.copy(FIXTURES / "defects" / "stories" / "bad-date.md", content / "stories")
    done = subprocess.run(
        [sys.executable, "-c", AT_EXIT, str(content), "-s", str(ROOT / "publishconf.py"),
         "-o", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert "frozen-at-exit=True" in done.stdout, done.stdout + done.stderr
    assert f"code={int(broken)}" in done.stdout, done.stdout + done.stderr


# Pelican's command line with every story card rendered where it is shown.
CARDS_EACH_TIME = """
import sys
import culture_hub.parallel.cards as cards
cards.card_function = lambda settings: cards._render_each_time
import culture_hub.parallel.plugin as plugin
plugin.card_function = cards.card_function
from pelican import main
sys.argv[0] = "pelican"
main()
"""


@pytest.mark.parametrize("settings", ["publishconf.py", "pelicanconf.py"])
def test_cards_rendered_once_are_the_cards_rendered_each_time(
    tmp_path: Path, settings: str
) -> None:
    """A remembered card is the card its listing would render, with absolute and
    with relative addresses (where each page's SITEURL differs)."""
    builds = {}
    for name in ("remembered", "each-time"):
        content = tmp_path / f"content-{name}"
        for fixture in ("basic", "quotes"):
            shutil.copytree(FIXTURES / fixture, content, dirs_exist_ok=True)
        output = tmp_path / f"out-{name}"
        prefix = ["-m", "pelican"] if name == "remembered" else ["-c", CARDS_EACH_TIME]
        done = subprocess.run(
            [sys.executable, *prefix, str(content), "-s", str(ROOT / settings), "-o", str(output),
             "-e", "DEFAULT_PAGINATION=1", "BUILD_WORKERS=2", "PARALLEL_MIN_FILES=1"],
            cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        builds[name] = _tree(output)
    assert builds["remembered"].keys() == builds["each-time"].keys()
    listings = [n for n in builds["remembered"] if n.endswith(".html") and b'class="card' in
                builds["remembered"][n]]  # fmt: skip
    assert len(listings) > 10  # cards were shown, on many pages
    different = [
        n for n in builds["remembered"] if builds["remembered"][n] != builds["each-time"][n]
    ]
    assert different == []


def test_a_part_too_long_for_one_argument_is_indexed_and_nothing_else_steers_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long story addresses, many to a part: the part's glob is more than the 128 KB one
    command-line argument may hold. A ``PAGEFIND_GLOB`` in the environment and a
    ``pagefind.yml`` where the build runs must not change what is indexed."""
    site = tmp_path / "site"
    files = []
    for n in range(700):
        long = f"{n:03d}-{'a-long-title-about-our-people-' * 7}"[:200]
        name = f"stories/{long}/{long}"
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(
            f"<html lang=en><head><title>{n}</title></head>"
            f"<body><main><p>story {n}</p></main></body></html>"
        )
        files.append(f"{name}/index.html")
    (site / "other").mkdir()  # what a stray glob would index too
    (site / "other" / "index.html").write_text("<html><body><main>not a story</main></body></html>")
    assert len(files_glob(files[:350])) > 131_072  # even half of them
    monkeypatch.setenv("PAGEFIND_GLOB", "**/*.html")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("glob: '**/*.html'\n")
    settings: dict[str, object] = {"BUILD_WORKERS": 2, "SEARCH_PAGES_PER_INDEX": 700}
    found = Run.of(settings).part(SearchPages)
    found.files, found.articles = files, [f[: -len("index.html")] for f in files]
    Indexing(settings, str(site)).run()  # one index: its glob names the folders
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 700
    settings = {"BUILD_WORKERS": 2, "SEARCH_PAGES_PER_INDEX": 350}  # in parts, by glob
    found = Run.of(settings).part(SearchPages)
    found.files, found.articles = files, [f[: -len("index.html")] for f in files]
    Indexing(settings, str(site)).run()
    counts = [
        json.loads((site / part / "pagefind-entry.json").read_text())["languages"]["en"][
            "page_count"
        ]
        for part in ("pagefind", "pagefind-2")
    ]
    assert counts == [350, 350]


def test_the_one_index_glob_escapes_what_globs_give_a_meaning_to() -> None:
    assert (
        index_glob(["a{b}/"], ["stories/x,y/a/"])
        == "{stories/x\\,y/*/index.html,a\\{b\\}/index.html}"
    )
