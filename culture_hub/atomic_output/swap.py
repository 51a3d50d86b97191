"""Write a build aside and swap it in only when it succeeded. No Pelican import.

``ATOMIC_OUTPUT`` (default ``False``; ``True`` in publishconf.py): the build
writes into a hidden sibling of the output folder; when the build finishes,
the finished folder replaces the old output (names in ``OUTPUT_RETENTION``,
such as ``.git``, are carried over). A build that fails never touches the
output folder, and its staging folder is removed.

Nothing outside the output folder is deleted but this build's own hidden
siblings and those left by builds of the same folder that were killed
(``safety.leftovers``: only when their process is gone).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .safety import leftovers


@dataclass(frozen=True)
class Staging:
    final: Path
    staging: Path

    @classmethod
    def beside(cls, final: Path) -> Staging:
        final = final.resolve()
        staging = final.parent / f".{final.name}.staging-{os.getpid()}"
        return cls(final, staging)

    def prepare(self) -> Path:
        """An empty staging folder, ready for the build."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self.staging

    def commit(self, retain: tuple[str, ...] = ()) -> None:
        """Put the finished build where the output was; the old one goes away.

        If the finished folder cannot be moved in, the old output (with what
        it retains) is put back before the error is raised, so a failed swap
        still leaves the last good site.
        """
        old = self.final.parent / f".{self.final.name}.old-{os.getpid()}"
        moved: list[str] = []
        if self.final.exists():
            for name in retain:
                kept = self.final / name
                if kept.exists() and not (self.staging / name).exists():
                    kept.rename(self.staging / name)
                    moved.append(name)
            self.final.rename(old)
        try:
            self.staging.rename(self.final)
        except OSError:
            if old.exists() and not self.final.exists():
                old.rename(self.final)
                for name in moved:
                    (self.staging / name).rename(self.final / name)
            raise
        # Thousands of unlinks (seconds on a large site) need not hold up the build.
        if old.exists():
            remove_detached(old)
        remove_leftovers(self.final)

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def remove_leftovers(final: Path) -> None:
    """Remove what killed builds of ``final`` left beside it, without waiting for it."""
    for leftover in leftovers(final):
        if leftover.is_symlink():  # not ours to follow: only the link goes
            leftover.unlink(missing_ok=True)
        else:
            remove_detached(leftover)


def remove_detached(path: Path) -> None:
    """Delete ``path`` in a detached process, so the caller returns at once.

    The grandchild closes every inherited descriptor (a caller reading the
    build's output pipes must not wait for it) and starts its own session.
    Without ``fork`` (Windows), the folder is deleted here.
    """
    if not hasattr(os, "fork"):
        shutil.rmtree(path, ignore_errors=True)
        return
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    try:  # the child: start the remover and leave, so nobody has to wait for it
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
            shutil.rmtree(path, ignore_errors=True)
    finally:
        os._exit(0)
