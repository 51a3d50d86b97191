"""Publishing settings: declared here once (``SETTINGS``), read when a site is deployed.

Like every capability's, they are written into Pelican's settings and checked
when a build starts (a bad ``PUBLISH_*`` value in ``publishconf.py`` stops
the build, in one line). ``invoke publish`` and ``invoke rollback`` read the
settings file without running Pelican, so :meth:`PublishSettings.from_settings`
checks the same declarations and says the same words.

What every value must look like is checked here, whatever the target; what a
target needs set (``rsync``: a host and a folder) is checked when that target
is used (``require_*``), so a ``folder`` deploy does not ask for an SSH host.

Every mistake here is a :class:`PublishError`: one line, what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from culture_hub.declare import (
    Check,
    Setting,
    SettingsError,
    items,
    one_of,
    read_all,
    text,
    whole,
)

TARGETS = ("folder", "rsync", "object-store", "github-pages")
# Only the site's own scripts run. Pagefind compiles its WebAssembly search
# ('wasm-unsafe-eval'); the theme and Pagefind's interface set style attributes.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_USER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")
_BRANCH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
# Written into nginx.conf as is: no ';', quotes or braces can end the directive.
_LISTEN = re.compile(r"[A-Za-z0-9.:\[\]][A-Za-z0-9.:\[\] ]{0,99}")
# Passed to rsync, rclone and git as one argument: never an option, never two lines.
_ARGUMENT = r"[^-\s\x00][^\n\r\x00]*"


class PublishError(Exception):
    """A deploy cannot go on: the message says what is wrong and how to fix it."""


def _or_empty(inner: Check) -> Check:
    """``""`` or ``None`` (not set: the target that needs it says so) or what ``inner`` accepts."""
    return lambda value: None if value in ("", None) else inner(value)


def _host(value: Any) -> str | None:
    if isinstance(value, str) and _HOST.fullmatch(value):
        return None
    return f"{value!r} is not a host name"


def _server_name(value: Any) -> str | None:
    return None if value == "_" else _host(value)


def _user(value: Any) -> str | None:
    if isinstance(value, str) and _USER.fullmatch(value):
        return None
    return f"{value!r} is not a user name"


def _server_folder(value: Any) -> str | None:
    """An absolute folder on the server, not ``/`` itself (releases are removed under it)."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and value.strip("/")
        and not any(c in value for c in "\n\r\x00")
    ):
        return None
    return f"{value!r} is not an absolute folder other than /"


def _folder(value: Any) -> str | None:
    """A folder here: text or a ``Path``, one line, not empty."""
    path = os.fspath(value) if isinstance(value, str | os.PathLike) else None
    if isinstance(path, str) and path.strip() and not any(c in path for c in "\n\r\x00"):
        return None
    return f"{value!r} is not a folder"


def _branch(value: Any) -> str | None:
    if isinstance(value, str) and _BRANCH.fullmatch(value) and ".." not in value:
        return None
    return f"{value!r} is not a branch name"


def _listen(value: Any) -> str | None:
    """An nginx ``listen`` value: a port (a number, as ``-e`` gives it) or address:port."""
    if isinstance(value, int) and not isinstance(value, bool):
        return whole(1, 65535)(value)
    if isinstance(value, str) and _LISTEN.fullmatch(value):
        return None
    return f"{value!r} is not an nginx listen value"


_STRINGS = items(text(what="a string"), "a list of strings")

PUBLISH_TARGET = Setting(
    "PUBLISH_TARGET", "folder",
    "where `invoke publish` deploys without `--target`: `folder`, `rsync`, `object-store`, "
    "`github-pages`",
    one_of(*TARGETS), "set PUBLISH_TARGET to one of them",
)  # fmt: skip
PUBLISH_KEEP_RELEASES = Setting(
    "PUBLISH_KEEP_RELEASES", 5,
    "releases kept by `folder`, `rsync` and `object-store` (2 or more); older ones are "
    "removed after a deploy, never the one being served",
    whole(2), "keep 2 or more: one release to serve and one to roll back to",
)  # fmt: skip
PUBLISH_FOLDER = Setting(
    "PUBLISH_FOLDER", "deploy",
    "the `folder` target's folder (a relative one is beside the settings file): "
    "`releases/<id>/`, `current`, `nginx.conf`; a folder holding anything else is refused",
    _folder, "name a folder, relative to the settings file or absolute",
    shown='`"deploy"` (beside the settings file)',
)  # fmt: skip
PUBLISH_RSYNC_HOST = Setting(
    "PUBLISH_RSYNC_HOST", "",
    "the web server the `rsync` target reaches over SSH (required by `rsync`)",
    _or_empty(_host), "use the server's host name, such as web1.example.org",
)  # fmt: skip
PUBLISH_RSYNC_USER = Setting(
    "PUBLISH_RSYNC_USER", "", "the SSH user of the `rsync` target (`\"\"`: SSH's default)",
    _or_empty(_user), "use the SSH user's name, or remove the line for SSH's default",
)  # fmt: skip
PUBLISH_RSYNC_PORT = Setting(
    "PUBLISH_RSYNC_PORT", 22, "the SSH port of the `rsync` target",
    whole(1, 65535), "set the server's SSH port (22 unless it says otherwise)",
)  # fmt: skip
PUBLISH_RSYNC_PATH = Setting(
    "PUBLISH_RSYNC_PATH", "",
    "absolute folder on the server holding `releases/`, `current` and `nginx.conf` "
    "(required by `rsync`)",
    _or_empty(_server_folder), "use an absolute folder on the server, such as /srv/culture-hub",
)  # fmt: skip
PUBLISH_SSH_OPTIONS = Setting(
    "PUBLISH_SSH_OPTIONS", (), "extra `ssh` arguments, e.g. `[\"-i\", \"/home/me/.ssh/deploy\"]`",
    _STRINGS, "use a list of strings, such as ['-i', '/home/me/.ssh/deploy']",
)  # fmt: skip
PUBLISH_RCLONE_REMOTE = Setting(
    "PUBLISH_RCLONE_REMOTE", "",
    "the `object-store` target's rclone destination, `remote:bucket/path` (required by "
    "`object-store`; the remote is set up with `rclone config` or `RCLONE_CONFIG_*` variables)",
    _or_empty(text(_ARGUMENT, "an rclone destination")),
    "use remote:bucket/path, such as 'culture-s3:my-bucket/site'",
)  # fmt: skip
PUBLISH_RCLONE_OPTIONS = Setting(
    "PUBLISH_RCLONE_OPTIONS", (), "extra `rclone` arguments, e.g. `[\"--s3-acl\", \"private\"]`",
    _STRINGS, "use a list of strings, such as ['--s3-acl', 'private']",
)  # fmt: skip
PUBLISH_GITHUB_BRANCH = Setting(
    "PUBLISH_GITHUB_BRANCH", "gh-pages", "the branch the `github-pages` target commits to",
    _branch, "use a branch name, such as gh-pages",
)  # fmt: skip
PUBLISH_GITHUB_REMOTE = Setting(
    "PUBLISH_GITHUB_REMOTE", "origin",
    "the git remote the `github-pages` target pushes to (`\"\"`: commit only, no push)",
    _or_empty(text(_ARGUMENT, "a remote name")),
    "use a remote's name or address, such as origin, or \"\" to commit without pushing",
)  # fmt: skip
PUBLISH_CSP = Setting(
    "PUBLISH_CSP", DEFAULT_CSP,
    "the Content-Security-Policy of the generated server configurations",
    text(r"[^\"\\\n\r]*\S[^\"\\\n\r]*", "one line of policy text"),
    "write the policy on one line without double quotes or backslashes",
    shown="only the site's own scripts (see Publishing)",
)  # fmt: skip
PUBLISH_SERVER_NAME = Setting(
    "PUBLISH_SERVER_NAME", "", "the nginx config's `server_name` (`\"\"`: `SITEURL`'s host)",
    _or_empty(_server_name), "use the site's host name, or remove the line for SITEURL's",
    shown="`SITEURL`'s host (`_` without one)",
)  # fmt: skip
PUBLISH_NGINX_LISTEN = Setting(
    "PUBLISH_NGINX_LISTEN", "80", "the nginx config's `listen`",
    _listen, "use an nginx listen value such as 80 or 127.0.0.1:8080",
)  # fmt: skip

SETTINGS = (
    PUBLISH_TARGET,
    PUBLISH_KEEP_RELEASES,
    PUBLISH_FOLDER,
    PUBLISH_RSYNC_HOST,
    PUBLISH_RSYNC_USER,
    PUBLISH_RSYNC_PORT,
    PUBLISH_RSYNC_PATH,
    PUBLISH_SSH_OPTIONS,
    PUBLISH_RCLONE_REMOTE,
    PUBLISH_RCLONE_OPTIONS,
    PUBLISH_GITHUB_BRANCH,
    PUBLISH_GITHUB_REMOTE,
    PUBLISH_CSP,
    PUBLISH_SERVER_NAME,
    PUBLISH_NGINX_LISTEN,
)


@dataclass(frozen=True)
class PublishSettings:
    project: Path
    siteurl: str = ""
    target: str = "folder"
    keep: int = 5
    folder: Path = Path("deploy")
    rsync_host: str = ""
    rsync_user: str = ""
    rsync_port: int = 22
    rsync_path: str = ""
    ssh_options: tuple[str, ...] = ()
    rclone_remote: str = ""
    rclone_options: tuple[str, ...] = ()
    github_branch: str = "gh-pages"
    github_remote: str = "origin"
    csp: str = DEFAULT_CSP
    server_name: str = "_"
    nginx_listen: str = "80"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], project: Path) -> PublishSettings:
        """Every ``PUBLISH_*`` setting, read and checked by its declaration.

        ``project`` is the settings file's folder: a relative ``PUBLISH_FOLDER``
        is beside it.
        """
        try:
            values = read_all(settings, SETTINGS)
        except SettingsError as error:
            raise PublishError(str(error)) from None
        siteurl = str(settings.get("SITEURL", "") or "")
        server_name = values["PUBLISH_SERVER_NAME"] or urlsplit(siteurl).hostname or "_"
        if _server_name(server_name):
            raise PublishError(
                f"PUBLISH_SERVER_NAME: SITEURL's host {server_name!r} is not a host name; "
                "set PUBLISH_SERVER_NAME to the site's host name"
            )
        folder = Path(values["PUBLISH_FOLDER"])
        return cls(
            project=project,
            siteurl=siteurl,
            target=values["PUBLISH_TARGET"],
            keep=values["PUBLISH_KEEP_RELEASES"],
            folder=folder if folder.is_absolute() else project / folder,
            rsync_host=values["PUBLISH_RSYNC_HOST"] or "",
            rsync_user=values["PUBLISH_RSYNC_USER"] or "",
            rsync_port=values["PUBLISH_RSYNC_PORT"],
            rsync_path=values["PUBLISH_RSYNC_PATH"] or "",
            ssh_options=tuple(values["PUBLISH_SSH_OPTIONS"]),
            rclone_remote=values["PUBLISH_RCLONE_REMOTE"] or "",
            rclone_options=tuple(values["PUBLISH_RCLONE_OPTIONS"]),
            github_branch=values["PUBLISH_GITHUB_BRANCH"],
            github_remote=values["PUBLISH_GITHUB_REMOTE"] or "",
            csp=values["PUBLISH_CSP"].strip(),
            server_name=server_name,
            nginx_listen=str(values["PUBLISH_NGINX_LISTEN"]),
        )

    def require_rsync(self) -> None:
        """The ``rsync`` target's settings are all there (their form is checked on reading)."""
        missing = [
            name
            for name, value in (
                ("PUBLISH_RSYNC_HOST", self.rsync_host),
                ("PUBLISH_RSYNC_PATH", self.rsync_path),
            )
            if not value
        ]
        if missing:
            raise PublishError(
                f"the rsync target needs {' and '.join(missing)} in publishconf.py "
                "(see README, 'Publishing with rsync')"
            )

    def require_rclone(self) -> None:
        """The ``object-store`` target has somewhere to go."""
        if not self.rclone_remote:
            raise PublishError(
                "the object-store target needs PUBLISH_RCLONE_REMOTE in publishconf.py, "
                "such as 'culture-s3:my-bucket/site' (see README, 'Publishing to an object store')"
            )
