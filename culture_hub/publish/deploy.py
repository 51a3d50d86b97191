"""Deploy a built site: prepare it for serving, send it to a target, or roll one back.

``invoke publish --target NAME`` builds, then calls :func:`publish`; ``invoke
rollback`` calls :func:`rollback`. Preparing happens in a folder of its own
(``cache/publish/site``), never in ``output/``, which stays exactly as the
build left it (the up-to-date check reads it):

1. copy the built site;
2. check its ``_redirects`` (every line, before any server sees one);
3. write ``_headers`` (Netlify, Cloudflare Pages);
4. add ``.br``/``.gz`` twins, from the cache when a file is unchanged;
5. render the nginx config for where the target serves from.

The nginx config is kept with its release (``releases/<id>/nginx.conf``, beside
the served ``releases/<id>/site/``) and ``nginx.conf`` reaches it through
``current``, so one rename switches both, on deploy and on rollback: the
redirects must be the served release's, or a rolled-back site would answer an
old address with a 301 to a page it lacks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .compress import Compressed, add_twins
from .record import RESERVED
from .releases import Deployed, FolderReleases
from .serving import hashed_files, netlify_headers, nginx_config, read_redirects
from .settings import TARGETS, PublishError, PublishSettings
from .targets import GitHubPagesTarget, RcloneTarget, RsyncTarget

KEEPS_RELEASES = ("folder", "rsync", "object-store", "github-pages")
RELOAD = "reload nginx to use it (`nginx -s reload`, or `systemctl reload nginx`)"


def _config_line(conf: str, deployed: Deployed) -> str:
    if deployed.same:
        return f"nginx config: {conf} (unchanged)"
    return f"nginx config: {conf}; {RELOAD}"


def _rolled_back(release: str, conf: str, had_config: bool) -> str:
    if had_config:
        return f"now serving {release}; nginx config {conf} is its own again: {RELOAD}"
    return (
        f"now serving {release}; it was made before configs were kept with releases, so "
        f"{conf} was left as it was: publish again if its redirects matter"
    )


@dataclass
class Prepared:
    site: Path
    compressed: Compressed
    redirects: int


def _target(settings: PublishSettings, name: str) -> str:
    chosen = name or settings.target
    if chosen not in TARGETS:
        raise PublishError(f"--target {chosen!r} is not a target; use one of {', '.join(TARGETS)}")
    return chosen


def check_target(settings: PublishSettings, name: str = "") -> str:
    """The target's name, once its settings are known to be usable (before any build)."""
    chosen = _target(settings, name)
    if chosen == "folder":
        FolderReleases(settings.folder).check_ours()
    elif chosen == "rsync":
        settings.require_rsync()
    elif chosen == "object-store":
        settings.require_rclone()
    return chosen  # github-pages needs nothing its declarations have not checked


def prepare(output: Path, work: Path, settings: PublishSettings, *, twins: bool = True) -> Prepared:
    """The built site, ready to serve, in ``work/site`` (made anew each time)."""
    if not (output / "index.html").is_file():
        raise PublishError(
            f"{output} holds no built site (no index.html); run `invoke publish` without "
            "--no-build, or `invoke build` first"
        )
    if (output / RESERVED).exists():
        raise PublishError(
            f"{output / RESERVED} is in the built site, but /{RESERVED}/ is reserved for the "
            "release record (never served); give the page that made it another slug"
        )
    links = [path for path in output.rglob("*") if path.is_symlink()]
    if links:
        raise PublishError(
            f"{links[0]} is a symbolic link; a built site has none, so nothing was deployed "
            "(build again with `invoke publish`)"
        )
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(output, site, symlinks=True)
    redirects_file = site / "_redirects"
    redirects = []
    if redirects_file.is_file():
        redirects = read_redirects(redirects_file.read_text(encoding="utf-8", errors="replace"))
    (site / "_headers").write_text(netlify_headers(settings.csp, hashed_files(site)))
    compressed = add_twins(site, work / "compressed") if twins else Compressed()
    return Prepared(site, compressed, len(redirects))


def nginx_for(site: Path, settings: PublishSettings, root: str) -> str:
    """The nginx config serving ``root`` (the target's ``current`` link)."""
    redirects_file = site / "_redirects"
    text = (
        redirects_file.read_text(encoding="utf-8", errors="replace")
        if redirects_file.is_file()
        else ""
    )
    redirects = read_redirects(text)
    return nginx_config(
        root=root,
        csp=settings.csp,
        redirects=redirects,
        server_name=settings.server_name,
        listen=settings.nginx_listen,
    )


def _folder_releases(settings: PublishSettings) -> FolderReleases:
    """The folder target's releases; a release's config is made from its own files."""
    root = str(settings.folder.resolve() / "current")
    return FolderReleases(settings.folder, lambda site: nginx_for(site, settings, root))


def publish(output: Path, settings: PublishSettings, target: str = "") -> list[str]:
    """Deploy the built site in ``output`` to the target; returns lines to print."""
    name = _target(settings, target)
    work = settings.project / "cache" / "publish"
    prepared = prepare(output, work, settings, twins=name != "github-pages")
    lines = []
    if name != "github-pages":
        lines.append(
            f"compressed {len(prepared.compressed.made)} files, "
            f"{len(prepared.compressed.reused)} unchanged from the cache"
        )
    deployed: Deployed
    if name == "folder":
        releases = _folder_releases(settings)
        releases.check_ours()
        conf = releases.config_for(prepared.site)
        deployed = releases.deploy(prepared.site, settings.keep, config=conf)
        lines.append(deployed.summary(str(settings.folder / "current")))
        lines.append(_config_line(str(settings.folder / "nginx.conf"), deployed))
    elif name == "rsync":
        remote = RsyncTarget(settings)
        conf = nginx_for(prepared.site, settings, f"{settings.rsync_path}/current")
        deployed = remote.deploy(prepared.site, conf)
        lines.append(deployed.summary(f"{remote.destination}:{settings.rsync_path}/current"))
        lines.append(_config_line(f"{settings.rsync_path}/nginx.conf", deployed))
    elif name == "object-store":
        deployed = RcloneTarget(settings, work).deploy(prepared.site)
        lines.append(deployed.summary(settings.rclone_remote))
    else:
        deployed = GitHubPagesTarget(settings).deploy(prepared.site)
        lines.append(deployed.summary(f"branch {settings.github_branch}"))
    return lines


def rollback(settings: PublishSettings, target: str = "") -> str:
    """Serve the release before the current one; returns the line to print."""
    name = _target(settings, target)
    if name not in KEEPS_RELEASES:
        raise PublishError(f"the {name} target keeps no releases to roll back to")
    if name == "folder":
        release, had_config = _folder_releases(settings).rollback()
        return _rolled_back(release, str(settings.folder / "nginx.conf"), had_config)
    if name == "rsync":
        release, had_config = RsyncTarget(settings).rollback()
        return _rolled_back(release, f"{settings.rsync_path}/nginx.conf", had_config)
    if name == "object-store":
        work = settings.project / "cache" / "publish"
        release, sent = RcloneTarget(settings, work).rollback()
        return f"now serving {release} ({len(sent)} files sent)"
    return f"now serving {GitHubPagesTarget(settings).rollback()} on {settings.github_branch}"
