"""Browser tests: Playwright driving Debian's Chromium against a served build.

The site is served by Python's http.server, or with ``BROWSER_SERVER=nginx``
as it is published: deployed with ``invoke publish`` and served by Debian's
nginx with the generated config and its Content-Security-Policy, so the
whole suite can show the policy breaks nothing (``nginx_site`` always is).

Playwright's own browser download is not available on these machines, so the
system Chromium (``apt-get install chromium``) is used. Locally, without it,
these tests skip; in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import ROOT, build_site
from servers import deployed_behind_nginx

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOCAL = "http://127.0.0.1:"  # every site these tests serve is on localhost
ARTIFACTS = ROOT / "test-artifacts"
# The output folder behind each served site's address (for checkers that read files).
SERVED_OUTPUT: dict[str, Path] = {}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(base: Path, **overrides: object) -> Iterator[str]:
    """Build the sample site with the publish settings and serve it on localhost.

    SITEURL is set to the local server so every absolute link stays on it.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    shutil.copytree(ROOT / "content", base / "content")  # the build updates its feed ledger
    result = build_site(base / "content", base / "output", SITEURL=url, **overrides)
    assert result.returncode == 0, result.log
    server.RequestHandlerClass = functools.partial(_QuietHandler, directory=str(base / "output"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SERVED_OUTPUT[url] = base / "output"
    yield url
    server.shutdown()


def _served(base: Path, **overrides: object) -> Iterator[str]:
    if os.environ.get("BROWSER_SERVER") == "nginx":
        with deployed_behind_nginx(base, **overrides) as (url, _):
            SERVED_OUTPUT[url] = base / "output"
            yield url
    else:
        yield from _serve(base, **overrides)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site, as published, served on localhost."""
    yield from _served(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def served_split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with its search index in parts of four pages (as a large site's)."""
    yield from _served(tmp_path_factory.mktemp("split"), SEARCH_PAGES_PER_INDEX=4)


@pytest.fixture(scope="session")
def nginx_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site deployed to a folder and served by nginx with the generated config."""
    with deployed_behind_nginx(tmp_path_factory.mktemp("nginx")) as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only for browser tests

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and any request off the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.offsite_requests = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))

    def guard(route) -> None:
        if route.request.url.startswith(LOCAL):  # the test servers; anything else is offsite
            route.continue_()
        else:
            page.offsite_requests.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<title>stub</title>")

    page.route("**/*", guard)
    yield page
    context.close()
