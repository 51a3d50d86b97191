"""The publishing capability's pure parts: names, headers, redirects, releases, twins."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import brotli
import pytest

from culture_hub.publish.assets import AssetError, Assets, hashed_name
from culture_hub.publish.compress import add_twins
from culture_hub.publish.record import Record
from culture_hub.publish.releases import (
    Deployed,
    FolderReleases,
    new_release_id,
    previous,
    to_remove,
)
from culture_hub.publish.serving import (
    IMMUTABLE,
    REVALIDATE,
    headers_for,
    netlify_headers,
    nginx_config,
    read_redirects,
)
from culture_hub.publish.settings import DEFAULT_CSP, PublishError, PublishSettings


def test_hashed_name_changes_with_the_bytes_only() -> None:
    one = hashed_name("css/site.css", b"a{}")
    assert (
        one.startswith("css/site.")
        and one.endswith(".css")
        and len(one) == len("css/site.css") + 11
    )
    assert hashed_name("css/site.css", b"a{}") == one
    assert hashed_name("css/site.css", b"b{}") != one


def test_assets_answer_the_hashed_address_and_name_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("a{}")
    (tmp_path / "notes.txt").write_text("not an asset")
    assets = Assets.scan((tmp_path,))
    assert assets.url("css/site.css") == "theme/" + hashed_name("css/site.css", b"a{}")
    assert assets.url("theme/css/site.css") == assets.url("css/site.css")
    with pytest.raises(AssetError, match=r"asset\('css/main.css'\).*known: css/site.css"):
        assets.url("css/main.css")
    written = assets.write(tmp_path / "out")
    assert [p.read_text() for p in written] == ["a{}"]


@pytest.mark.parametrize(
    ("path", "kind", "cache", "encoding"),
    [
        ("index.html", "text/html; charset=utf-8", REVALIDATE, ""),
        ("index.html.br", "text/html; charset=utf-8", REVALIDATE, "br"),
        ("feeds/all.rss.xml.gz", "application/rss+xml; charset=utf-8", REVALIDATE, "gzip"),
        ("feeds/all.atom.xml", "application/atom+xml; charset=utf-8", REVALIDATE, ""),
        ("feeds/all.json", "application/feed+json", REVALIDATE, ""),
        ("theme/css/site.0123456789.css", "text/css; charset=utf-8", IMMUTABLE, ""),
        ("theme/css/site.0123456789.css.br", "text/css; charset=utf-8", IMMUTABLE, "br"),
        ("theme/css/site.css", "text/css; charset=utf-8", REVALIDATE, ""),
        ("images/site.0123456789.png", "image/png", REVALIDATE, ""),  # not a theme file
        ("theme/images/og-default.56ecc12d6e.png", "image/png", IMMUTABLE, ""),
        ("archive.tar.gz", "application/gzip", REVALIDATE, ""),  # not a twin of ours
        ("pagefind/pagefind.en_1.pf_meta", "application/octet-stream", REVALIDATE, ""),
    ],
)
def test_headers_for_each_kind_of_file(path: str, kind: str, cache: str, encoding: str) -> None:
    headers = headers_for(path)
    assert (headers.content_type, headers.cache_control, headers.content_encoding) == (
        kind,
        cache,
        encoding,
    )


def test_redirects_read_netlify_lines() -> None:
    found = read_redirects(
        "# old addresses\n\n/old/a/ /stories/a/ 301\n/b /stories/b/\n/c/ https://example.org/c 308\n"
    )
    assert [(r.source, r.target, r.code) for r in found] == [
        ("/old/a/", "/stories/a/", 301),
        ("/b", "/stories/b/", 301),
        ("/c/", "https://example.org/c", 308),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/a/ /b/ 301 extra", "found 4 fields"),
        ("a/ /b/", "is not a plain site path"),
        ("/a/} /b/", "is not a plain site path"),
        ("/a/ /b/;}server{", "is not a plain site path or http(s) address"),
        ("/a/ /b/$host", "is not a plain site path or http(s) address"),
        ("/a/ //evil.example/", "is not a plain site path or http"),  # another host
        ("/news/* /stories/:splat", "is not a plain site path"),
        ("/a/ /b/ 404", "status '404'"),
        ("/caf\u00e9/ /b/", "is not a plain site path"),  # percent-encode it: /caf%C3%A9/
    ],
)
def test_hostile_redirect_lines_are_refused_at_their_line(line: str, message: str) -> None:
    text = "/ok/ /fine/\n" + line + "\n"
    with pytest.raises(PublishError, match=r"_redirects:2: .*" + re.escape(message)):
        read_redirects(text)


def test_a_redirect_given_twice_is_refused() -> None:
    with pytest.raises(PublishError, match="_redirects:2: /a/ is already redirected on line 1"):
        read_redirects("/a/ /b/\n/a/ /c/\n")


def test_nginx_config_repeats_security_headers_in_every_location() -> None:
    conf = nginx_config(
        root="/srv/site/current",
        csp=DEFAULT_CSP,
        redirects=read_redirects("/old/ /new/ 301\n"),
    )
    assert conf.count("{") == conf.count("}")
    locations = conf.count("    location ")
    assert conf.count("add_header Content-Security-Policy") == locations - 2  # all but the 404s
    assert 'location = "/old/" {' in conf and 'return 301 "/new/";' in conf
    assert "brotli_static on;" in conf and "gzip_static on;" in conf
    with pytest.raises(PublishError):
        nginx_config(root='/srv/x"; evil', csp=DEFAULT_CSP, redirects=[])


def test_netlify_headers_give_the_long_cache_to_hashed_files_by_name() -> None:
    text = netlify_headers(DEFAULT_CSP, ["theme/css/site.0123456789.css"])
    assert "/theme/css/site.0123456789.css\n  Cache-Control: " + IMMUTABLE in text
    assert "/*\n  Content-Security-Policy: " in text
    assert text.count("Cache-Control") == 1  # never on the wildcard every page matches


def test_release_ids_sort_by_time_and_old_ones_go_but_never_the_current() -> None:
    early = new_release_id(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    late = new_release_id(datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    assert early < late
    names = [f"2026010{day}T000000-000000Z" for day in range(1, 7)] + ["junk", ".x.partial"]
    assert to_remove(names, "20260106T000000-000000Z", 3) == [
        "20260101T000000-000000Z",
        "20260102T000000-000000Z",
        "20260103T000000-000000Z",
    ]
    assert "20260101T000000-000000Z" not in to_remove(names, "20260101T000000-000000Z", 3)
    assert previous(names, "20260103T000000-000000Z") == "20260102T000000-000000Z"
    with pytest.raises(PublishError, match="no previous release"):
        previous(names, "20260101T000000-000000Z")
    with pytest.raises(PublishError, match="nothing is being served"):
        previous(names, "")


def test_kept_configs_are_not_releases_and_an_unchanged_deploy_is_one_line() -> None:
    names = ["20260101T000000-000000Z", "20260101T000000-000000Z.nginx.conf"]
    assert to_remove(names, "20260102T000000-000000Z", 0) == ["20260101T000000-000000Z"]
    line = Deployed("20260101T000000-000000Z", [], 12, same=True).summary("deploy/current")
    assert "\n" not in line and "no new release made" in line


def test_a_release_is_skipped_only_when_files_and_config_are_all_the_same(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "a" / "gone.html").write_text("gone")
    releases = FolderReleases(tmp_path / "deploy")
    first = releases.deploy(site, 5, config="conf 1")
    assert releases.deploy(site, 5, config="conf 1").same
    assert not releases.deploy(site, 5, config="conf 2").same  # a new redirect is a change
    (site / "a" / "gone.html").unlink()  # nothing to send, but a page is gone
    last = releases.deploy(site, 5, config="conf 2")
    assert not last.same and not last.uploaded
    assert len(releases.names()) == 3 and releases.serving() == last.release
    assert (tmp_path / "deploy" / "nginx.conf").read_text() == "conf 2"
    assert releases.rollback() == (releases.names()[1], True)
    assert (tmp_path / "deploy" / "nginx.conf").read_text() == "conf 2"
    assert releases.rollback() == (first.release, True)
    assert (tmp_path / "deploy" / "nginx.conf").read_text() == "conf 1"


def test_twins_are_exact_and_cached_by_content(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = "<html>" + "culture " * 200 + "</html>"
    (site / "index.html").write_text(page)
    (site / "tiny.json").write_text("{}")
    (site / "photo.png").write_bytes(b"\x89PNG" + b"\0" * 100)
    cache = tmp_path / "cache"
    first = add_twins(site, cache)
    assert first.made == ["index.html", "tiny.json"] and first.reused == []
    assert brotli.decompress((site / "index.html.br").read_bytes()).decode() == page
    assert gzip.decompress((site / "index.html.gz").read_bytes()).decode() == page
    assert not (site / "tiny.json.br").exists()  # not smaller than the file: no twin
    assert not (site / "photo.png.gz").exists()
    gz = (site / "index.html.gz").read_bytes()
    (site / "index.html.gz").unlink()
    second = add_twins(site, cache)
    assert second.made == [] and second.reused == ["index.html", "tiny.json"]
    assert (site / "index.html.gz").read_bytes() == gz  # byte-identical: nothing to upload


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"PUBLISH_TARGET": "s3"}, "PUBLISH_TARGET: 's3' is not one of 'folder', 'rsync'"),
        ({"PUBLISH_KEEP_RELEASES": True}, "PUBLISH_KEEP_RELEASES: True is not a whole number"),
        ({"PUBLISH_KEEP_RELEASES": 1}, "of 2 or more; keep 2 or more: one release to serve"),
        ({"PUBLISH_RSYNC_PORT": "22"}, "PUBLISH_RSYNC_PORT: '22' is not a whole number from 1"),
        ({"PUBLISH_SSH_OPTIONS": "-i key"}, "PUBLISH_SSH_OPTIONS: '-i key' is not a list of"),
        ({"PUBLISH_RCLONE_OPTIONS": ["-v", 3]}, "PUBLISH_RCLONE_OPTIONS: 3 is not a string"),
        ({"PUBLISH_CSP": 'default-src "self"'}, "on one line without double quotes"),
        ({"PUBLISH_CSP": "  "}, "PUBLISH_CSP: '  ' is not one line of policy text"),
        ({"PUBLISH_NGINX_LISTEN": "80; include /etc/passwd"}, "PUBLISH_NGINX_LISTEN: '80;"),
        ({"PUBLISH_NGINX_LISTEN": 70_000}, "PUBLISH_NGINX_LISTEN: 70000 is not a whole number"),
        ({"PUBLISH_SERVER_NAME": "a b"}, "PUBLISH_SERVER_NAME: 'a b' is not a host name"),
        ({"SITEURL": "https://my_site.example/"}, "SITEURL's host 'my_site.example' is not"),
        ({"PUBLISH_FOLDER": ""}, "PUBLISH_FOLDER: '' is not a folder"),
        # What a target will pass to ssh, rsync, rclone or git is checked whatever the target.
        ({"PUBLISH_RSYNC_HOST": "web; rm -rf /"}, "PUBLISH_RSYNC_HOST: 'web; rm -rf /' is not"),
        ({"PUBLISH_RSYNC_HOST": "-oProxyCommand=x"}, "is not a host name"),
        ({"PUBLISH_RSYNC_USER": "-l root"}, "PUBLISH_RSYNC_USER: '-l root' is not a user name"),
        ({"PUBLISH_RSYNC_PATH": "/"}, "use an absolute folder on the server"),
        ({"PUBLISH_RSYNC_PATH": "srv"}, "PUBLISH_RSYNC_PATH: 'srv' is not an absolute folder"),
        ({"PUBLISH_RCLONE_REMOTE": "--config=x"}, "use remote:bucket/path"),
        ({"PUBLISH_GITHUB_BRANCH": "../main"}, "PUBLISH_GITHUB_BRANCH: '../main' is not a branch"),
        ({"PUBLISH_GITHUB_REMOTE": "--receive-pack=x"}, "PUBLISH_GITHUB_REMOTE: '--receive"),
    ],
)
def test_bad_settings_say_which_and_how(values: dict, message: str) -> None:
    with pytest.raises(PublishError, match=re.escape(message)) as refused:
        PublishSettings.from_settings(values, Path("/project"))
    assert "\n" not in str(refused.value)
    assert "; " in str(refused.value)  # what is wrong; how to fix it


def test_settings_are_read_with_their_declared_defaults() -> None:
    found = PublishSettings.from_settings({"SITEURL": "https://hub.example/x/"}, Path("/p"))
    assert (found.target, found.keep, found.folder) == ("folder", 5, Path("/p/deploy"))
    assert (found.server_name, found.nginx_listen, found.csp) == ("hub.example", "80", DEFAULT_CSP)
    assert (found.ssh_options, found.github_remote) == ((), "origin")
    found = PublishSettings.from_settings(
        {"PUBLISH_NGINX_LISTEN": 8080, "PUBLISH_FOLDER": Path("/srv/d"), "PUBLISH_SERVER_NAME": "_",
         "PUBLISH_SSH_OPTIONS": ["-i", "key"], "PUBLISH_GITHUB_REMOTE": ""},
        Path("/p"),
    )  # fmt: skip
    assert (found.nginx_listen, found.folder, found.server_name) == ("8080", Path("/srv/d"), "_")
    assert (found.ssh_options, found.github_remote) == (("-i", "key"), "")


def test_target_settings_are_required_when_the_target_is_used() -> None:
    settings = PublishSettings.from_settings({"PUBLISH_RSYNC_PATH": "/srv/x"}, Path("/p"))
    with pytest.raises(PublishError, match="the rsync target needs PUBLISH_RSYNC_HOST in"):
        settings.require_rsync()
    settings = PublishSettings.from_settings(
        {"PUBLISH_RSYNC_HOST": "web", "PUBLISH_RSYNC_PATH": "/srv/x/"}, Path("/p")
    )
    settings.require_rsync()
    settings = PublishSettings.from_settings({}, Path("/p"))
    with pytest.raises(PublishError, match="needs PUBLISH_RCLONE_REMOTE"):
        settings.require_rclone()


def test_the_reserved_prefix_is_never_a_redirect_and_nginx_hides_it() -> None:
    with pytest.raises(PublishError, match="_redirects:1: /_culture-hub/x/ is under"):
        read_redirects("/_culture-hub/x/ /b/\n")
    conf = nginx_config(root="/srv/site/current", csp=DEFAULT_CSP, redirects=[])
    assert "location ^~ /_culture-hub/ {\n        return 404;" in conf


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../x": "0" * 64}, "is not a site path"),
        ({"/etc/passwd": "0" * 64}, "is not a site path"),
        ({"_culture-hub/releases.json": "0" * 64}, "is not a site path"),
        ({"a.html": "not-a-digest"}, "is not a site path"),
    ],
)
def test_a_release_record_naming_paths_outside_the_site_is_refused(
    files: dict, message: str
) -> None:
    text = json.dumps(
        {
            "format": 1,
            "current": "",
            "releases": [{"id": "20260101T000000-000000Z", "files": files}],
        }
    )
    with pytest.raises(PublishError, match=message):
        Record.from_json(text, "site:bucket/_culture-hub/releases.json")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"format": 1, "releases": 5}, "the releases are not a list"),
        ({"format": 1, "releases": {"a": 1}}, "the releases are not a list"),
        ({"format": 1, "current": ["x"]}, "the current release"),
        ({"format": 1, "current": {}}, "the current release"),
        ({"format": 1, "releases": [{"id": "20260101T000000-000000Z", "files": ["a"]}]},
         "is not a site path"),
    ],
)  # fmt: skip
def test_a_release_record_of_another_shape_is_refused_in_one_line(
    record: dict, message: str
) -> None:
    """A hand-edited record whose parts are of the wrong kind is the same plain refusal."""
    with pytest.raises(PublishError, match=message):
        Record.from_json(json.dumps(record), "site:bucket/_culture-hub/releases.json")


def test_a_release_record_reads_back_what_it_wrote() -> None:
    record = Record("20260102T000000-000000Z")
    record.releases["20260102T000000-000000Z"] = {"index.html": "a" * 64}
    record.releases["20260101T000000-000000Z"] = {"index.html": "b" * 64, "x/y.css": "c" * 64}
    again = Record.from_json(record.to_json(), "here")
    assert again == record
    assert again.names() == ["20260101T000000-000000Z", "20260102T000000-000000Z"]
    assert again.digests() == {"a" * 64, "b" * 64, "c" * 64}
    with pytest.raises(PublishError, match="the current release '2027"):
        Record.from_json(record.to_json().replace('"current": "2026', '"current": "2027'), "h")


def test_a_percent_encoded_source_is_matched_as_nginx_decodes_it() -> None:
    redirects = read_redirects("/caf%C3%A9/ /cafe/\n/a%2Db/ /b/\n")
    conf = nginx_config(root="/srv/site/current", csp=DEFAULT_CSP, redirects=redirects)
    assert 'location = "/caf\u00e9/" {' in conf and 'location = "/a-b/" {' in conf
    assert "%C3" not in conf  # nginx compares the decoded path: the encoded one never matches


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/a%22%3Breturn/ /b/", "holds a character no address should"),  # " and ; in nginx
        ("/a%20b/ /b/", "holds a character no address should"),
        ("/a%00/ /b/", "holds a character no address should"),
        ("/a%FF/ /b/", "do not decode to UTF-8"),
        ("/a/%2E%2E/b/ /c/", "a server reads as another path"),  # nginx resolves ..
        ("/a%2F%2Fb/ /c/", "a server reads as another path"),  # and merges //
        ("/%5Fculture-hub/x/ /c/", "reserved for the release record"),
        # written plainly, the same paths never match either (nginx resolves them first)
        ("/a/../b/ /c/", "a server reads as another path"),
        ("/./_culture-hub/x/ /c/", "a server reads as another path"),
        ("/a//b/ /c/", "a server reads as another path"),
        ("/a/. /c/", "a server reads as another path"),
    ],
)
def test_a_source_that_decodes_to_something_unsafe_is_refused(line: str, message: str) -> None:
    with pytest.raises(PublishError, match=r"_redirects:1: .*" + re.escape(message)):
        read_redirects(line + "\n")


def test_two_spellings_of_one_address_are_one_redirect() -> None:
    with pytest.raises(PublishError, match="_redirects:2: /a%2db/ is already redirected on line 1"):
        read_redirects("/a-b/ /c/\n/a%2db/ /d/\n")
