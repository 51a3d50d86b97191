"""Quality bars on the built sample site: the Nu Html Checker and Lighthouse.

Both are the real tools, pinned in package.json (``npm ci``): vnu.jar runs on
Debian's Java (``default-jre-headless``), Lighthouse drives Debian's Chromium.
Locally, without them, these tests skip; in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ARTIFACTS, CHROMIUM, SERVED_OUTPUT
from helpers import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "/",
    "story": "/stories/what-our-accountants-taught-us-about-retweets/",
    "department": "/departments/finance/",
    "person": "/people/priya-shah/",
    "search": "/search/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def _need(*paths: Path | str | None) -> None:
    missing = [str(p) for p in paths if not p or not Path(p).exists()]
    if missing:
        message = (
            f"missing {', '.join(missing)} (run `npm ci`; apt-get install default-jre-headless)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_every_page_passes_the_nu_html_checker(served_site: str) -> None:
    java = shutil.which("java")
    _need(java, VNU)
    output = SERVED_OUTPUT[served_site]
    pages = sorted(
        str(p) for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts
    )
    assert len(pages) > 50  # every page type of the sample site, not a handful
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", *pages],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{m.get('url', '').removeprefix(output.as_uri())}:{m.get('lastLine')}: "
        f"{m.get('type')}/{m.get('subType', '')}: {m.get('message')}"
        for m in messages
    ]
    assert problems == []  # no errors, and no warnings either
    assert done.returncode == 0


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores_100_in_every_category(
    served_site: str, name: str, form_factor: str
) -> None:
    _need(LIGHTHOUSE, CHROMIUM)
    ARTIFACTS.mkdir(exist_ok=True)
    # Lighthouse's performance score is measured, so it varies with the machine's
    # load (its own docs advise several runs): a page gets up to three runs, and one
    # at 100 counts. The other three categories are rules and must hold on every run;
    # a page that is really slower fails all three runs.
    runs = 0
    while True:
        runs += 1
        scores, failing = _lighthouse(served_site, name, form_factor)
        others_hold = all(scores[key] == 1 for key in CATEGORIES if key != "performance")
        if scores["performance"] == 1 or not others_hold or runs == 3:
            break
    assert scores == dict.fromkeys(CATEGORIES, 1), (f"{runs} run(s)", failing)


def _lighthouse(served_site: str, name: str, form_factor: str) -> tuple[dict, list[str]]:
    """One Lighthouse run: the four categories' scores, and the audits below 1."""
    report = ARTIFACTS / f"lighthouse-{name}-{form_factor}.json"
    command = [
        str(LIGHTHOUSE), served_site + PAGES[name], "--quiet", "--output=json",
        f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
    ]  # fmt: skip
    command.append("--preset=desktop" if form_factor == "desktop" else "--form-factor=mobile")
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(report.read_text())
    scores = {key: result["categories"][key]["score"] for key in CATEGORIES}
    failing = sorted(
        f"{audit['id']}: {audit.get('displayValue') or audit['title']}"
        for audit in result["audits"].values()
        if audit.get("scoreDisplayMode") in {"binary", "numeric"}
        and audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("weight", 1)
    )
    return scores, failing


HTMLCS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
ALL_PAGES = {
    **PAGES,
    "stories": "/stories/",
    "tag": "/tags/social-media/",
    "people": "/people/",
    "departments": "/departments/",
    "contributions": "/contributions/",
    "page": "/about/",
    "404": "/404.html",
}


@pytest.mark.parametrize("name", list(ALL_PAGES))
def test_html_codesniffer_wcag2aa_finds_no_errors(page, served_site: str, name: str) -> None:
    """The rules pa11y runs (HTML_CodeSniffer, WCAG 2 AA), in the page, as pa11y does."""
    _need(HTMLCS)
    page.goto(served_site + ALL_PAGES[name], wait_until="networkidle")
    # Evaluated, not added as a script tag: the site's Content-Security-Policy (served
    # through nginx) rightly refuses inline scripts.
    page.evaluate(HTMLCS.read_text(encoding="utf-8"))
    errors = page.evaluate(
        """() => new Promise(done => HTMLCS.process('WCAG2AA', document, () => done(
            HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR)
              .map(m => `${m.code}: ${m.msg} (${m.element.outerHTML.slice(0, 120)})`))))"""
    )
    assert errors == []
