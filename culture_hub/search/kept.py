"""Pagefind's page fragments kept between builds, by each page's content. No Pelican import.

Pagefind names each page's fragment (``fragment/<lang>_<hash>.pf_fragment``,
one per page: nearly all of an index's files) by a hash of its content, and
does not write a fragment whose file is already there: no compression at
its strongest level, no new file. So before Pagefind runs, each bundle's
``fragment/`` folder is given (hard links, copies where a link is refused)
the kept fragment of every page whose file has the same SHA-256 and
address as when its fragment was made (``Kept.seed``), and Pagefind writes
only the others. After a build whose every bundle succeeded, the fragments
it published are kept (``Kept.save``) and every other kept fragment goes.

The folder (``SEARCH_CACHE_PATH``) is untrusted: a pull request can commit
files into it. A fragment is used only while its file is a regular file
(``lstat``: a symbolic link is never followed) with exactly the size and
modification time in nanoseconds recorded when it was kept (``RECORD``),
which a checkout cannot reproduce; a record that cannot be read, or that
was made by another Pagefind or another way of indexing (``cache_key``),
counts as an empty cache, never as an error. Only files named as Pagefind
names fragments, in the cache's own ``fragments`` folder, are ever deleted.

What the trusted fragments cannot rule out, Pagefind's naming can get
wrong: a name is the first seven hex digits of the fragment's SHA-1,
lengthened only when two fragments of the same run share them, so a kept
file can have the name Pagefind gives another page. ``unsafe_reuse`` finds
every such case after the run (``index.Indexing`` then indexes again with
nothing given).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from culture_hub.files import LINK_REFUSED, NO_FOLLOW, as_written

logger = logging.getLogger(__name__)

# Bump when what a kept fragment depends on changes: old records are then ignored.
RECIPE = "1"
# In the cache folder: the key and every kept fragment's [size, mtime_ns, url, page sha256].
RECORD = "kept.json"
# The largest record read (5,000 pages make one of about 800 KB, so this is room for
# about 100,000): a larger one is ignored unread, as a committed one of millions of
# entries would take seconds and a gigabyte to read.
RECORD_LIMIT = 16 << 20
# In the cache folder: the fragment files themselves, under Pagefind's names.
FRAGMENTS = "fragments"
# Pagefind's fragment file names: language (the page's ``lang``, lower case), then at
# least seven hex digits of a SHA-1 written without zero padding. Nothing else is kept,
# and nothing else in the cache is ever deleted.
FRAGMENT_NAME = re.compile(r"[a-z0-9-]{1,35}_[0-9a-f]{7,40}\.pf_fragment")
SUFFIX = ".pf_fragment"
# A fragment on its way into the cache (linked or copied here, then renamed over its name).
PART_NAME = re.compile(r"\.[a-z0-9-]{1,35}_[0-9a-f]{7,40}\.[0-9a-f]{16}\.part")
# The record on its way into place.
RECORD_PART = re.compile(r"\.kept\.json\.[0-9a-f]{16}\.part")
# A part older than this was left by a build that was killed between the two steps.
PART_AGE = 3600  # seconds


@dataclass(frozen=True)
class Entry:
    """One kept fragment: its file's size and modification time as kept, and the page
    it was made from (its address in the index and its file's SHA-256)."""

    size: int
    mtime_ns: int
    url: str
    sha: str

    def matches(self, found: os.stat_result) -> bool:
        """Whether ``found`` (an ``lstat``) is this fragment's file, as it was kept."""
        return as_written(found, [self.size, self.mtime_ns])

    def as_json(self) -> list[Any]:
        return [self.size, self.mtime_ns, self.url, self.sha]


@dataclass(frozen=True)
class Made:
    """A fragment a bundle published: its file in the output and the page it is of."""

    path: str
    url: str
    sha: str


def cache_key(executable: Path, root_selector: str) -> str:
    """What every fragment depends on besides its page: this Pagefind (its package's
    version, and the binary's name and size) and how it is run."""
    try:
        package = version("pagefind_bin")
    except PackageNotFoundError:
        package = "unknown"
    try:
        size = executable.stat().st_size
    except OSError:
        size = -1
    return f"{RECIPE}|pagefind_bin {package}|{executable.name} {size}|root {root_selector}"


def page_url(relative: str) -> str:
    """The address Pagefind gives the page at ``relative`` (a path in the site, with
    ``/``): ``/`` and the path, less a last ``index.html`` (Pagefind's ``build_url``)."""
    if relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    elif relative == "index.html":
        relative = ""
    return "/" + relative


def page_digests(site: Path, files: Iterable[str]) -> dict[str, str]:
    """Each page's address (``page_url``) and the SHA-256 of its file, for ``files`` in
    ``site``. A page that cannot be read is left out: its fragment is made afresh."""
    found = {}
    for name in files:
        try:
            with open(f"{site}/{name}", "rb") as file:  # noqa: PTH123 - thousands: no Path objects
                found[page_url(name)] = hashlib.file_digest(file, "sha256").hexdigest()
        except OSError:
            continue
    return found


def _real_folder(path: Path) -> bool:
    """Whether ``path`` is a folder itself (``lstat``: not a link to one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def read_record(folder: Path, key: str) -> dict[str, Entry]:
    """The kept fragments ``folder``'s record lists for ``key``: ``{}`` when the record is
    missing, unreadable, not a regular file, of another key, or odd in any way (an entry
    that is not one is left out)."""
    try:
        descriptor = os.open(folder / RECORD, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return {}
    try:
        with os.fdopen(descriptor, "rb") as file:
            found = os.fstat(file.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > RECORD_LIMIT:
                return {}
            record = json.load(file)
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(record, dict) or record.get("key") != key:
        return {}
    listed = record.get("fragments")
    if not isinstance(listed, dict):
        return {}
    kept = {}
    for name, value in listed.items():
        if not (isinstance(name, str) and FRAGMENT_NAME.fullmatch(name)):
            continue
        if not (isinstance(value, list) and len(value) == 4):
            continue
        size, mtime_ns, url, sha = value
        numbers = all(type(n) is int and n >= 0 for n in (size, mtime_ns))
        if numbers and isinstance(url, str) and isinstance(sha, str):
            kept[name] = Entry(size, mtime_ns, url, sha)
    return kept


def unsafe_reuse(
    needed: Mapping[str, str | None] | None, seeded: Iterable[str], pages: Mapping[str, str]
) -> str | None:
    """Why a bundle indexed with the fragments ``seeded`` (names) given to Pagefind may
    publish one under another page's name, in words (``None``: it cannot).

    ``needed`` are the fragments the bundle's metadata names, with the address
    each holds (``None``: metadata this code cannot read); ``pages`` are the
    bundle's pages by address. A given fragment is the right one for every page
    whose fragment has its name, unless that name is also the start of another
    needed fragment's name (or the other way round): Pagefind lengthens a name
    only when two fragments of the same run start alike, and which one gets the
    shorter name depends on the order it reads the pages in, so a kept file can
    hold the fragment of the page whose name is now the longer one. Every
    fragment must also hold a page's address, each once.
    """
    names = set(seeded)
    if not names:
        return None
    if needed is None:
        return "the index's metadata could not be read to check the fragments given"
    urls = list(needed.values())
    if len(set(urls)) != len(urls):
        return "two fragments hold the same page"
    stray = next((url for url in urls if url not in pages), False)
    if stray is not False:
        return f"a fragment holds {stray!r}, which is none of the pages indexed"
    stems = sorted(name.removesuffix(SUFFIX) for name in needed)
    for shorter, longer in itertools.pairwise(stems):
        if longer.startswith(shorter):
            return f"two fragments are named alike ({shorter}, {longer})"
    return None


class Kept:
    """The search cache of one build: read once (``seed`` reads it from any thread),
    written once, after every bundle succeeded (``save``).

    ``folder`` is ``SEARCH_CACHE_PATH``. A folder that is a symbolic link (or
    whose ``fragments`` is one) is not used: nothing is read from it or
    written to it, and the build indexes without it."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.fragments = folder / FRAGMENTS
        self.key = key
        self.usable = self._usable()
        self.entries = read_record(folder, key) if self.usable else {}
        self.by_page: dict[tuple[str, str], list[str]] = {}
        for name, entry in self.entries.items():
            self.by_page.setdefault((entry.url, entry.sha), []).append(name)

    def _usable(self) -> bool:
        for path in (self.folder, self.fragments):
            try:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    logger.warning(
                        "%s: the search cache is a symbolic link, so it is not used (point "
                        "SEARCH_CACHE_PATH at a folder of its own)", path,
                    )  # fmt: skip
                    return False
            except OSError:
                pass  # not there yet: made when the cache is saved
        return True

    def seed(self, target: Path, pages: Mapping[str, str]) -> set[str]:
        """Put into ``target`` (a bundle's ``fragment/`` folder, empty or missing) the kept
        fragment of every page of ``pages`` (address: SHA-256 of its file) kept from the
        same file. Returns the names put there; a fragment that cannot be is left out."""
        names = [
            name
            for url, sha in pages.items()
            for name in self.by_page.get((url, sha), ())
        ]  # fmt: skip
        if not names:
            return set()
        target.mkdir(parents=True, exist_ok=True)
        return {name for name in names if self._put(name, f"{target}/{name}")}

    def _put(self, name: str, target: str) -> bool:
        """Link (else copy) the kept fragment ``name`` to ``target``, if it is as kept."""
        entry = self.entries[name]
        source = f"{self.fragments}/{name}"
        try:
            try:
                os.link(source, target, **NO_FOLLOW)
            except OSError as error:
                if error.errno not in LINK_REFUSED:
                    raise
                return _copy_if(entry, source, target)
            if entry.matches(os.lstat(target)):  # the linked file itself, not a link
                return True
            os.unlink(target)  # noqa: PTH108 - thousands of files: no Path objects
        except OSError:
            _remove(target)
        return False

    def save(self, made: Mapping[str, Made]) -> None:
        """Keep the fragments this build published (``made``: by name), and only those.

        Each goes into the cache as a link to (else a copy of) the published
        file, under a name of its own, then renamed over its name: a build
        running at the same time never sees half a file, and a fragment it
        replaced no longer matches the other's record (which only costs that
        build its reuse). The record is written aside and renamed into place;
        then every kept fragment it does not list is deleted. A file that
        cannot be kept is left out; a record that cannot be written is
        said, and the build goes on (the next one indexes more).
        """
        if not self.usable:
            return
        try:
            self.fragments.mkdir(parents=True, exist_ok=True)
            if not (_real_folder(self.folder) and _real_folder(self.fragments)):
                return
        except OSError as error:
            logger.warning("%s: the search cache could not be made (%s)", self.folder, error)
            return
        record: dict[str, Entry] = {}
        for name, one in sorted(made.items()):
            if FRAGMENT_NAME.fullmatch(name):
                entry = self._keep(name, one)
                if entry is not None:
                    record[name] = entry
        try:
            _write_record(self.folder, self.key, record)
        except OSError as error:
            logger.warning("%s: the search cache was not saved (%s)", self.folder / RECORD, error)
            return
        self._remove_others(record)

    def _keep(self, name: str, one: Made) -> Entry | None:
        """The entry of ``name`` once its published file ``one`` is kept (``None``: not kept)."""
        old = self.entries.get(name)
        if old is not None and (old.url, old.sha) == (one.url, one.sha):
            try:
                if old.matches(os.lstat(f"{self.fragments}/{name}")):
                    return old  # the file given to Pagefind, still as kept
            except OSError:
                pass
        part = f"{self.fragments}/.{name.removesuffix(SUFFIX)}.{secrets.token_hex(8)}.part"
        try:
            try:
                os.link(one.path, part, **NO_FOLLOW)
            except OSError as error:
                if error.errno not in LINK_REFUSED:
                    raise
                shutil.copyfile(one.path, part, follow_symlinks=False)
            found = os.lstat(part)
            if not stat.S_ISREG(found.st_mode):
                return None
            os.replace(part, f"{self.fragments}/{name}")  # noqa: PTH105
        except OSError:
            return None
        finally:
            _remove(part)
        return Entry(found.st_size, found.st_mtime_ns, one.url, one.sha)

    def _remove_others(self, record: Mapping[str, Entry]) -> None:
        """Delete every kept fragment ``record`` does not list, and the parts left by a
        build killed while keeping (only files named as those are; links are removed,
        never followed)."""
        for name, path in _listed(self.fragments):
            if FRAGMENT_NAME.fullmatch(name) and name not in record:
                _remove(path)
        for folder, part in ((self.fragments, PART_NAME), (self.folder, RECORD_PART)):
            for name, path in _listed(folder):
                if part.fullmatch(name) and _older(path, PART_AGE):
                    _remove(path)


def _listed(folder: Path) -> list[tuple[str, str]]:
    """Each entry of ``folder`` that is not a folder (links included, not followed)."""
    try:
        with os.scandir(folder) as entries:
            return [(e.name, e.path) for e in entries if not e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _older(path: str, seconds: float) -> bool:
    """Whether ``path`` was last linked or changed more than ``seconds`` ago."""
    try:
        return time.time() - os.lstat(path).st_ctime > seconds
    except OSError:
        return False


def _copy_if(entry: Entry, source: str, target: str) -> bool:
    """Copy ``source`` to ``target`` if the file opened is the one ``entry`` records."""
    try:
        descriptor = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as file:
        if not entry.matches(os.fstat(file.fileno())):
            return False
        try:
            with open(target, "xb") as copy:  # noqa: PTH123
                shutil.copyfileobj(file, copy)
        except OSError:
            _remove(target)
            return False
    return True


def _remove(path: str | Path) -> None:
    """Remove ``path`` if it is there (a link itself, never what it points to)."""
    with contextlib.suppress(OSError):
        os.unlink(path)  # noqa: PTH108 - thousands of files: no Path objects


def _write_record(folder: Path, key: str, record: Mapping[str, Entry]) -> None:
    """Write ``RECORD`` aside, then rename it into place: never half a record."""
    part = folder / f".{RECORD}.{secrets.token_hex(8)}.part"
    try:
        with open(part, "x", encoding="utf-8") as file:  # noqa: PTH123
            json.dump(
                {"key": key, "fragments": {n: e.as_json() for n, e in record.items()}},
                file, separators=(",", ":"),
            )  # fmt: skip
        part.replace(folder / RECORD)
    finally:
        _remove(part)
