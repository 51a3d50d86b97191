"""The deploy targets that run a tool: rsync over SSH, rclone, git for GitHub Pages.

Each tool's failure becomes one line saying what went wrong and what to
check (the tool's own last line of complaint is quoted), never a traceback.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .record import OBJECTS, RECORD, RESERVED, Record, digest_of, files_of
from .releases import (
    CONFIG_SUFFIX,
    LIVE_CONFIG,
    Deployed,
    FolderReleases,
    new_release_id,
    previous,
    release_names,
    to_remove,
)
from .serving import headers_for
from .settings import PublishError, PublishSettings

TIMEOUT = 900  # seconds for any one tool run: a hung connection must not hang a deploy


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PublishError(f"{name} is not installed; install it (Debian: apt-get install {name})")
    return found


def _run(
    command: list[str], what: str, hint: str, *, stdin: str = "", env: dict | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise PublishError(f"{what} took longer than {TIMEOUT} s and was stopped; {hint}") from None
    if done.returncode != 0:
        raise PublishError(f"{what} failed ({_last_line(done.stderr)}); {hint}")
    return done


# --- rsync over SSH ---------------------------------------------------------------


class RsyncTarget:
    """Releases on a web server: ``<path>/releases/<id>/`` and ``<path>/current``."""

    def __init__(self, settings: PublishSettings) -> None:
        settings.require_rsync()
        self.s = settings
        self.destination = (
            f"{settings.rsync_user}@{settings.rsync_host}"
            if settings.rsync_user
            else settings.rsync_host
        )
        self.hint = (
            f"check that {self.destination} answers SSH on port {settings.rsync_port} with your "
            "key (PUBLISH_RSYNC_HOST, PUBLISH_RSYNC_USER, PUBLISH_RSYNC_PORT, PUBLISH_SSH_OPTIONS)"
        )

    def _ssh_args(self) -> list[str]:
        return [
            _tool("ssh"),
            "-p",
            str(self.s.rsync_port),
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=15",
            *self.s.ssh_options,
        ]

    def _remote(self, script: str, what: str) -> str:
        """Run a POSIX shell script on the server (every value in it is quoted)."""
        command = [*self._ssh_args(), self.destination, "sh -s"]
        try:
            return _run(command, what, self.hint, stdin=f"set -e\n{script}\n").stdout
        except PublishError as error:
            raise PublishError(f"{self.destination}:{self.s.rsync_port}: {error}") from None

    def _state(self) -> tuple[list[str], str, str, str | None]:
        """The releases, the one served, the folder ``current`` names (``releases/<id>/site``,
        or ``releases/<id>`` in the older layout) and its kept nginx config (None: none)."""
        base = shlex.quote(self.s.rsync_path)
        out = self._remote(
            f"mkdir -p {base}/releases\ncd {base}\nls -1 releases\necho '--current--'\n"
            'if [ -L current ]; then c=$(readlink current); echo "$c"; r=${c%/site}\n'
            'if [ -f "$r/nginx.conf" ] && [ ! -f "$r/index.html" ]; then '
            "echo '--config--'; cat \"$r/nginx.conf\"\n"
            f"elif [ -f \"$r{CONFIG_SUFFIX}\" ]; then echo '--config--'; "
            f'cat "$r{CONFIG_SUFFIX}"; fi; fi',
            "reading the releases on the server",
        )
        names, _, rest = out.partition("--current--")
        current, marker, config = rest.partition("--config--\n")
        parts = Path(current.strip()).parts
        served = parts[1] if len(parts) > 1 and parts[0] == "releases" else ""
        return (
            release_names(names.split()),
            served,
            current.strip() if served else "",
            config if marker else None,
        )

    # The same layout as the folder target (see releases.FolderReleases): one rename of
    # ``current`` switches the files and, through the fixed ``nginx.conf`` link, the config.
    # Releases of the older layout are moved into it once they are not served; one made
    # before configs were kept gets the config served until then.
    _MIGRATE = r"""
old_conf=.nginx.conf.before
if [ -f nginx.conf ] && [ ! -L nginx.conf ]; then cp nginx.conf "$old_conf"; fi
migrate() {
  for m in releases/.*.migrating; do
    [ -d "$m" ] || continue
    n=${m#releases/.}; n=${n%.migrating}
    [ -e "releases/$n" ] || mv -T "$m" "releases/$n"
  done
  for d in releases/*; do
    n=${d#releases/}
    [ -d "$d" ] && [ -f "$d/index.html" ] && [ "$n" != "$1" ] || continue
    case "$n" in *[!0-9TZ-]*) continue;; esac
    m="releases/.$n.migrating"
    mkdir "$m" && mv -T "$d" "$m/site"
    if [ -f "$d.nginx.conf" ]; then mv -T "$d.nginx.conf" "$m/nginx.conf"
    elif [ -f "$old_conf" ]; then cp "$old_conf" "$m/nginx.conf"; fi
    mv -T "$m" "$d"
  done
}
"""

    def _switch(self, release: str, served: str, remove: list[str], *, new: str = "") -> bool:
        """Point ``current`` at ``releases/<release>/site`` in one rename (``new``: the
        uploaded folder, renamed into place first); False when the release has no config."""
        base = shlex.quote(self.s.rsync_path)
        folder = shlex.quote(f"releases/{release}")
        script = [f"cd {base}", self._MIGRATE]
        if new:
            script.append(f"mv -T {shlex.quote(new)} {folder}")
        script += [
            f"migrate {shlex.quote(served)}",
            f"ln -sfn {shlex.quote(f'releases/{release}/site')} .current.new",
            "mv -fT .current.new current",
            f'if [ "$(readlink nginx.conf || true)" != {LIVE_CONFIG} ]; then '
            f"ln -sfn {LIVE_CONFIG} .nginx.conf.new && mv -fT .nginx.conf.new nginx.conf; fi",
            f"migrate {shlex.quote(release)}",  # the release served until now, if old
            'rm -f "$old_conf"',
            f"if [ -f {folder}/nginx.conf ]; then echo config-switched; fi",
        ]
        for name in remove:
            script.append(f"rm -rf {shlex.quote('releases/' + name)} "
                          f"{shlex.quote('releases/' + name + CONFIG_SUFFIX)}")  # fmt: skip
        out = self._remote("\n".join(script), "switching the current release")
        return "config-switched" in out

    def _same_as(self, site: Path, served_folder: str, ssh: str) -> bool:
        """Whether the site's files equal the served release's (a dry run: nothing sent)."""
        done = _run(
            [_tool("rsync"), "--dry-run", "--recursive", "--links", "--checksum", "--delete",
             "--out-format=%i %n", "-e", ssh, f"{site}/",
             f"{self.destination}:{self.s.rsync_path}/{served_folder}/"],
            f"comparing with the release on {self.destination}", self.hint,
        )  # fmt: skip
        return not done.stdout.strip()

    def deploy(self, site: Path, nginx_conf: str) -> Deployed:
        names, current, served_folder, kept_config = self._state()
        ssh = " ".join(shlex.quote(arg) for arg in self._ssh_args())
        total = sum(1 for path in site.rglob("*") if path.is_file())
        if current and kept_config == nginx_conf and self._same_as(site, served_folder, ssh):
            return Deployed(current, [], total, same=True)
        release = new_release_id()
        partial = f"releases/.{release}.partial"
        where = f"{self.s.rsync_path}/{partial}"
        command = [
            _tool("rsync"),
            "--recursive",
            "--links",
            "--perms",
            # No --times: every build writes every file anew, so times always differ;
            # --checksum compares contents, and unchanged files are hard-linked.
            "--checksum",
            "--delete",
            "--out-format=sent %n",
            "-e",
            ssh,
            f"--rsync-path=mkdir -p {shlex.quote(where)} && rsync",
        ]
        if current:
            command.append(f"--link-dest={self.s.rsync_path}/{served_folder}/")
        command += [f"{site}/", f"{self.destination}:{where}/site/"]
        done = _run(command, f"rsync to {self.destination}", self.hint)
        sent = [
            line[5:] for line in done.stdout.splitlines()
            if line.startswith("sent ") and not line.endswith("/")
        ]  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            conf = Path(folder) / "nginx.conf"
            conf.write_text(nginx_conf, encoding="utf-8")
            _run(
                [_tool("rsync"), "--checksum", "-e", ssh, str(conf),
                 f"{self.destination}:{where}/nginx.conf"],
                "copying nginx.conf to the server", self.hint,
            )  # fmt: skip
        remove = to_remove([*names, release], release, self.s.keep)
        self._switch(release, current, remove, new=partial)
        return Deployed(release, sent, total - len(sent), remove)

    def rollback(self) -> tuple[str, bool]:
        """Serve the release before; returns it and whether its nginx config came back."""
        names, current, _, _ = self._state()
        before = previous(names, current)
        return before, self._switch(before, current, [])


# --- rclone to an object store ----------------------------------------------------


@dataclass
class PendingRelease:
    """A deploy to an object store between its steps: the record as read, the site's
    files by digest, and the objects the record knew."""

    site: Path
    record: Record
    files: dict[str, str]
    known: set[str]


class RcloneTarget:
    """Any rclone remote: only changed files are sent, each with its own headers.

    An object store has no links to switch, so the releases are remembered in
    the store itself (:mod:`.record`): ``_culture-hub/releases.json`` and each
    file's bytes once under ``_culture-hub/objects/``. Any machine reads that
    record, so a rollback from CI or another folder puts the previous
    release's differing files back, and a deploy from a fresh clone knows what
    is live.
    """

    def __init__(self, settings: PublishSettings, work: Path) -> None:
        settings.require_rclone()
        self.s = settings
        self.work = work  # cache/publish: scratch space; the old local history is read once
        self.work.mkdir(parents=True, exist_ok=True)
        self._old_history: FolderReleases | None = None
        self.seen: str | None = None  # the record's text when this run read it
        self.hint = (
            f"check PUBLISH_RCLONE_REMOTE ({settings.rclone_remote}) and the remote's "
            "credentials (`rclone config`, or RCLONE_CONFIG_* variables)"
        )

    def _at(self, relative: str) -> str:
        """``relative`` under the remote (``site:bucket`` + ``/x``; ``site:`` + ``x``)."""
        remote = self.s.rclone_remote
        return remote + relative if remote.endswith((":", "/")) else f"{remote}/{relative}"

    def _rclone(self, *args: str, what: str) -> subprocess.CompletedProcess[str]:
        command = [_tool("rclone"), *args, "--use-json-log", "-v", *self.s.rclone_options]
        return _run(command, what, self.hint)

    @staticmethod
    def _sent(log: str) -> list[str]:
        sent = []
        for line in log.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if str(entry.get("msg", "")).startswith("Copied") and entry.get("object"):
                sent.append(entry["object"])
        return sent

    # --- the record, in the store ---

    def read_record(self) -> Record:
        """The store's release record (empty when nothing was published there yet).

        Its text is kept (``self.seen``): before this deploy or rollback sends
        the site and before it writes the record, :meth:`_still_as_read` reads
        it again, so a publish that landed in between is never overwritten.
        """
        text = self._record_text()
        self.seen = text
        if text is None:
            return self._old_local_history()
        return Record.from_json(text, self._at(RECORD))

    def _record_text(self) -> str | None:
        """The record's text as stored, or ``None`` when there is none."""
        where = self._at(RECORD)
        command = [_tool("rclone"), "cat", where, *self.s.rclone_options]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            message = f"reading {where} took longer than {TIMEOUT} s; {self.hint}"
            raise PublishError(message) from None
        # rclone: 3 = directory not found, 4 = file not found; a bucket store lists an
        # absent object as an empty folder (nothing printed).
        if done.returncode in (3, 4) or (done.returncode == 0 and not done.stdout.strip()):
            return None
        if done.returncode != 0:
            raise PublishError(f"reading {where} failed ({_last_line(done.stderr)}); {self.hint}")
        return done.stdout

    def _still_as_read(
        self, what: str, *, sent: bool, again: str = "run `invoke publish` again"
    ) -> None:
        """Refuse to go on if another publish or rollback changed the record since this
        one read it: writing ours would make the store forget that release (the last
        record written wins), and sending our files would replace its site.

        An object store has no compare-and-swap that every rclone remote offers,
        so this narrows the window to the moment between this read and the
        write that follows it; two publishes that far apart are told apart.
        """
        now = self._record_text()
        if now == self.seen:
            return
        serving = ""
        if now is not None:
            try:
                current = Record.from_json(now, self._at(RECORD)).current
            except PublishError:
                current = ""
            serving = f" (it now serves release {current})" if current else ""
        where = self._at(RECORD)
        if sent:
            state = (
                "this one's record was not written, so the site's files may be a mix of "
                f"both releases: {again} now to make them one release"
            )
        else:
            state = (
                "nothing of this one was made current and the site's files were not "
                f"touched: {again}"
            )
        raise PublishError(
            f"another publish or rollback changed {where}{serving} while this one was "
            f"{what}; {state}"
        )

    def _old_local_history(self) -> Record:
        """Releases an earlier version kept on this machine only (``cache/publish/
        object-store/``), taken into the store's record on the next deploy."""
        history = FolderReleases(self.work / "object-store")
        record = Record()
        for name in history.names():
            record.releases[name] = files_of(history.site_of(name))
        if history.serving() in record.releases:
            record.current = history.serving()
        self._old_history = history if record.releases else None
        return record

    def _import_old_history(self, record: Record) -> None:
        """Upload the bytes of releases an earlier version kept only on this machine, so
        the record written next can name them (done once: then the store has a record)."""
        if self._old_history is None:
            return
        stored: set[str] = set()
        for name in record.names():
            folder = self._old_history.site_of(name)
            self._store_objects(
                {d: folder / p for p, d in record.files(name).items() if d not in stored}
            )
            stored |= set(record.files(name).values())

    def _write_record(self, record: Record) -> None:
        with tempfile.TemporaryDirectory(dir=self.work) as folder:
            local = Path(folder) / "releases.json"
            local.write_text(record.to_json())
            self._rclone(
                "copyto", str(local), self._at(RECORD), "--metadata",
                "--metadata-set", "content-type=application/json",
                "--metadata-set", "cache-control=no-store",
                what=f"writing the release record {self._at(RECORD)}",
            )  # fmt: skip

    def _store_objects(self, sources: dict[str, Path]) -> None:
        """Upload the bytes of ``sources`` (digest -> a local file) as objects."""
        if not sources:
            return
        with tempfile.TemporaryDirectory(dir=self.work) as folder:
            staged = Path(folder) / "objects"
            staged.mkdir()
            for digest, source in sources.items():
                try:
                    os.link(source, staged / digest)
                except OSError:
                    shutil.copyfile(source, staged / digest)
            self._rclone(
                "copy", str(staged), self._at(OBJECTS), "--checksum", "--no-traverse",
                what=f"rclone copy to {self._at(OBJECTS)}",
            )  # fmt: skip

    def _delete(self, paths: list[str], under: str, what: str) -> None:
        """Delete ``paths`` under ``under`` (the site's root never loses the record)."""
        if not paths:
            return
        with tempfile.TemporaryDirectory(dir=self.work) as folder:
            listing = Path(folder) / "delete.txt"
            listing.write_text("\n".join(sorted(paths)) + "\n")
            keep = ["--exclude", f"/{RESERVED}/**"] if under == self.s.rclone_remote else []
            self._rclone("delete", under, "--files-from-raw", str(listing), *keep, what=what)

    # --- sending files ---

    def _copy(self, site: Path, files: list[str]) -> list[str]:
        """Copy ``files`` of ``site`` (only those whose contents differ in the store), a
        group of same-header files per rclone run, each with its own headers."""
        groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for relative in files:
            headers = headers_for(relative)
            key = (headers.content_type, headers.content_encoding, headers.cache_control)
            groups[key].append(relative)
        sent: list[str] = []
        with tempfile.TemporaryDirectory() as folder:
            for number, ((kind, encoding, cache), group) in enumerate(sorted(groups.items())):
                listing = Path(folder) / f"files-{number}.txt"
                listing.write_text("\n".join(sorted(group)) + "\n")
                metadata = [f"content-type={kind}", f"cache-control={cache}"]
                if encoding:
                    metadata.append(f"content-encoding={encoding}")
                args = ["copy", str(site), self.s.rclone_remote, "--checksum",
                        "--files-from-raw", str(listing), "--metadata"]  # fmt: skip
                for item in metadata:
                    args += ["--metadata-set", item]
                done = self._rclone(*args, what=f"rclone copy to {self.s.rclone_remote}")
                sent += self._sent(done.stderr)
        return sorted(sent)

    def send(self, site: Path) -> list[str]:
        """Copy the site's changed files, then delete what the site no longer has (never
        the release record under the reserved prefix)."""
        files = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*")) if p.is_file()]
        sent = self._copy(site, files)
        self._rclone(
            "sync", str(site), self.s.rclone_remote, "--checksum", "--metadata",
            "--exclude", f"/{RESERVED}/**",
            what=f"rclone sync to {self.s.rclone_remote}",
        )  # fmt: skip
        return sent

    def deploy(self, site: Path) -> Deployed:
        """Make ``site`` the served release: :meth:`begin`, :meth:`send_site`, :meth:`commit`."""
        pending = self.begin(site)
        return self.commit(pending, self.send_site(pending))

    def begin(self, site: Path) -> PendingRelease:
        """Read the record and store the bytes a rollback to this release would need
        (nothing a reader sees changes yet)."""
        self._old_history = None
        record = self.read_record()
        files = files_of(site)
        known = record.digests()
        self._import_old_history(record)
        new = {digest: site / path for path, digest in files.items() if digest not in known}
        self._store_objects(new)  # first the bytes a rollback would need,
        return PendingRelease(site, record, files, known)

    def send_site(self, pending: PendingRelease) -> list[str]:
        """Send the site's files (unless another publish changed the record meanwhile)."""
        self._still_as_read("getting ready", sent=False)
        return self.send(pending.site)  # then the site,

    def commit(self, pending: PendingRelease, sent: list[str]) -> Deployed:
        """Write the record naming the new release current (unless another publish changed
        it meanwhile), then remove the objects no kept release needs."""
        record, files, known = pending.record, pending.files, pending.known
        self._still_as_read("sending the site", sent=True)
        if record.current and record.files(record.current) == files:
            if self._old_history is not None:
                self._write_record(record)
            return Deployed(record.current, sent, len(files) - len(sent), same=True)
        release = new_release_id()
        record.releases[release] = files
        removed = to_remove(record.names(), release, self.s.keep)
        for name in removed:
            del record.releases[name]
        unused = known - record.digests()
        record.current = release
        self._write_record(record)  # and last the record: now the release is current
        self._delete(sorted(unused), self._at(OBJECTS), "removing unused objects")
        return Deployed(release, sent, len(files) - len(sent), removed)

    def rollback(self) -> tuple[str, list[str]]:
        """Put the previous release's differing files back from the store's objects."""
        return self.roll_back(self.plan_rollback())

    def plan_rollback(self) -> tuple[Record, str]:
        """Read the record: it and the release to serve again (nothing changes yet)."""
        self._old_history = None
        record = self.read_record()
        if not record.releases:
            raise PublishError(
                f"nothing is published at {self.s.rclone_remote} yet (no {RECORD} there), "
                "so there is nothing to roll back"
            )
        before = previous(record.names(), record.current)
        self._import_old_history(record)
        return record, before

    def roll_back(self, plan: tuple[Record, str]) -> tuple[str, list[str]]:
        """Serve ``plan``'s release again (unless another publish changed the record since
        it was read): its differing files back, what it lacked deleted, then the record."""
        record, before = plan
        again = "run `invoke rollback` again (it goes back from the release served now)"
        self._still_as_read("getting ready to roll back", sent=False, again=again)
        want, live = record.files(before), record.files(record.current)
        changed = sorted(path for path, digest in want.items() if live.get(path) != digest)
        gone = sorted(path for path in live if path not in want)
        sent: list[str] = []
        with tempfile.TemporaryDirectory(dir=self.work) as folder:
            objects, site = Path(folder) / "objects", Path(folder) / "site"
            if changed:
                listing = Path(folder) / "objects.txt"
                listing.write_text("\n".join(sorted({want[p] for p in changed})) + "\n")
                self._rclone(
                    "copy", self._at(OBJECTS), str(objects), "--files-from-raw", str(listing),
                    what=f"rclone copy from {self._at(OBJECTS)}",
                )  # fmt: skip
                for path in changed:
                    source = objects / want[path]
                    if not source.is_file() or digest_of(source) != want[path]:
                        raise PublishError(
                            f"{self._at(OBJECTS)}/{want[path]} (the bytes of {path} in "
                            f"release {before}) is missing or damaged; publish again instead"
                        )
                    (site / path).parent.mkdir(parents=True, exist_ok=True)
                    os.link(source, site / path)
                sent = self._copy(site, changed)
        self._delete(gone, self.s.rclone_remote, f"deleting files of {record.current}")
        self._still_as_read("rolling back", sent=True, again=again)
        record.current = before
        self._write_record(record)
        return before, sent


# --- GitHub Pages -----------------------------------------------------------------


class GitHubPagesTarget:
    """The site as a commit on the ``gh-pages`` branch (GitHub Pages serves a branch).

    The commit is made with git's plumbing in a scratch index, so the working
    tree, the index and the checked-out branch are left alone. GitHub Pages
    compresses by itself and reads no ``_headers``, so twins are not committed.
    """

    def __init__(self, settings: PublishSettings) -> None:
        self.s = settings
        self.ref = f"refs/heads/{settings.github_branch}"
        self.hint = "check that the project is a git repository and the remote accepts pushes"

    def _git(self, *args: str, env: dict | None = None, what: str = "") -> str:
        command = [_tool("git"), "-C", str(self.s.project), *args]
        return _run(command, what or f"git {args[0]}", self.hint, env=env).stdout.strip()

    def _head(self) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.s.project), "rev-parse", "--verify", "-q", self.ref],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 else ""

    def _fetch(self) -> None:
        if self.s.github_remote:
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(self.s.project),
                    "fetch",
                    "-q",
                    self.s.github_remote,
                    f"+{self.ref}:{self.ref}",
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUT,
            )  # fmt: skip  - a first publish has no branch to fetch yet

    def _identity(self) -> dict:
        env = dict(os.environ)
        for kind in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{kind}_NAME", "culture-hub publisher")
            env.setdefault(f"GIT_{kind}_EMAIL", "culture-hub@users.noreply.github.com")
        return env

    def _commit(self, tree: str, parent: str, message: str) -> str:
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = self._git(*args, env=self._identity(), what="git commit-tree")
        self._git("update-ref", self.ref, commit, *([parent] if parent else []))
        if self.s.github_remote:
            self._git("push", "-q", self.s.github_remote, f"{self.ref}:{self.ref}",
                      what=f"git push to {self.s.github_remote}")  # fmt: skip
        return commit

    def deploy(self, site: Path) -> Deployed:
        self._fetch()
        parent = self._head()
        release = new_release_id()
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(folder) / "index")}
            (site / ".nojekyll").touch()
            self._git("--work-tree", str(site), "add", "-A", "-f", ".", env=env)
            tree = self._git("write-tree", env=env)
        total = sum(1 for path in site.rglob("*") if path.is_file())
        if parent and self._git("rev-parse", f"{parent}^{{tree}}") == tree:
            return Deployed(parent[:12], [], total, same=True)  # no commit: nothing changed
        changed = (
            self._git("diff-tree", "-r", "--name-only", "--no-commit-id", parent, tree)
            if parent
            else self._git("ls-tree", "-r", "--name-only", tree)
        ).splitlines()
        self._commit(tree, parent, f"Publish {release}")
        return Deployed(release, changed, total - len(changed))

    def rollback(self) -> str:
        """Commit the tree of the release before the one served (a second rollback goes
        one further back: a rollback commit names the release it restored)."""
        self._fetch()
        head = self._head()
        if not head:
            raise PublishError(
                f"nothing is published on {self.s.github_branch} yet, so there is nothing "
                "to roll back"
            )
        serving = head
        message = self._git("log", "-1", "--format=%s", head)
        if message.startswith("Roll back to "):
            serving = self._git("rev-parse", "--verify", message.split()[-1] + "^{commit}")
        parents = self._git("rev-list", "--parents", "-n", "1", serving).split()[1:]
        if not parents:
            raise PublishError(
                f"no previous release to roll back to on {self.s.github_branch}: "
                f"{serving[:12]} is the first"
            )
        tree = self._git("rev-parse", f"{parents[0]}^{{tree}}")
        self._commit(tree, head, f"Roll back to {parents[0]}")
        return parents[0][:12]
