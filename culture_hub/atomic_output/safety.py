"""Which output folders a build must refuse, and which leftovers it may remove. No Pelican import.

A build empties its output folder: Pelican's ``DELETE_OUTPUT_DIRECTORY``
removes what is in it, and the atomic swap (``swap.py``) moves the whole
folder aside and deletes it. Pointed at the wrong place (``-o content``,
``-o ..``, ``-o ~``), either would delete stories, the theme or a Git
repository. So before anything is written or deleted the output folder is
checked here, after resolving symbolic links, against every folder a build
must never delete (:func:`refusal`), and the build stops with one line
saying which folder and why.

A folder that holds anything but a site built before (``-o ~/Documents``) is
refused too, unless it lies inside the project: the build would delete what
it holds.

A build killed half-way (out of memory, Ctrl-C twice, a power cut) leaves its
hidden staging or old folder beside the output; :func:`leftovers` names the
ones whose build is no longer running, so the next build can remove them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# What to tell the writer to do instead, at the end of every refusal.
ADVICE = "choose another folder, such as output/, and build again"
GIT = ".git"


@dataclass(frozen=True)
class Protected:
    """The folders a build must never empty, each with the words that name it."""

    content: Path
    theme: Path | None = None
    projects: tuple[Path, ...] = ()
    plugins: tuple[Path, ...] = ()
    home: Path | None = None
    # Names Pelican keeps in the output folder (``OUTPUT_RETENTION``): a ``.git``
    # kept there is the published site's own checkout (a gh-pages branch).
    retained: frozenset[str] = field(default_factory=frozenset)
    # Folders of the settings files: a folder inside one is the project's own
    # (``output/``, ``dev-output/``), whatever it holds.
    owned: tuple[Path, ...] = ()


def real(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute with every symbolic link resolved (it need not exist)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies somewhere inside it (both resolved)."""
    return path == folder or folder in path.parents


def _relation(output: Path, folder: Path, name: str, *, inside_too: bool) -> str | None:
    """How ``output`` would endanger ``folder`` (``name`` says what it is), if it would."""
    if output == folder:
        return f"it is {name}"
    if output in folder.parents:
        return f"it holds {name} {folder}"
    if inside_too and folder in output.parents:
        return f"it is inside {name} {folder}"
    return None


def refusal(
    output: str | os.PathLike[str], protected: Protected, *, deep: bool = True
) -> str | None:
    """Why a build must not write into ``output``, or ``None`` when it may.

    The one-line message names the folder, the reason and what to do.
    ``deep=False`` leaves out the search for repositories below the output
    folder's top (it walks every folder of an existing site: 0.1 s at 5,000
    stories), for a first check that must cost nothing.
    """
    target = real(output)
    reason = _reason(target, protected, deep=deep)
    if reason is None:
        return None
    return (
        f"Refusing to build into {target}: {reason}, and a build deletes what is in its "
        f"output folder; nothing was written or deleted ({ADVICE})."
    )


def _reason(output: Path, protected: Protected, *, deep: bool) -> str | None:
    """The first rule ``output`` breaks, in words (see ``refusal``)."""
    home = real(protected.home) if protected.home is not None else None
    simple = [
        (output == Path(output.anchor), "it is the root of the file system"),
        (home == output, "it is your home folder"),
        (home is not None and output in home.parents, f"it holds your home folder {home}"),
        (output.exists() and not output.is_dir(), "it is a file, not a folder"),
        (GIT in output.parts, "it is inside a Git folder (.git)"),
    ]
    for broken, reason in simple:
        if broken:
            return reason
    checks: list[tuple[Iterable[Path], str, bool]] = [
        ([real(protected.content)], "the content folder", True),
        ([real(p) for p in protected.projects], "the project folder", False),
        ([real(protected.theme)] if protected.theme else [], "the theme folder", False),
        ([real(p) for p in protected.plugins], "the plugins folder", False),
    ]
    for folders, name, inside_too in checks:
        for folder in folders:
            reason = _relation(output, folder, name, inside_too=inside_too)
            if reason:
                return reason
    repository = repository_in(output, protected.retained, deep=deep)
    if repository == output:
        return "it is a Git repository (it holds .git)"
    if repository is not None:
        return f"it holds the Git repository {repository}"
    if foreign(output, protected):
        return (
            "it holds files and is not a site the culture hub built (a built site has "
            "a feeds/ folder)"
        )
    return None


# What every site the culture hub builds has at its top (its feeds).
SITE_MARK = "feeds"


def foreign(output: Path, protected: Protected) -> bool:
    """Whether ``output`` holds files a build would delete that are not a built site.

    A new or empty folder, a folder inside the project (next to its settings
    file), a site built before (it has ``feeds/``, even with pages deleted) and
    a folder set up to keep a retained name (a ``gh-pages`` checkout keeping
    ``.git``) are fine; any other folder with something in it
    (``-o ~/Documents``, a typo) would lose what it holds.
    """
    if any(_within(output, real(folder)) and output != real(folder) for folder in protected.owned):
        return False
    try:
        names = {entry.name for entry in os.scandir(output)}
    except OSError:  # missing (a new folder), or not a folder: other rules decide
        return False
    if names & set(protected.retained) or SITE_MARK in names:
        return False
    return bool(names)


def repository_in(folder: Path, retained: Iterable[str] = (), *, deep: bool = True) -> Path | None:
    """The first folder at or under ``folder`` (only ``folder`` itself unless ``deep``)
    that holds a ``.git`` entry, if any.

    Breadth first, so a repository near the top is found at once. Symbolic
    links are not followed (emptying a folder removes a link, never what it
    points to), and names Pelican retains in the output folder are skipped,
    since they are kept.
    """
    kept = set(retained)
    if not folder.is_dir() or folder.is_symlink():
        return None
    level = [folder]
    while level:
        below: list[Path] = []
        for current in level:
            try:
                entries = list(os.scandir(current))
            except OSError:  # unreadable: the build cannot empty it either
                continue
            skip = kept if current == folder else set()
            names = {entry.name for entry in entries}
            if GIT in names and GIT not in skip:
                return current
            below += [
                Path(entry.path)
                for entry in entries
                if entry.name not in skip and entry.is_dir(follow_symlinks=False)
            ]
        level = below if deep else []
    return None


# The hidden folders a build makes beside its output (``swap.py``, ``search``):
# ``.output.staging-<pid>``, ``.output.old-<pid>``, ``.output.search-<pid>-<random>``.
def _leftover_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.(?:staging|old|search)-(?P<pid>[0-9]+)(?:-[^/]*)?")


def leftovers(final: Path) -> Iterator[Path]:
    """Hidden folders beside ``final`` left by builds of it that are no longer running.

    Only this output's own names, and only when the process id in the name is
    not a running process (a build still running keeps its folders).
    """
    pattern = _leftover_pattern(final.name)
    try:
        entries = list(os.scandir(final.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not running(int(match["pid"])):
            yield Path(entry.path)


def running(pid: int) -> bool:
    """Whether a process with this id exists (ours, or anyone's)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, it is someone else's
        return True
    except OSError:
        return False
    return True
