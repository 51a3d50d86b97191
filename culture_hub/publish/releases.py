"""Releases in folders: ``releases/<id>/`` and a ``current`` link switched in one step.

The layout web servers already use for deploys (Capistrano, Deployer): each
deploy is a new folder, the server's root is the ``current`` symbolic link,
and the switch is one ``rename`` of a new link over the old one, so a visitor
gets the old site or the new one, never a mixture. Going back is switching
the link to the release before.

The folder target uses this on the local disk; the rsync target runs the same
decisions (:func:`to_remove`, :func:`previous`) against the server over SSH.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .settings import PublishError

RELEASE_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9]{6}Z$")
# What a deploy folder may hold: anything else means the setting names a folder
# that is not ours (the project, the content, a home folder), so nothing is touched.
SHOWN_FILES = 20  # a deploy that sends this many files or fewer names them
OWN_NAMES = frozenset({"releases", "current", "nginx.conf", ".current.new", ".nginx.conf.new"})
# Each release is ``releases/<id>/site/`` (served) and ``releases/<id>/nginx.conf`` (never
# served); ``nginx.conf`` reaches the served release's through ``current`` (see below).
SITE = "site"
LIVE_CONFIG = Path("current/../nginx.conf")
# Before that layout a release's config was ``releases/<id>.nginx.conf`` beside it.
CONFIG_SUFFIX = ".nginx.conf"


def new_release_id(now: datetime | None = None) -> str:
    """A name that sorts by time: ``20261124T093000-123456Z``."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S-%fZ")


def release_names(names: list[str]) -> list[str]:
    """Only well-formed release names, oldest first."""
    return sorted(name for name in names if RELEASE_NAME.fullmatch(name))


def to_remove(names: list[str], current: str, keep: int) -> list[str]:
    """Releases beyond the newest ``keep``; the one being served is never removed."""
    ordered = release_names(names)
    return [name for name in ordered[: max(len(ordered) - keep, 0)] if name != current]


def previous(names: list[str], current: str) -> str:
    """The release before the one being served, or a plain error when there is none."""
    ordered = release_names(names)
    if current not in ordered:
        raise PublishError("nothing is being served yet, so there is nothing to roll back")
    at = ordered.index(current)
    if at == 0:
        raise PublishError(f"no previous release to roll back to: {current} is the oldest one kept")
    return ordered[at - 1]


@dataclass
class Deployed:
    """What a deploy did, for the one-line summary and the tests."""

    release: str
    uploaded: list[str] = field(default_factory=list)  # files sent (new or changed)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # old releases removed
    # True when the files (and server config) equal the current release's: then no new
    # release is made, so a rollback still goes back to the last different site.
    same: bool = False

    def summary(self, where: str) -> str:
        if self.same and not self.uploaded:
            return (
                f"nothing changed since release {self.release}: no new release made, "
                f"{where} serves it as before"
            )
        if self.same:
            return (
                f"sent {len(self.uploaded)} files that differed at {where}; they equal "
                f"release {self.release}, so no new release was made"
            )
        shown = ""
        if 0 < len(self.uploaded) <= SHOWN_FILES:
            shown = f" ({', '.join(sorted(self.uploaded))})"
        return (
            f"released {self.release} to {where}: {len(self.uploaded)} files sent{shown}, "
            f"{self.unchanged} unchanged"
            + (f", removed {len(self.removed)} old releases" if self.removed else "")
        )


class FolderReleases:
    """Releases kept in a local folder (the ``folder`` target).

    The layout, where ``<id>`` is a release::

        releases/<id>/site/        the files served
        releases/<id>/nginx.conf   its server config (beside the site, never served)
        current -> releases/<id>/site
        nginx.conf -> current/../nginx.conf

    ``nginx.conf`` is a fixed link *through* ``current``: the system resolves
    ``current/..`` after following ``current``, so it names the served
    release's own config. One rename of ``current`` switches the files and
    the config together; nginx never reads a config of another release.

    Folders deployed before this layout (``releases/<id>/`` holding the site,
    ``releases/<id>.nginx.conf``, ``nginx.conf`` a copy) are moved into it by
    the next deploy or rollback, each release once it is not being served; a
    release made before configs were kept gets ``config_for`` its own site
    (its own ``_redirects``), or, without it, the config served until then.
    """

    def __init__(self, folder: Path, config_for: Callable[[Path], str] | None = None) -> None:
        self.folder = folder
        self.releases = folder / "releases"
        self.current = folder / "current"
        self.config_for = config_for

    def check_ours(self) -> None:
        """Refuse a folder that holds anything but releases (a wrong PUBLISH_FOLDER)."""
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise PublishError(f"PUBLISH_FOLDER {self.folder} is not a folder; choose a new one")
        if self.folder.is_dir():
            strays = sorted(p.name for p in self.folder.iterdir() if p.name not in OWN_NAMES)
            if strays:
                raise PublishError(
                    f"PUBLISH_FOLDER {self.folder} holds {', '.join(strays[:3])}, which no "
                    "deploy made; set PUBLISH_FOLDER to an empty or new folder"
                )

    def serving(self) -> str:
        """The release ``current`` points at ('' when none)."""
        if not self.current.is_symlink():
            return ""
        parts = self.current.readlink().parts  # releases/<id>/site (or releases/<id>: old)
        return parts[1] if len(parts) > 1 and parts[0] == "releases" else ""

    def names(self) -> list[str]:
        if not self.releases.is_dir():
            return []
        return release_names([p.name for p in self.releases.iterdir() if p.is_dir()])

    def is_old(self, release: str) -> bool:
        """A release laid out before configs were reached through ``current`` (the site
        itself in ``releases/<id>/``: every site has an ``index.html``)."""
        return (self.releases / release / "index.html").is_file()

    def site_of(self, release: str) -> Path:
        """The folder holding the files of ``release``."""
        folder = self.releases / release
        return folder if self.is_old(release) else folder / SITE

    def config_of(self, release: str) -> Path:
        """Where the server config of ``release`` is kept (beside its site, not served)."""
        if self.is_old(release):
            return self.releases / f"{release}{CONFIG_SUFFIX}"
        return self.releases / release / "nginx.conf"

    def deploy(
        self, site: Path, keep: int, release: str | None = None, config: str | None = None
    ) -> Deployed:
        """Copy ``site`` as a new release (unchanged files hard-linked), then switch to it.

        When every file and the ``config`` equal the current release's, nothing is made:
        a new copy of the same site would push the last different one out of reach of
        ``invoke rollback``.
        """
        self.check_ours()
        release = release or new_release_id()
        before = self.serving()
        self.migrate(before)
        base = self.site_of(before) if before else None
        target = self.releases / release
        staging = self.releases / f".{release}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / SITE).mkdir(parents=True)
        done = Deployed(release)
        for path in sorted(site.rglob("*")):
            relative = path.relative_to(site)
            out = staging / SITE / relative
            if path.is_dir():
                out.mkdir(exist_ok=True)
                continue
            old = base / relative if base else None
            if old is not None and old.is_file() and filecmp.cmp(old, path, shallow=False):
                os.link(old, out)
                done.unchanged += 1
            else:
                shutil.copyfile(path, out)
                done.uploaded.append(relative.as_posix())
        if base is not None and not done.uploaded and self._same_config(before, config):
            kept = sum(1 for path in base.rglob("*") if path.is_file() or path.is_symlink())
            if kept == done.unchanged:  # nothing sent and nothing gone: the same site
                shutil.rmtree(staging)
                self._link_config()
                return Deployed(before, [], done.unchanged, same=True)
        if config is not None:
            (staging / "nginx.conf").write_text(config, encoding="utf-8")
        staging.rename(target)
        self.switch(release)
        self.migrate(release)  # the release served until now, if it was laid out the old way
        for name in to_remove(self.names(), release, keep):
            shutil.rmtree(self.releases / name)
            (self.releases / f"{name}{CONFIG_SUFFIX}").unlink(missing_ok=True)
            done.removed.append(name)
        return done

    def _same_config(self, release: str, config: str | None) -> bool:
        kept = self.config_of(release)
        if config is None:
            return not kept.exists()
        return kept.is_file() and kept.read_text(encoding="utf-8") == config

    def switch(self, release: str) -> None:
        """Point ``current`` at ``releases/<release>/site`` in one rename: the files and,
        through the ``nginx.conf`` link, the config change together."""
        if self.current.exists() and not self.current.is_symlink():
            raise PublishError(
                f"{self.current} is a real folder, not the link a deploy switches; move it "
                "away (a web server should serve the link) and publish again"
            )
        link = self.folder / ".current.new"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(self.site_of(release).relative_to(self.folder))
        link.replace(self.current)
        self._link_config()

    def _link_config(self) -> None:
        """Make ``nginx.conf`` the fixed link through ``current`` (once; a folder deployed
        before it was one holds a copy, replaced here right after ``current`` switched)."""
        live = self.folder / "nginx.conf"
        if live.is_symlink() and live.readlink() == LIVE_CONFIG:
            return
        if self.serving() and self.is_old(self.serving()):
            return  # current/.. is releases/: the old copy stays until a new-layout release
        fresh = self.folder / ".nginx.conf.new"
        if fresh.is_symlink() or fresh.exists():
            fresh.unlink()
        fresh.symlink_to(LIVE_CONFIG)
        fresh.replace(live)

    def migrate(self, served: str) -> None:
        """Move every old-layout release except ``served`` into ``releases/<id>/site``, with
        its config beside it (each step a rename; an interrupted move is finished here)."""
        if not self.releases.is_dir():
            return
        for moving in sorted(self.releases.glob(".*.migrating")):
            name = moving.name[1 : -len(".migrating")]
            if RELEASE_NAME.fullmatch(name) and not (self.releases / name).exists():
                moving.rename(self.releases / name)
        live = self.folder / "nginx.conf"
        for name in self.names():
            if name == served or not self.is_old(name):
                continue
            moving = self.releases / f".{name}.migrating"
            old_config = self.releases / f"{name}{CONFIG_SUFFIX}"
            made = None  # a release made before configs were kept: its own, made first
            if not old_config.is_file() and self.config_for is not None:
                made = self.config_for(self.releases / name)
            moving.mkdir()
            (self.releases / name).rename(moving / SITE)
            if old_config.is_file():
                old_config.rename(moving / "nginx.conf")
            elif made is not None:
                (moving / "nginx.conf").write_text(made, encoding="utf-8")
            elif live.is_file() and not live.is_symlink():
                shutil.copyfile(live, moving / "nginx.conf")
            moving.rename(self.releases / name)

    def rollback(self) -> tuple[str, bool]:
        """Serve the release before the current one; returns its name and whether its
        server config came back with it."""
        self.check_ours()
        served = self.serving()
        self.migrate(served)
        before = previous(self.names(), served)
        self.switch(before)
        self.migrate(before)  # the one served until now
        return before, self.config_of(before).is_file()
