"""Publishing settings, read once from ``publishconf.py`` when a site is deployed.

- ``PUBLISH_TARGET`` (``"folder"``): where ``invoke publish`` deploys when no
  ``--target`` is given: ``folder``, ``rsync``, ``object-store`` or ``github-pages``.
- ``PUBLISH_KEEP_RELEASES`` (``5``): releases kept by the targets that keep them
  (``folder``, ``rsync``, ``object-store``); older ones are removed after a deploy.
- ``PUBLISH_FOLDER`` (``"deploy"``, beside ``publishconf.py``): the ``folder`` target's
  folder; it holds ``releases/<id>/`` and the ``current`` link a web server serves.
- ``PUBLISH_RSYNC_HOST`` (``""``, required by ``rsync``): the web server's host name.
- ``PUBLISH_RSYNC_USER`` (``""``): the SSH user (empty: SSH's own default).
- ``PUBLISH_RSYNC_PORT`` (``22``): the SSH port.
- ``PUBLISH_RSYNC_PATH`` (``""``, required by ``rsync``): the absolute folder on the server
  that holds ``releases/`` and ``current``.
- ``PUBLISH_SSH_OPTIONS`` (``[]``): extra ``ssh`` arguments, e.g. ``["-i", "~/.ssh/deploy"]``.
- ``PUBLISH_RCLONE_REMOTE`` (``""``, required by ``object-store``): an rclone destination,
  ``remote:bucket/path`` (the remote is set up with ``rclone config`` or ``RCLONE_CONFIG_*``
  environment variables).
- ``PUBLISH_RCLONE_OPTIONS`` (``[]``): extra ``rclone`` arguments.
- ``PUBLISH_GITHUB_BRANCH`` (``"gh-pages"``) and ``PUBLISH_GITHUB_REMOTE`` (``"origin"``):
  where the ``github-pages`` target pushes (an empty remote: commit only, no push).
- ``PUBLISH_CSP`` (see :data:`DEFAULT_CSP`): the Content-Security-Policy of the generated
  server configurations.
- ``PUBLISH_SERVER_NAME`` (``SITEURL``'s host): the nginx ``server_name``.
- ``PUBLISH_NGINX_LISTEN`` (``"80"``): the nginx ``listen`` value.

Every mistake here is a :class:`PublishError`: one line, what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


class PublishError(Exception):
    """A deploy cannot go on: the message says what is wrong and how to fix it."""


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
        """Read and check every ``PUBLISH_*`` setting (the target's own are checked on use)."""
        target = settings.get("PUBLISH_TARGET", "folder")
        if target not in TARGETS:
            raise PublishError(
                f"PUBLISH_TARGET is {target!r}; use one of {', '.join(TARGETS)} in publishconf.py"
            )
        keep = settings.get("PUBLISH_KEEP_RELEASES", 5)
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 2:
            raise PublishError(
                f"PUBLISH_KEEP_RELEASES is {keep!r}; set a whole number of 2 or more in "
                "publishconf.py (one release to serve and one to roll back to)"
            )
        port = settings.get("PUBLISH_RSYNC_PORT", 22)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise PublishError(f"PUBLISH_RSYNC_PORT is {port!r}; set a port number (1-65535)")
        csp = settings.get("PUBLISH_CSP", DEFAULT_CSP)
        if not isinstance(csp, str) or not csp.strip() or any(c in csp for c in '"\n\r\\'):
            raise PublishError(
                "PUBLISH_CSP must be one line of policy text without double quotes or backslashes"
            )
        listen = str(settings.get("PUBLISH_NGINX_LISTEN", "80"))
        if not re.fullmatch(r"[A-Za-z0-9.:\[\] ]{1,100}", listen):
            raise PublishError(
                f"PUBLISH_NGINX_LISTEN is {listen!r}; use an nginx listen value such as 80"
            )
        siteurl = str(settings.get("SITEURL", "") or "")
        server_name = settings.get("PUBLISH_SERVER_NAME") or urlsplit(siteurl).hostname or "_"
        if server_name != "_" and not _HOST.fullmatch(server_name):
            raise PublishError(f"PUBLISH_SERVER_NAME is {server_name!r}; use a host name")
        folder = Path(settings.get("PUBLISH_FOLDER", "deploy"))
        return cls(
            project=project,
            siteurl=siteurl,
            target=target,
            keep=keep,
            folder=folder if folder.is_absolute() else project / folder,
            rsync_host=str(settings.get("PUBLISH_RSYNC_HOST", "") or ""),
            rsync_user=str(settings.get("PUBLISH_RSYNC_USER", "") or ""),
            rsync_port=port,
            rsync_path=str(settings.get("PUBLISH_RSYNC_PATH", "") or ""),
            ssh_options=_strings(settings, "PUBLISH_SSH_OPTIONS"),
            rclone_remote=str(settings.get("PUBLISH_RCLONE_REMOTE", "") or ""),
            rclone_options=_strings(settings, "PUBLISH_RCLONE_OPTIONS"),
            github_branch=str(settings.get("PUBLISH_GITHUB_BRANCH", "gh-pages")),
            github_remote=str(settings.get("PUBLISH_GITHUB_REMOTE", "origin") or ""),
            csp=csp.strip(),
            server_name=server_name,
            nginx_listen=listen,
        )

    def require_rsync(self) -> None:
        """The ``rsync`` target's settings are all there and usable."""
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
        if not _HOST.fullmatch(self.rsync_host):
            raise PublishError(f"PUBLISH_RSYNC_HOST is {self.rsync_host!r}; use a host name")
        if self.rsync_user and not _USER.fullmatch(self.rsync_user):
            raise PublishError(f"PUBLISH_RSYNC_USER is {self.rsync_user!r}; use a user name")
        if (
            not self.rsync_path.startswith("/")
            or self.rsync_path.rstrip("/") == ""
            or "\n" in self.rsync_path
        ):
            raise PublishError(
                f"PUBLISH_RSYNC_PATH is {self.rsync_path!r}; use an absolute folder on the "
                "server, such as /srv/culture-hub"
            )

    def require_rclone(self) -> None:
        """The ``object-store`` target has somewhere to go."""
        if not self.rclone_remote:
            raise PublishError(
                "the object-store target needs PUBLISH_RCLONE_REMOTE in publishconf.py, "
                "such as 'culture-s3:my-bucket/site' (see README, 'Publishing to an object store')"
            )
        if self.rclone_remote.startswith("-") or "\n" in self.rclone_remote:
            raise PublishError(
                f"PUBLISH_RCLONE_REMOTE is {self.rclone_remote!r}; use remote:bucket/path"
            )

    def require_github(self) -> None:
        """The ``github-pages`` branch and remote are plain names."""
        if not _BRANCH.fullmatch(self.github_branch) or ".." in self.github_branch:
            raise PublishError(
                f"PUBLISH_GITHUB_BRANCH is {self.github_branch!r}; use a branch name"
            )
        if self.github_remote.startswith("-"):
            raise PublishError(
                f"PUBLISH_GITHUB_REMOTE is {self.github_remote!r}; use a remote name"
            )


def _strings(settings: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = settings.get(name, ())
    if isinstance(value, str) or not all(isinstance(item, str) for item in value or ()):
        raise PublishError(f"{name} must be a list of strings, such as ['-i', 'deploy-key']")
    return tuple(value or ())
