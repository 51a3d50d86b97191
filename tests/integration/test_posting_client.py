"""A real posting tool reads our social feeds over HTTP and says what it would post.

feediverse (PyPI) is run in ``--dry-run`` with its default template,
``{title} {url}``, against each network's feed served from the built site on
localhost. Its Mastodon client is pointed at the same local server, so
nothing leaves the machine (the API calls it makes on start-up get a 404,
which it tolerates).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, Build, build_site

from culture_hub.share_tweet.limits import LIMITS

SITE = "https://culture.lanternfield.example"
MENTIONS = {
    "x": "via @ada_quill",
    "mastodon": "via @ada@social.example",
    "bluesky": "via @ada.bsky.social",
    "linkedin": "",
    "threads": "",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("client")
    content = base / "content"
    shutil.copytree(FIXTURES / "quotes", content)
    ada = content / "people" / "ada-quill.md"
    ada.write_text(
        ada.read_text().replace(
            "x: ada_quill\n",
            'x: ada_quill\nmastodon: "@ada@social.example"\nbluesky: ada.bsky.social\n',
        )
    )
    networks = ["x", "linkedin", "mastodon", "bluesky", "threads"]
    result = build_site(content, base / "output", cwd=base, SHARE_NETWORKS=networks)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def server(site: Build) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _feediverse(
    tmp_path: Path, server: str, feed: str, template: str = "{title} {url}"
) -> list[str]:
    config = tmp_path / "feediverse.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "feediverse",
                "url": server,  # the "Mastodon server": our own, so nothing goes out
                "client_id": "test",
                "client_secret": "test",
                "access_token": "test",
                "feeds": [{"url": f"{server}/{feed}", "template": template}],
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "feediverse", "--dry-run", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("network", sorted(MENTIONS))
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feediverse_posts_one_link_the_right_mention_within_the_limit(
    tmp_path: Path, server: str, network: str, fmt: str
) -> None:
    posts = _feediverse(tmp_path, server, f"feeds/social/{network}.{fmt}.xml")
    assert len(posts) == 3  # the public quotes; the internal story's never reach a feed
    for post in posts:
        assert post.count("http") == 1, post  # the link once, never twice
        title, _, link = post.rpartition(" ")
        assert link.startswith(f"{SITE}/stories/") and "#quote-" in link
        assert LIMITS[network].fits(title, link), post
        if "quotes-worth-sharing" in link:
            if MENTIONS[network]:
                assert title.endswith(MENTIONS[network]), post
            for other, mention in MENTIONS.items():
                if other != network and mention:
                    assert mention not in title, post


def test_feediverse_on_the_neutral_feed_names_nobody(tmp_path: Path, server: str) -> None:
    # The neutral feed keeps its URN GUIDs (schedulers already follow it), and
    # feediverse's {url} is the GUID: /feeds/ says to use {link} with it.
    posts = _feediverse(tmp_path, server, "feeds/social.rss.xml", "{title} {link}")
    assert len(posts) == 3
    for post in posts:
        assert "via @" not in post and post.count("http") == 1
        title, _, link = post.rpartition(" ")
        assert all(LIMITS[n].fits(title, link) for n in ("x", "mastodon", "bluesky", "linkedin"))
