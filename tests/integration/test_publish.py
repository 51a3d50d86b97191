"""Deploying the sample site for real: to a folder, over SSH with rsync, with rclone to an
object store, to a gh-pages branch; then nginx serving the deployed folder.

Every deploy is followed by a second one after one page changed (only that
page and its twins may be sent) and by a rollback. Deploys run ``invoke
publish --no-build`` as a user would, on one build of the sample site.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from helpers import ROOT, build_site
from pelican.settings import read_settings
from servers import (
    NGINX,
    add_fixture_redirects,
    deployed_behind_nginx,
    free_port,
    invoke,
    need,
    nginx,
    reload_nginx,
    settings_file,
    sshd,
)

from culture_hub.publish.deploy import prepare
from culture_hub.publish.settings import PublishError, PublishSettings
from culture_hub.publish.targets import RcloneTarget

CHANGED = "about/index.html"
CHANGED_FILES = {CHANGED, f"{CHANGED}.br", f"{CHANGED}.gz"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built once with the publish settings (and the fixture's redirects)."""
    base = tmp_path_factory.mktemp("publish-build")
    shutil.copytree(ROOT / "content", base / "content")
    result = build_site(base / "content", base / "output")
    assert result.returncode == 0, result.log
    add_fixture_redirects(base / "output")
    return base / "output"


@pytest.fixture
def output(built: Path, tmp_path: Path) -> Path:
    """A copy of the built site this test may change."""
    return Path(shutil.copytree(built, tmp_path / "output"))


def change_one_page(output: Path) -> None:
    page = output / CHANGED
    page.write_text(page.read_text().replace("</body>", "<p>Edited.</p></body>"))


def publish(output: Path, config: Path, *extra: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [
            sys.executable, "-m", "invoke", "publish", "--no-build",
            "--output", str(output), "--settings", str(config), *extra,
        ],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def sent_files(report: str) -> set[str]:
    """The files a deploy's summary names as sent."""
    found = re.search(r"(\d+) files sent(?: \(([^)]*)\))?", report)
    assert found, report
    names = set(found.group(2).split(", ")) if found.group(2) else set()
    assert len(names) == int(found.group(1)), f"expected the few files sent to be named: {report}"
    return names


def rollback(config: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "rollback", "--settings", str(config), *extra],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


# --- folder -----------------------------------------------------------------------


def test_folder_deploys_a_release_sends_only_changes_and_rolls_back(
    output: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    config = settings_file(project, PUBLISH_KEEP_RELEASES=2)
    first = publish(output, config)
    current = project / "deploy" / "current"
    assert current.is_symlink() and str(current.readlink()).startswith("releases/")
    served = current.resolve()
    assert (served / "index.html").is_file()
    assert (served / "index.html.br").is_file() and (served / "index.html.gz").is_file()
    assert (
        brotli.decompress((served / "index.html.br").read_bytes())
        == (served / "index.html").read_bytes()
    )
    assert (
        gzip.decompress((served / "index.html.gz").read_bytes())
        == (served / "index.html").read_bytes()
    )
    assert not (served / "theme" / "images" / "og-default.png.br").exists()  # PNG: no twin
    assert (project / "deploy" / "nginx.conf").is_file()
    assert "unchanged from the cache" in first

    change_one_page(output)
    second = publish(output, config)
    assert sent_files(second) == CHANGED_FILES
    assert "compressed 1 files" in second  # only the changed page was compressed again
    new = current.resolve()
    assert new != served
    assert "Edited." in (new / CHANGED).read_text()
    # unchanged files are the same file on disk (hard links), not copies
    assert (new / "index.html").stat().st_ino == (served / "index.html").stat().st_ino

    back = rollback(config)
    assert back.returncode == 0, back.stderr
    assert current.resolve() == served
    assert "Edited." not in (current / CHANGED).read_text()

    again = rollback(config)  # the oldest release: nothing before it
    assert again.returncode == 1
    assert "no previous release to roll back to" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and "Traceback" not in again.stderr

    publish(output, config)
    publish(output, config)
    kept = sorted(p.name for p in (project / "deploy" / "releases").iterdir())
    assert len(kept) == 2  # PUBLISH_KEEP_RELEASES; a removed release's config went with it
    for name in kept:  # each release: its site and, beside it (never served), its config
        release = project / "deploy" / "releases" / name
        assert sorted(p.name for p in release.iterdir()) == ["nginx.conf", "site"]


def retitle(output: Path) -> None:
    """A story renamed: its old address now redirects to the new one (as the build writes)."""
    with (output / "_redirects").open("a") as redirects:
        redirects.write("/stories/old-title/ /stories/new-title/ 301\n")
    change_one_page(output)


def test_rollback_brings_back_the_nginx_config_of_the_release_it_serves(
    output: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    config = settings_file(project)
    deploy = project / "deploy"
    first = publish(output, config)
    served = (deploy / "current").resolve()
    before = (deploy / "nginx.conf").read_text()
    assert "reload nginx" in first
    assert (served.parent / "nginx.conf").read_text() == before
    # the live config is reached through current: one rename switches files and config
    assert (deploy / "nginx.conf").readlink() == Path("current/../nginx.conf")
    assert (deploy / "nginx.conf").resolve() == served.parent / "nginx.conf"
    link = os.lstat(deploy / "nginx.conf").st_ino  # the link itself is never replaced again
    assert not (served / "nginx.conf").exists()  # kept beside the release, never served

    retitle(output)
    second = publish(output, config)
    assert "reload nginx" in second
    assert 'location = "/stories/old-title/"' in (deploy / "nginx.conf").read_text()

    back = rollback(config)
    assert back.returncode == 0, back.stderr
    assert (deploy / "current").resolve() == served
    assert (deploy / "nginx.conf").read_text() == before  # no 301 to a page it lacks
    # deploy and rollback switched the config by renaming `current` alone
    assert os.lstat(deploy / "nginx.conf").st_ino == link
    assert sorted(p.name for p in deploy.iterdir()) == ["current", "nginx.conf", "releases"]
    assert "reload nginx" in back.stdout and len(back.stdout.strip().splitlines()) == 1


def test_an_unchanged_publish_makes_no_new_release_so_rollback_still_goes_back(
    output: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    config = settings_file(project, PUBLISH_KEEP_RELEASES=2)
    releases = project / "deploy" / "releases"
    publish(output, config)
    first = (project / "deploy" / "current").resolve()
    change_one_page(output)
    publish(output, config)
    edited = (project / "deploy" / "current").resolve()
    for _ in range(3):  # nightly publishes of the same site
        again = publish(output, config)
        assert f"nothing changed since release {edited.parent.name}: no new release made" in again
        assert "released" not in again
    assert sorted(p.name for p in releases.iterdir()) == [first.parent.name, edited.parent.name]
    assert (project / "deploy" / "current").resolve() == edited

    back = rollback(config)
    assert back.returncode == 0, back.stderr
    assert (project / "deploy" / "current").resolve() == first  # the last different site


OLD_FIRST, OLD_SECOND = "20250101T000000-000000Z", "20250102T000000-000000Z"


def old_layout(folder: Path, output: Path) -> None:
    """A deploy folder as earlier versions left it: ``releases/<id>/`` holding the site,
    ``releases/<id>.nginx.conf`` beside it (none for a release made before configs were
    kept), ``current`` -> ``releases/<id>``, ``nginx.conf`` a copy of the served config."""
    releases = folder / "releases"
    releases.mkdir(parents=True)
    for name in (OLD_FIRST, OLD_SECOND):
        shutil.copytree(output, releases / name)
    (releases / OLD_FIRST / "_redirects").write_text("/only/in/first/ /about/ 301\n")
    (releases / f"{OLD_SECOND}.nginx.conf").write_text("# the second release's config\n")
    (folder / "current").symlink_to(f"releases/{OLD_SECOND}")
    (folder / "nginx.conf").write_text("# the second release's config\n")


def assert_migrated(folder: Path, served: str) -> None:
    assert (folder / "current").readlink() == Path(f"releases/{served}/site")
    assert (folder / "nginx.conf").readlink() == Path("current/../nginx.conf")
    for release in (folder / "releases").iterdir():
        assert sorted(p.name for p in release.iterdir()) == ["nginx.conf", "site"], release
    assert (folder / "releases" / OLD_SECOND / "nginx.conf").read_text() == (
        "# the second release's config\n"
    )


def test_an_older_deploy_folder_is_moved_into_the_new_layout_and_rolls_back(
    output: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    deploy = project / "deploy"
    old_layout(deploy, output)
    config = settings_file(project)
    change_one_page(output)
    done = publish(output, config)
    served = (deploy / "current").resolve()
    assert_migrated(deploy, served.parent.name)
    assert "files sent" in done  # the twins the old copy lacked, and the changed page
    # unchanged files were hard-linked from the old release, wherever it was
    old_index = deploy / "releases" / OLD_SECOND / "site" / "index.html"
    assert (served / "index.html").stat().st_ino == old_index.stat().st_ino
    assert 'root "' in (deploy / "nginx.conf").read_text()

    assert rollback(config).returncode == 0
    assert (deploy / "current").resolve().parent.name == OLD_SECOND
    assert (deploy / "nginx.conf").read_text() == "# the second release's config\n"
    back = rollback(config)
    assert back.returncode == 0, back.stderr
    # made before configs were kept: it got one made from its own _redirects
    conf = (deploy / "nginx.conf").read_text()
    assert 'location = "/only/in/first/"' in conf and 'return 301 "/about/"' in conf


def test_an_older_rsync_server_folder_is_moved_into_the_new_layout(
    output: Path, tmp_path: Path
) -> None:
    with sshd(tmp_path / "sshd") as server:
        remote = tmp_path / "server" / "culture-hub"
        old_layout(remote, output)
        config = rsync_settings(tmp_path / "project", server, remote)
        change_one_page(output)
        publish(output, config)
        served = (remote / "current").resolve()
        assert_migrated(remote, served.parent.name)
        old_index = remote / "releases" / OLD_SECOND / "site" / "index.html"
        assert (served / "index.html").stat().st_ino == old_index.stat().st_ino
        assert f'root "{remote}/current";' in (remote / "nginx.conf").read_text()
        assert not list(remote.glob(".nginx.conf*")) and not list(remote.glob(".current*"))

        assert rollback(config).returncode == 0
        assert (remote / "nginx.conf").read_text() == "# the second release's config\n"
        back = rollback(config)
        assert back.returncode == 0, back.stderr
        # made before configs were kept: the config served when it was moved
        assert (remote / "nginx.conf").read_text() == "# the second release's config\n"
        assert (remote / "current").resolve().parent.name == OLD_FIRST


def test_folder_target_refuses_a_folder_that_is_not_its_own(output: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep-me.txt").write_text("mine")
    config = settings_file(project, PUBLISH_FOLDER=str(tmp_path / "notes"))
    done = invoke("publish", "--no-build", "--output", str(output), "--settings", str(config))
    assert done.returncode == 1
    assert "holds keep-me.txt, which no deploy made" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "notes" / "keep-me.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/old/ /new/; return 200 hacked 301", "found 6 fields"),
        ('/old/";evil /new/ 301', "is not a plain site path"),
        ("/old/ javascript:alert(1) 301", "is not a plain site path or http(s) address"),
        ("/old/ /new/ 200", "status '200' is not one of"),
        ("/blog/* /stories/:splat 301", "is not a plain site path"),
    ],
)
def test_a_bad_redirect_line_stops_the_deploy_at_its_line(
    output: Path, tmp_path: Path, line: str, message: str
) -> None:
    (output / "_redirects").write_text("# fine\n/a/ /b/ 301\n" + line + "\n")
    config = settings_file(tmp_path / "project")
    done = invoke("publish", "--no-build", "--output", str(output), "--settings", str(config))
    assert done.returncode == 1
    assert "_redirects:3: " in done.stderr and message in done.stderr, done.stderr
    assert not (tmp_path / "project" / "deploy").exists()


def test_settings_mistakes_are_one_line_each(output: Path, tmp_path: Path) -> None:
    cases = [
        ({"PUBLISH_TARGET": "ftp"}, [], "deployconf.py: PUBLISH_TARGET: 'ftp' is not one of"),
        ({}, ["--target", "rsync"], "needs PUBLISH_RSYNC_HOST and PUBLISH_RSYNC_PATH"),
        ({}, ["--target", "object-store"], "needs PUBLISH_RCLONE_REMOTE"),
        ({"PUBLISH_KEEP_RELEASES": 1}, [], "PUBLISH_KEEP_RELEASES: 1 is not a whole number"),
        (
            {"PUBLISH_RSYNC_HOST": "example.org", "PUBLISH_RSYNC_PATH": "srv"},
            ["--target", "rsync"],
            "use an absolute folder on the server",
        ),
    ]
    for number, (values, extra, message) in enumerate(cases):
        config = settings_file(tmp_path / f"p{number}", **values)
        done = invoke("publish", "--no-build", "--output", str(output),
                      "--settings", str(config), *extra)  # fmt: skip
        assert done.returncode == 1, (values, done.stdout)
        assert message in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    config = settings_file(tmp_path / "none")
    done = invoke("rollback", "--settings", str(config))
    assert done.returncode == 1 and "nothing is being served yet" in done.stderr


# --- rsync over SSH ---------------------------------------------------------------


def rsync_settings(folder: Path, server: dict, remote: Path, **values: object) -> Path:
    """Settings that deploy with rsync to ``remote`` on the test's own ``server`` (``sshd``)."""
    return settings_file(
        folder,
        PUBLISH_TARGET="rsync",
        PUBLISH_RSYNC_HOST="127.0.0.1",
        PUBLISH_RSYNC_USER=server["user"],
        PUBLISH_RSYNC_PORT=server["port"],
        PUBLISH_RSYNC_PATH=str(remote),
        PUBLISH_SSH_OPTIONS=server["options"],
        **values,
    )


def test_rsync_over_ssh_releases_switches_and_rolls_back(output: Path, tmp_path: Path) -> None:
    with sshd(tmp_path / "sshd") as server:
        remote = tmp_path / "server" / "culture-hub"
        config = rsync_settings(tmp_path / "project", server, remote, PUBLISH_KEEP_RELEASES=2)
        first = publish(output, config)
        assert "files sent" in first
        current = remote / "current"
        assert current.is_symlink() and str(current.readlink()).startswith("releases/")
        served = current.resolve()
        assert (served / "index.html.br").is_file()
        before = (remote / "nginx.conf").read_text()
        assert f'root "{remote}/current";' in before
        assert (served.parent / "nginx.conf").read_text() == before
        assert (remote / "nginx.conf").readlink() == Path("current/../nginx.conf")
        assert "reload nginx" in first

        same = publish(output, config)
        assert f"nothing changed since release {served.parent.name}: no new release made" in same
        assert [p.name for p in (remote / "releases").iterdir()] == [served.parent.name]

        retitle(output)
        second = publish(output, config)
        assert sent_files(second) == {*CHANGED_FILES, "_redirects"}, second
        new = current.resolve()
        assert new != served and "Edited." in (new / CHANGED).read_text()
        assert (new / "index.html").stat().st_ino == (served / "index.html").stat().st_ino
        assert 'location = "/stories/old-title/"' in (remote / "nginx.conf").read_text()

        back = rollback(config)
        assert back.returncode == 0, back.stderr
        assert current.resolve() == served
        assert (remote / "nginx.conf").read_text() == before
        assert "reload nginx" in back.stdout

        publish(output, config)  # a third release: the oldest beyond two goes
        releases = sorted(p.name for p in (remote / "releases").iterdir())
        assert len(releases) == 2 and served.parent.name not in releases  # config and all
        for name in releases:
            assert sorted(p.name for p in (remote / "releases" / name).iterdir()) == [
                "nginx.conf",
                "site",
            ]


def test_an_unreachable_ssh_host_is_one_line(output: Path, tmp_path: Path) -> None:
    need("rsync", "rsync")
    config = settings_file(
        tmp_path / "project",
        PUBLISH_TARGET="rsync",
        PUBLISH_RSYNC_HOST="127.0.0.1",
        PUBLISH_RSYNC_PORT=free_port(),  # nothing listens there
        PUBLISH_RSYNC_PATH="/srv/culture-hub",
    )
    done = invoke("publish", "--no-build", "--output", str(output), "--settings", str(config))
    assert done.returncode == 1
    assert "answers SSH on port" in done.stderr and "Connection refused" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


# --- rclone to an object store ----------------------------------------------------


def test_object_store_sends_changed_files_with_their_headers_and_rolls_back(
    output: Path, tmp_path: Path
) -> None:
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    # A named remote configured by environment variables, as CI secrets would.
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    config = settings_file(
        tmp_path / "project",
        PUBLISH_TARGET="object-store",
        PUBLISH_RCLONE_REMOTE=f"teststore:{bucket}",
    )
    first = publish(output, config, env=env)
    assert (bucket / "index.html").read_bytes() == (output / "index.html").read_bytes()
    listing = subprocess.run(
        ["rclone", "lsjson", "-R", "-M", f"teststore:{bucket}"],
        capture_output=True, text=True, check=True, env={**os.environ, **env},
    )  # fmt: skip
    meta = {entry["Path"]: entry.get("Metadata", {}) for entry in json.loads(listing.stdout)}
    assert meta["index.html"]["content-type"] == "text/html; charset=utf-8"
    assert meta["index.html"]["cache-control"] == "public, max-age=0, must-revalidate"
    assert meta["index.html.br"]["content-encoding"] == "br"
    assert meta["index.html.br"]["content-type"] == "text/html; charset=utf-8"
    assert meta["index.html.gz"]["content-encoding"] == "gzip"
    hashed = next(p for p in meta if re.fullmatch(r"theme/css/site\.[0-9a-f]{10}\.css", p))
    assert meta[hashed]["cache-control"] == "public, max-age=31536000, immutable"
    assert meta["theme/css/site.css"]["cache-control"] == "public, max-age=0, must-revalidate"
    assert meta["feeds/all.rss.xml"]["content-type"] == "application/rss+xml; charset=utf-8"
    assert "files sent" in first

    change_one_page(output)
    (output / "values" / "index.html").unlink()  # a page gone: removed from the store
    for twin in (".br", ".gz"):
        (output / "values" / f"index.html{twin}").unlink(missing_ok=True)
    second = publish(output, config, env=env)
    assert sent_files(second) == CHANGED_FILES, second
    assert not (bucket / "values" / "index.html").exists()
    record = bucket / "_culture-hub" / "releases.json"
    kept = json.loads(record.read_text())["releases"]
    assert "no new release made" in publish(output, config, env=env)
    assert json.loads(record.read_text())["releases"] == kept

    back = rollback(config, env=env)
    assert back.returncode == 0, back.stderr
    assert "Edited." not in (bucket / CHANGED).read_text()
    assert (bucket / "values" / "index.html").is_file()


def store_meta(bucket: Path, env: dict) -> dict[str, dict]:
    listing = subprocess.run(
        ["rclone", "lsjson", "-R", "-M", "--files-only", f"teststore:{bucket}"],
        capture_output=True, text=True, check=True, env={**os.environ, **env},
    )  # fmt: skip
    return {entry["Path"]: entry.get("Metadata", {}) for entry in json.loads(listing.stdout)}


def test_object_store_releases_live_in_the_store_so_any_folder_publishes_and_rolls_back(
    output: Path, tmp_path: Path
) -> None:
    """Publish from one project folder, again from a fresh one (as CI's clean checkout),
    roll back from a third: each knows only what the store's record says."""
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}

    def machine(name: str) -> Path:
        return settings_file(
            tmp_path / name,
            PUBLISH_TARGET="object-store",
            PUBLISH_RCLONE_REMOTE=f"teststore:{bucket}",
        )

    publish(output, machine("first"), env=env)
    original = {
        p.relative_to(bucket).as_posix(): p.read_bytes()
        for p in bucket.rglob("*")
        if p.is_file() and not p.relative_to(bucket).as_posix().startswith("_culture-hub/")
    }
    record_file = bucket / "_culture-hub" / "releases.json"
    record = json.loads(record_file.read_text())
    first_id = record["current"]
    assert [entry["id"] for entry in record["releases"]] == [first_id]
    assert set(record["releases"][0]["files"]) == set(original)
    objects = {p.name for p in (bucket / "_culture-hub" / "objects").iterdir()}
    assert objects == set(record["releases"][0]["files"].values())  # each file's bytes once

    change_one_page(output)
    (output / "values" / "index.html").unlink()  # a page gone in the second release
    for twin in (".br", ".gz"):
        (output / "values" / f"index.html{twin}").unlink(missing_ok=True)
    second = publish(output, machine("second"), env=env)
    assert sent_files(second) == CHANGED_FILES, second  # a fresh folder sends only changes
    assert "Edited." in (bucket / CHANGED).read_text()
    assert not (bucket / "values" / "index.html").exists()
    assert record_file.is_file()  # the sync that removed the page kept the record
    record = json.loads(record_file.read_text())
    second_id = record["current"]
    assert [entry["id"] for entry in record["releases"]] == [first_id, second_id]
    assert "no new release made" in publish(output, machine("second-again"), env=env)

    back = rollback(machine("third"), env=env)
    assert back.returncode == 0, back.stderr
    assert f"now serving {first_id}" in back.stdout
    served = {
        p.relative_to(bucket).as_posix(): p.read_bytes()
        for p in bucket.rglob("*")
        if p.is_file() and not p.relative_to(bucket).as_posix().startswith("_culture-hub/")
    }
    assert served == original  # byte for byte the first release, the gone page back
    meta = store_meta(bucket, env)
    assert meta[CHANGED]["content-type"] == "text/html; charset=utf-8"
    assert meta[f"{CHANGED}.br"]["content-encoding"] == "br"
    assert meta["values/index.html.gz"]["content-encoding"] == "gzip"
    assert json.loads(record_file.read_text())["current"] == first_id
    for name in ("first", "second", "second-again", "third"):  # nothing remembered locally
        assert not (tmp_path / name / "cache" / "publish" / "object-store").exists()

    again = rollback(machine("fourth"), env=env)
    assert again.returncode == 1 and "no previous release to roll back to" in again.stderr
    nothing = rollback(
        settings_file(tmp_path / "empty", PUBLISH_TARGET="object-store",
                      PUBLISH_RCLONE_REMOTE=f"teststore:{tmp_path / 'empty-bucket'}"),
        env=env,
    )  # fmt: skip
    assert nothing.returncode == 1 and "nothing is published at" in nothing.stderr
    assert len(nothing.stderr.strip().splitlines()) == 1


def test_releases_an_earlier_version_kept_on_one_machine_go_into_the_store_record(
    output: Path, tmp_path: Path
) -> None:
    """Earlier versions kept the object store's releases in cache/publish/object-store/ (a
    folder of releases and a ``current`` link): the first rollback or publish from that
    machine takes them into the store's record, and from then on any folder can use them."""
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    old = tmp_path / "old" / "cache" / "publish" / "object-store"
    (old / "releases").mkdir(parents=True)
    shutil.copytree(output, old / "releases" / OLD_FIRST)
    change_one_page(output)
    shutil.copytree(output, old / "releases" / OLD_SECOND)
    (old / "current").symlink_to(f"releases/{OLD_SECOND}")
    shutil.copytree(output, bucket)  # what the store served: the second release

    def machine(name: str) -> Path:
        return settings_file(
            tmp_path / name,
            PUBLISH_TARGET="object-store",
            PUBLISH_RCLONE_REMOTE=f"teststore:{bucket}",
        )

    back = rollback(machine("old"), env=env)
    assert back.returncode == 0, back.stderr
    assert f"now serving {OLD_FIRST}" in back.stdout
    assert "Edited." not in (bucket / CHANGED).read_text()
    record = json.loads((bucket / "_culture-hub" / "releases.json").read_text())
    assert [r["id"] for r in record["releases"]] == [OLD_FIRST, OLD_SECOND]
    assert record["current"] == OLD_FIRST
    # a fresh folder publishes the edited site again (with the twins the old copies lacked)
    second = publish(output, machine("fresh"), env=env)
    assert "files sent" in second and "Edited." in (bucket / CHANGED).read_text()
    record = json.loads((bucket / "_culture-hub" / "releases.json").read_text())
    assert [r["id"] for r in record["releases"]][:2] == [OLD_FIRST, OLD_SECOND]


def test_a_failed_object_store_upload_leaves_the_record_naming_the_release_before(
    output: Path, tmp_path: Path
) -> None:
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    values = {"PUBLISH_TARGET": "object-store", "PUBLISH_RCLONE_REMOTE": f"teststore:{bucket}"}
    publish(output, settings_file(tmp_path / "p", **values), env=env)
    record_file = bucket / "_culture-hub" / "releases.json"
    before = record_file.read_text()
    change_one_page(output)
    (output / "big.bin").write_bytes(os.urandom(3_000_000))
    # the connection gives out after 1 MiB (the record, about 100 kB, is read): rclone
    # stops part-way with an error
    broken = settings_file(
        tmp_path / "q", **values, PUBLISH_RCLONE_OPTIONS=["--max-transfer", "1M"]
    )
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--no-build", "--output", str(output),
         "--settings", str(broken)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, **env},
    )  # fmt: skip
    assert done.returncode == 1 and "rclone copy to" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert record_file.read_text() == before  # no half release made current
    again = publish(output, settings_file(tmp_path / "r", **values), env=env)
    assert "released" in again
    assert len(json.loads(record_file.read_text())["releases"]) == 2


def _edited(output: Path, tmp_path: Path, name: str) -> Path:
    """A copy of the built site with one page saying who edited it."""
    copy = Path(shutil.copytree(output, tmp_path / f"output-{name}"))
    page = copy / CHANGED
    page.write_text(page.read_text().replace("</body>", f"<p>Edited by {name}.</p></body>"))
    return copy


@pytest.mark.parametrize("lands", ["before the site is sent", "before the record is written"])
def test_a_publish_refuses_to_write_over_one_that_landed_while_it_ran(
    output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lands: str
) -> None:
    """Two object-store publishes at once: A reads the record, B publishes completely (a
    real `invoke publish` from another folder), then A goes on. A must not write its
    record over B's (the store would forget B's release): it stops with one line telling
    the person to publish again, and B's record stays byte for byte; publishing again
    keeps both releases."""
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    for key, value in env.items():  # A runs rclone from this process
        monkeypatch.setenv(key, value)
    values = {"PUBLISH_TARGET": "object-store", "PUBLISH_RCLONE_REMOTE": f"teststore:{bucket}"}
    publish(output, settings_file(tmp_path / "first", **values), env=env)
    record_file = bucket / "_culture-hub" / "releases.json"
    first_id = json.loads(record_file.read_text())["current"]

    a_config = settings_file(tmp_path / "a", **values)
    a_settings = PublishSettings.from_settings(read_settings(str(a_config)), a_config.parent)
    work = a_config.parent / "cache" / "publish"
    a_site = prepare(_edited(output, tmp_path, "A"), work, a_settings).site
    a = RcloneTarget(a_settings, work)
    pending = a.begin(a_site)  # A has read the record (first_id current)
    if lands == "before the record is written":
        a.send_site(pending)
        assert "Edited by A." in (bucket / CHANGED).read_text()

    publish(_edited(output, tmp_path, "B"), settings_file(tmp_path / "b", **values), env=env)
    b_record = record_file.read_text()
    b_id = json.loads(b_record)["current"]
    assert b_id != first_id

    with pytest.raises(PublishError) as refused:
        if lands == "before the site is sent":
            a.send_site(pending)
        else:
            a.commit(pending, [])
    message = str(refused.value)
    assert f"another publish or rollback changed teststore:{bucket}/_culture-hub/releases.json" in (
        message
    )
    assert f"(it now serves release {b_id})" in message and "run `invoke publish`" in message
    assert "\n" not in message
    assert record_file.read_text() == b_record  # nothing of B's record overwritten
    if lands == "before the site is sent":
        assert "the site's files were not touched" in message
        assert "Edited by B." in (bucket / CHANGED).read_text()  # B's site, as B left it
    else:
        assert "may be a mix of both releases" in message

    # as the message says: publish again; B's release is kept in the record (rollback-able)
    again = publish(_edited(output, tmp_path, "A2"), a_config, env=env)
    assert "released" in again
    record = json.loads(record_file.read_text())
    assert [entry["id"] for entry in record["releases"]][:2] == [first_id, b_id]
    assert "Edited by A2." in (bucket / CHANGED).read_text()


def test_a_rollback_refuses_to_write_over_a_publish_that_landed_while_it_ran(
    output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rollback reads the record; a real publish lands; the rollback stops in one line,
    leaves the new release served and recorded, and a second rollback goes back from it."""
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    values = {"PUBLISH_TARGET": "object-store", "PUBLISH_RCLONE_REMOTE": f"teststore:{bucket}"}
    publish(output, settings_file(tmp_path / "first", **values), env=env)
    publish(_edited(output, tmp_path, "second"), settings_file(tmp_path / "s", **values), env=env)
    record_file = bucket / "_culture-hub" / "releases.json"

    config = settings_file(tmp_path / "r", **values)
    settings = PublishSettings.from_settings(read_settings(str(config)), config.parent)
    back = RcloneTarget(settings, config.parent / "cache" / "publish")
    plan = back.plan_rollback()
    publish(_edited(output, tmp_path, "third"), settings_file(tmp_path / "t", **values), env=env)
    third = record_file.read_text()
    with pytest.raises(PublishError) as refused:
        back.roll_back(plan)
    assert "another publish or rollback changed" in str(refused.value)
    assert "run `invoke rollback` again" in str(refused.value)
    assert record_file.read_text() == third
    assert "Edited by third." in (bucket / CHANGED).read_text()  # nothing rolled back
    again = rollback(config, env=env)
    assert again.returncode == 0, again.stderr
    assert "Edited by second." in (bucket / CHANGED).read_text()


def test_a_damaged_release_record_is_one_line_and_nothing_is_sent(
    output: Path, tmp_path: Path
) -> None:
    need("rclone", "rclone")
    bucket = tmp_path / "bucket"
    (bucket / "_culture-hub").mkdir(parents=True)
    (bucket / "_culture-hub" / "releases.json").write_text(
        json.dumps({"format": 1, "current": "", "releases": [
            {"id": "20260101T000000-000000Z", "files": {"../../etc/x": "0" * 64}}]})
    )  # fmt: skip
    env = {"RCLONE_CONFIG_TESTSTORE_TYPE": "local", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    config = settings_file(
        tmp_path / "p", PUBLISH_TARGET="object-store", PUBLISH_RCLONE_REMOTE=f"teststore:{bucket}"
    )
    for args in (["publish", "--no-build", "--output", str(output)], ["rollback"]):
        done = subprocess.run(
            [sys.executable, "-m", "invoke", *args, "--settings", str(config)],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
            env={**os.environ, **env},
        )  # fmt: skip
        assert done.returncode == 1, done.stdout
        assert "is not a release record culture-hub wrote" in done.stderr
        assert "delete it to start a new history" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert not (bucket / "index.html").exists()


def test_a_page_cannot_claim_the_reserved_prefix(output: Path, tmp_path: Path) -> None:
    (output / "_culture-hub").mkdir()
    (output / "_culture-hub" / "index.html").write_text("<p>mine</p>")
    config = settings_file(tmp_path / "project")
    done = invoke("publish", "--no-build", "--output", str(output), "--settings", str(config))
    assert done.returncode == 1
    assert "/_culture-hub/ is reserved for the release record" in done.stderr
    assert not (tmp_path / "project" / "deploy").exists()


# --- GitHub Pages -----------------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_github_pages_commits_the_site_to_a_branch_and_rolls_back(
    output: Path, tmp_path: Path
) -> None:
    need("git", "git")
    remote = tmp_path / "remote.git"
    _git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project)
    _git("remote", "add", "origin", str(remote), cwd=project)
    config = settings_file(project, PUBLISH_TARGET="github-pages")
    publish(output, config)
    files = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert "index.html" in files and ".nojekyll" in files and "_redirects" in files
    assert not any(name.endswith((".br", ".gz")) for name in files)
    # the working tree and index are untouched (cache/ is git-ignored in the project)
    assert set(_git("status", "--porcelain", cwd=project).splitlines()) == {
        "?? cache/",
        "?? deployconf.py",
    }

    change_one_page(output)
    second = publish(output, config)
    assert sent_files(second) == {CHANGED}
    assert "Edited." in _git("show", f"gh-pages:{CHANGED}", cwd=remote)
    head = _git("rev-parse", "gh-pages", cwd=remote)
    assert "no new release made" in publish(output, config)
    assert _git("rev-parse", "gh-pages", cwd=remote) == head

    back = rollback(config)
    assert back.returncode == 0, back.stderr
    assert "Edited." not in _git("show", f"gh-pages:{CHANGED}", cwd=remote)
    again = rollback(config)
    assert again.returncode == 1 and "no previous release" in again.stderr


# --- nginx serving the deployed folder --------------------------------------------


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with deployed_behind_nginx(tmp_path_factory.mktemp("nginx")) as (url, _):
        yield url


def get(url: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_nginx_sends_brotli_or_gzip_twins_when_asked(nginx_site: str) -> None:
    status, headers, body = get(nginx_site, "/", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert b"<html" in brotli.decompress(body)
    status, headers, body = get(nginx_site, "/", **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    status, headers, body = get(nginx_site, "/")
    assert "content-encoding" not in headers and b"<html" in body
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_nginx_caches_only_hashed_assets_for_a_year(nginx_site: str) -> None:
    _, _, page = get(nginx_site, "/")
    css = re.search(rb'href="[^"]*/(theme/css/site\.[0-9a-f]{10}\.css)"', page)
    assert css, "the page links its stylesheet by its hashed name"
    status, headers, _ = get(nginx_site, "/" + css.group(1).decode(), **{"Accept-Encoding": "br"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/theme/css/site.css", "/feeds/all.rss.xml", "/search/"):
        status, headers, _ = get(nginx_site, path)
        assert status == 200, path
        assert "immutable" not in headers["cache-control"], path
        assert "must-revalidate" in headers["cache-control"], path
    assert get(nginx_site, "/feeds/all.atom.xml")[1]["content-type"].startswith(
        "application/atom+xml"
    )


def test_nginx_sends_the_security_headers_everywhere(nginx_site: str) -> None:
    for path in ("/", "/theme/css/site.css", "/no-such-page/"):
        _, headers, _ = get(nginx_site, path)
        policy = dict(
            part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
        )
        assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"  # no inline, no other site
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert policy["default-src"] == "'self'"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_nginx_redirects_old_addresses_and_answers_404_with_the_page(nginx_site: str) -> None:
    status, headers, _ = get(nginx_site, "/old/small-wins/")
    assert status == 301 and headers["location"] == "/stories/a-ledger-of-small-wins/"
    assert "content-security-policy" in headers  # a redirect is a response like any other
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(nginx_site, "/2025/04/windowsill/")
    assert status == 301
    assert get(nginx_site, headers["location"])[0] == 200
    # a percent-encoded source matches what browsers send, in either case of hex digit
    for path in ("/old/caf%C3%A9-notes/", "/old/caf%c3%a9-notes/"):
        status, headers, _ = get(nginx_site, path)
        assert status == 301, path
        assert headers["location"] == "/stories/a-ledger-of-small-wins/"
    status, headers, body = get(nginx_site, "/no-such-story/")
    assert status == 404 and b"<html" in body and b"404" in body
    assert get(nginx_site, "/_redirects")[0] == 404
    assert get(nginx_site, "/_headers")[0] == 404
    status, headers, _ = get(nginx_site, "/stories")  # a folder without its slash
    assert status == 301 and headers["location"] == "/stories/"


def _hashed_css(page: bytes) -> str:
    found = re.search(rb'href="[^"]*/(theme/css/site\.[0-9a-f]{10}\.css)"', page)
    assert found, "the page links its stylesheet by its hashed name"
    return "/" + found.group(1).decode()


def test_a_rollback_behind_a_live_nginx_serves_the_previous_release_after_a_reload(
    tmp_path: Path,
) -> None:
    """Release A, then B (an edited page, a changed stylesheet, a changed and a new
    redirect), both built for real; nginx serves B; `invoke rollback`, the reload the
    README asks for, and every request answers as A again."""
    need(NGINX, "nginx")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    outputs = {}
    for name in ("a", "b"):
        content, theme = tmp_path / name / "content", tmp_path / name / "theme"
        shutil.copytree(ROOT / "content", content)
        shutil.copytree(ROOT / "theme", theme)
        if name == "b":
            about = content / "pages" / "about.md"
            about.write_text(about.read_text() + "\nRelease B was here.\n")
            css = theme / "static" / "css" / "site.css"
            css.write_text(css.read_text() + "\n.release-b { color: #b00; }\n")
        built = build_site(content, tmp_path / name / "output", SITEURL=url, THEME=str(theme))
        assert built.returncode == 0, built.log
        outputs[name] = built.output
    add_fixture_redirects(outputs["a"])
    (outputs["b"] / "_redirects").write_text(
        (outputs["a"] / "_redirects")
        .read_text()
        .replace("/old/small-wins/ /stories/a-ledger-of-small-wins/", "/old/small-wins/ /about/")
        + "/old/only-in-b/ /values/ 301\n"
    )
    project = tmp_path / "project"
    config = settings_file(project, PUBLISH_NGINX_LISTEN=f"127.0.0.1:{port}")
    publish(outputs["a"], config)
    publish(outputs["b"], config)
    with nginx(project / "deploy" / "nginx.conf", tmp_path / "nginx", port):
        status, _, page = get(url, "/about/")
        assert status == 200 and b"Release B was here." in page
        b_css = _hashed_css(page)
        status, _, sheet = get(url, b_css)
        assert status == 200 and b".release-b" in sheet
        assert get(url, "/old/small-wins/")[1]["location"] == "/about/"
        assert get(url, "/old/only-in-b/")[0] == 301

        back = rollback(config)
        assert back.returncode == 0, back.stderr
        assert "reload nginx" in back.stdout
        reload_nginx(tmp_path / "nginx")  # returns once only workers with A's config answer

        status, _, page = get(url, "/about/")
        assert status == 200 and b"Release B was here." not in page
        a_css = _hashed_css(page)
        assert a_css != b_css
        status, headers, sheet = get(url, a_css)
        assert status == 200 and b".release-b" not in sheet
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        assert get(url, b_css)[0] == 404  # B's stylesheet is gone with B
        status, headers, _ = get(url, "/old/small-wins/")
        assert status == 301 and headers["location"] == "/stories/a-ledger-of-small-wins/"
        assert get(url, "/old/only-in-b/")[0] == 404  # B's new redirect went with B
        status, headers, _ = get(url, "/2025/04/windowsill/")  # one both releases have
        assert status == 301 and get(url, headers["location"])[0] == 200
