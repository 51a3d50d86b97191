"""Index a finished site with Pagefind, and read the index back. No Pelican import.

Pagefind's exit code is checked, and since Pagefind 1.5 exits 0 even when its
writes fail (a full disk), every bundle it wrote is read back (``verify``)
before anything is published. A failure is a ``SearchIndexError``, an
``OSError`` naming the file: ``atomic_output`` reports it like any other
failed write.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagefind_bin import get_executable

from culture_hub.declare import value
from culture_hub.run import Run

from .kept import Kept, Made, cache_key, page_digests, unsafe_reuse
from .settings import SEARCH_PAGES_PER_INDEX, cache_folder
from .verify import Assets, IncompleteIndex, disk_full, verify_bundle

logger = logging.getLogger(__name__)

# Where every page's indexed part (``data-pagefind-body``) lies: the theme's base
# template puts all content in ``<main>``. Pagefind then skips the header, the
# footer and the icons unparsed: a seventh of its time, and the same index
# (a test compares the bundles byte for byte).
ROOT_SELECTOR = "main"
# The folders of the second and later parts (``bundles``): pagefind-2, pagefind-3...
PART_FOLDER = re.compile(r"pagefind-[0-9]+")
# How Pagefind reports an operating-system error when it stops on one (a Rust panic).
OS_ERROR = re.compile(r'Os \{ code: (?P<code>[0-9]+), kind: \w+, message: "(?P<message>[^"]*)" \}')


class SearchIndexError(OSError):
    """Pagefind could not write the index: ``strerror`` says why in plain words,
    ``filename`` names the file or folder, ``errno`` is the error it amounts to
    (``None`` when unknown). An ``OSError``, as a failed write of our own would be."""

    def __init__(self, reason: str, path: Path, code: int | None = None) -> None:
        super().__init__(code, reason, str(path))


def pagefind_failure(returncode: int, stderr: str, folder: Path) -> SearchIndexError:
    """What a Pagefind that exited with ``returncode`` failed at, in plain words."""
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else ""
        if -returncode == getattr(signal, "SIGXFSZ", None):
            return SearchIndexError(
                "Pagefind was stopped writing a file larger than this system allows",
                folder, errno.EFBIG,
            )  # fmt: skip
        return SearchIndexError(f"Pagefind was stopped by signal {name or -returncode}", folder)
    found = OS_ERROR.search(stderr)
    if found:
        return SearchIndexError(found["message"], folder, int(found["code"]))
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    return SearchIndexError(f"Pagefind failed (exit code {returncode}): {last}", folder)


# What Pagefind's globs (the ``wax`` crate) give a meaning to; a backslash escapes it.
GLOB_SPECIAL = re.compile(r"[?*$:<>()\[\]{},\\]")


def _escape(special: re.Match[str]) -> str:
    return "?" if special[0] == "\\" else "\\" + special[0]


def literal(path: str) -> str:
    """``path`` as a glob that matches it (a backslash in it matches any one character)."""
    return GLOB_SPECIAL.sub(_escape, path)


def index_glob(page_urls: list[str], article_urls: list[str]) -> str:
    """Only the pages Pagefind should read: stories, thought pieces and pages.

    Listings, feeds and the rest are skipped unparsed, which saves a third of
    Pagefind's time on a large site (it would find nothing to index in them).
    Article folders come from the articles' own URLs, so ``ARTICLE_URL`` decides.
    """
    folders = {url.strip("/").rpartition("/")[0] for url in article_urls if not _file(url)}
    parts = [f"{literal(folder)}/*/index.html" for folder in sorted(folders) if folder]
    # an address ending in .html (ARTICLE_URL = "{category}/{slug}.html") is the file itself
    files = {url.rpartition("/")[0] for url in article_urls if _file(url)}
    parts += [f"{literal(folder)}/*.html" if folder else "*.html" for folder in sorted(files)]
    pages = sorted(url.strip("/") for url in page_urls)
    parts += [
        literal(page) if _file(page) else f"{literal(page)}/index.html" for page in pages if page
    ]
    return "{" + ",".join(parts) + "}" if parts else "**/*.html"


def _file(url: str) -> bool:
    return url.endswith(".html")


def files_glob(files: list[str]) -> str:
    """One glob matching exactly ``files`` (paths in the site), whatever their names hold.

    A backslash cannot be escaped in a glob, so it is matched by ``?`` (any one
    character): such a file could also match a twin named alike, which costs at
    most a duplicate search result, never a missing one.
    """
    escaped = [literal(name) for name in files]
    return "{" + ",".join(escaped) + "}" if len(escaped) != 1 else escaped[0]


def bundles(files: list[str], per_index: int, together: int = 1) -> list[tuple[str, list[str]]]:
    """(bundle folder, the files it indexes): ``pagefind`` first, then ``pagefind-2``...

    A site in parts is cut into a multiple of ``together`` parts (the ones indexed
    at a time) of equal size, at most ``per_index`` each: 5,200 pages in parts
    of 600, two at a time, are ten parts of 520, so no part is left to index
    alone at the end while a core waits. Sizes differ by one at most.
    """
    per_index = max(1, per_index)
    count = max(1, -(-len(files) // per_index))
    if count > 1:
        count = -(-count // max(1, together)) * max(1, together)
    count = min(count, max(1, len(files)))
    size, larger = divmod(len(files), count)  # the first ``larger`` parts take one more
    starts = [n * size + min(n, larger) for n in range(count + 1)]
    chunks = [files[starts[n] : starts[n + 1]] for n in range(count)]
    return [(f"pagefind-{n}" if n > 1 else "pagefind", chunk) for n, chunk in enumerate(chunks, 1)]


@dataclass
class SearchPages:
    """This run's part (``culture_hub.run``): what Pagefind indexes. Page and
    story URLs choose the folders it reads; files are the pages to index."""

    pages: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class Indexing:
    """This build's Pagefind runs; ``run`` does them, ``stop`` ends them early.

    A site in parts is indexed ``BUILD_WORKERS`` parts at a time, each
    Pagefind on one thread: the same cores, and memory held to that many
    parts' indexes. Each bundle folder starts empty but for the kept
    fragments of its unchanged pages (``kept``); once every bundle is
    indexed and read back, its fragments are kept for the next build.
    """

    def __init__(self, settings: dict[str, Any], output_path: str) -> None:
        self.output = Path(output_path).absolute()  # Pagefind runs in a folder of its own
        found = Run.of(settings).part(SearchPages)
        pages, articles, files = found.pages, found.articles, found.files
        per_index = SEARCH_PAGES_PER_INDEX.read(settings)
        self.files = files
        self.single = len(files) <= per_index
        self.glob = index_glob(pages, articles)
        self.concurrency = value(settings, "BUILD_WORKERS")
        self.bundles = bundles(files, per_index, self.concurrency)
        self.processes: set[subprocess.Popen[str]] = set()
        self.lock = threading.Lock()
        self.stopped = False
        self.assets: Assets | None = None
        self.kept = Kept(cache_folder(settings), cache_key(get_executable(), ROOT_SELECTOR))
        self.made: dict[str, Made] = {}  # the fragments every bundle published, by name

    def run(self) -> None:
        for old in self.output.glob("pagefind-*"):  # parts of an earlier build (not pages)
            if PART_FOLDER.fullmatch(old.name) and (old / "pagefind-entry.json").is_file():
                shutil.rmtree(old, ignore_errors=True)
        self.assets = Assets(str(get_executable()))  # fetched while the index is built
        if self.single:  # one index: Pagefind finds the files itself
            self._index(self.output / "pagefind", self.files, self.glob,
                        "--output-subdir", "pagefind")  # fmt: skip
        else:
            with ThreadPoolExecutor(self.concurrency) as pool:
                parts = [pool.submit(self._index_part, *bundle) for bundle in self.bundles]
                try:
                    for done in parts:
                        done.result()  # the first failure is raised here
                except BaseException:
                    self.stop()  # the other parts are of no use now
                    raise
        if not self.stopped:
            self.kept.save(self.made)

    def _index_part(self, bundle: str, files: list[str]) -> None:
        if self.stopped:  # parts not started yet are dropped at once
            return
        # Pagefind reads only this part's pages, in place: a glob naming each one.
        # (No folder of links to them: on a large site, making and removing one
        # was as many file-system operations as writing the pages themselves.)
        threads = "1" if self.concurrency > 1 else ""
        self._index(self.output / bundle, files, files_glob(files),
                    "--output-path", str(self.output / bundle), threads=threads)  # fmt: skip

    def _index(
        self, folder: Path, files: list[str], glob: str, *where: str, threads: str = ""
    ) -> None:
        """Index ``files`` (matched by ``glob``) into the bundle ``folder``, given the kept
        fragments of its unchanged pages; again with none, if Pagefind may have
        published one of them under another page's name (``unsafe_reuse``)."""
        pages = page_digests(self.output, files) if self.kept.entries else {}
        seeded: set[str] = set()
        for attempt in range(2):
            _empty_bundle(folder)  # what an earlier build left is never reused
            if attempt == 0:
                seeded = self.kept.seed(folder / "fragment", pages)
            self._pagefind(glob, "--site", str(self.output), *where,
                           "--root-selector", ROOT_SELECTOR,
                           threads=threads, folder=folder)  # fmt: skip
            needed = self._verify(folder, files)
            if self.stopped:
                return
            problem = unsafe_reuse(needed, seeded if attempt == 0 else (), pages)
            if problem is None:
                break
            logger.info("Search: %s in %s; indexing it again from its pages", problem, folder)
        _remove_unneeded(folder / "fragment", needed)
        if needed is None:
            return
        if not pages and self.kept.usable:  # nothing was kept: read now, for the next build
            pages = page_digests(self.output, files)
        with self.lock:
            for name, url in needed.items():
                if url in pages:
                    self.made[name] = Made(f"{folder}/fragment/{name}", url, pages[url])

    def _verify(self, folder: Path, files: list[str]) -> dict[str, str | None] | None:
        """Read back what Pagefind wrote into ``folder`` (it exits 0 when its writes fail),
        and check it indexed every one of ``files``. Returns the fragments it needs, with
        the address each holds (``verify_bundle``)."""
        if self.stopped:
            return None
        assets = self.assets.get() if self.assets else None
        if assets is None:
            logger.warning("Pagefind's own files could not be had to compare; checked for size")
        try:
            needed = verify_bundle(folder, assets)
        except IncompleteIndex as error:
            full = disk_full(folder)
            reason = f"Pagefind left it incomplete ({error.reason})"
            if full:
                reason = f"No space left on device; {reason}"
            raise SearchIndexError(reason, error.path, errno.ENOSPC if full else None) from None
        self._check_count(folder, files)
        return needed

    def _check_count(self, folder: Path, files: list[str]) -> None:
        """Stop at a page given to Pagefind that it skipped for having no ``<main>``.

        Pagefind reads a page from its ``<main>`` (``ROOT_SELECTOR``) and skips one
        without it, without a word: a theme edit would take pages out of search
        with nobody told. (A page given to Pagefind may also be skipped rightly:
        in a dev build, one whose address the site's own page took.)
        """
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        indexed = sum(language.get("page_count", 0) for language in entry["languages"].values())
        if indexed >= len(files):
            return
        for name in files:
            page = self.output / name
            if page.is_file() and "<main" not in page.read_text("utf-8", errors="replace"):
                raise SearchIndexError(
                    "this page has no <main>, so search would leave it out (the theme's "
                    "templates must put each story's and page's text in <main>, as "
                    "base.html does)",
                    page,
                )

    def _pagefind(self, glob: str, *args: str, threads: str = "", folder: Path) -> None:
        """Run Pagefind on the pages ``glob`` matches. The glob is given in a config
        file, in a folder of its own that Pagefind runs in: a part's glob names
        hundreds of pages, more than one command-line argument may hold. Nothing
        else configures it: no ``PAGEFIND_*`` variable, no config file of the
        project's (Pagefind reads both, and either would change what is indexed)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        if threads:
            env["RAYON_NUM_THREADS"] = threads
        with tempfile.TemporaryDirectory(prefix="culture-hub-search-") as config:
            Path(config, "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
            self._run_pagefind([str(get_executable()), *args, "--quiet"], env, config, folder)

    def _run_pagefind(
        self, command: list[str], env: dict[str, str], cwd: str, folder: Path
    ) -> None:
        with self.lock:
            if self.stopped:
                return
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                cwd=cwd,
            )  # fmt: skip
            self.processes.add(process)
        out, err = process.communicate()
        with self.lock:
            self.processes.discard(process)
        if process.returncode and not self.stopped:
            raise pagefind_failure(process.returncode, err or out, folder)
        logger.debug("Pagefind: %s", out.strip())

    def stop(self) -> None:
        """End the Pagefind runs; nothing is kept for the next build."""
        with self.lock:
            self.stopped = True
            running = list(self.processes)
        for process in running:
            if process.poll() is None:
                process.terminate()
                process.wait()


# The folders of a bundle whose files Pagefind names by their content, and leaves as they
# are when a file of that name is there (its output's ``Immutable`` writes), as it does
# its metadata (``pagefind.<hash>.pf_meta``).
HASHED = ("fragment", "index", "filter")
META = re.compile(r"pagefind\.[^/]+\.pf_meta")


def _empty_bundle(folder: Path) -> None:
    """Remove the files an earlier build left in the bundle's ``HASHED`` folders, and its
    metadata: Pagefind would keep any whose name it gives a new one. The folders stay
    (the live preview's site is read while it is indexed again); a link is removed,
    never followed."""
    try:
        with os.scandir(folder) as entries:
            metas = [e.path for e in entries if META.fullmatch(e.name) and not e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return
    for path in metas:
        Path(path).unlink(missing_ok=True)
    for name in HASHED:
        try:
            with os.scandir(folder / name) as entries:
                found = [(e.path, e.is_dir(follow_symlinks=False)) for e in entries]
        except (FileNotFoundError, NotADirectoryError):
            continue
        for path, is_folder in found:
            if is_folder:
                shutil.rmtree(path)
            else:
                Path(path).unlink(missing_ok=True)


def _remove_unneeded(fragments: Path, needed: dict[str, str | None] | None) -> None:
    """Delete every fragment the index does not name: a kept one Pagefind did not
    use (``needed`` is ``None`` only when nothing was given, and the folder then holds
    only what Pagefind wrote)."""
    if needed is None:
        return
    try:
        with os.scandir(fragments) as entries:
            unneeded = [Path(e.path) for e in entries if e.name not in needed]
    except FileNotFoundError:
        return
    for path in unneeded:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
