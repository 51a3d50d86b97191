"""Hostile content, strict publishing and atomic output, through real builds."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURES, ROOT, build_site
from xss_vectors import VECTORS, live_parts

HOSTILE_STORY = """---
title: "<script>alert('title')</script> Hostile"
date: 2025-09-01 09:00
authors: [ada-quill]
departments: [finance]
tags: ["<img src=x onerror=alert(1)>"]
summary: "<b onmouseover=alert(1)>Summary</b> [x](javascript:alert(2))"
image: images/box.png
image_alt: '"><script>alert(3)</script>'
---
Intro paragraph.

{vectors}

Quote: [inlinetweet prefix="<script>alert(4)</script>" tweeter="x&quot;onclick=alert(5)" suffix="#Tag<svg/onload=alert(6)>"]a hostile quote[/inlinetweet].
"""


def _hostile_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    vectors = "\n\n".join(VECTORS)
    (content / "stories" / "hostile.md").write_text(HOSTILE_STORY.replace("{vectors}", vectors))
    return content


def test_hostile_content_fails_publish_with_located_errors(tmp_path: Path) -> None:
    result = build_site(_hostile_site(tmp_path), tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    unsafe = [line for line in result.stderr.splitlines() if "unsafe HTML" in line]
    assert unsafe and all(re.match(r"content/stories/hostile\.md:\d+: error: ", u) for u in unsafe)
    assert (
        "content/stories/hostile.md:13: error: unsafe HTML: the <script> element" in result.stderr
    )
    assert "Traceback" not in result.log
    assert not (tmp_path / "out").exists()


def test_nothing_live_reaches_any_output_file(tmp_path: Path) -> None:
    result = build_site(
        _hostile_site(tmp_path), tmp_path / "out", settings="pelicanconf.py", cwd=tmp_path
    )
    assert result.returncode == 0, result.log
    page = result.soup("stories/alerttitle-hostile/index.html")
    assert page.h1.get_text() == "<script>alert('title')</script> Hostile"
    theme = frozenset({"meta", "link"})  # the theme's own <head>; checked in <main> below
    for path in result.files():
        if path.suffix != ".html":
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        # The theme's own drawings (icons, the brand, initials) and the chart are SVG;
        # each must be one of those, drawn with shapes only, never content's markup.
        assert _foreign_svg(soup) == [], path
        drawn = frozenset({"svg"})
        search = (  # Pagefind UI and the labelled search form
            frozenset({"script", "form", "input", "button"})
            if "search" in path.parts
            else frozenset()
        )
        for script in soup.find_all("script", src=True):
            assert script["src"].startswith("../"), script  # our own files, relative in dev
        assert live_parts(soup, allowed_elements=theme | drawn | search) == [], path
        assert live_parts(soup.main, allowed_elements=drawn | search) == [], path
        assert not soup.find("meta", attrs={"http-equiv": True}), path
    # the hostile shortcode attributes only ever appear URL-encoded inside share links
    share = page.select_one("#quote-1").find_next_sibling("span").select_one("a.share-x")
    assert "%3Cscript%3E" in share["href"]


THEME_SVG = frozenset({"icon", "icon-sprite", "brand-mark", "avatar", "contrib-chart"})
SVG_SHAPES = frozenset(
    {"symbol", "path", "use", "circle", "ellipse", "rect", "text", "title", "g", "line",
     "polyline", "polygon", "tspan", "desc"}
)  # fmt: skip


def _foreign_svg(soup: BeautifulSoup) -> list[str]:
    """SVG that is not one the theme draws, or that holds more than shapes; and any icon
    inside a story's words that is not a share link's (content can never add SVG)."""
    found = []
    for svg in soup.find_all("svg"):
        if not set(svg.get("class", [])) & THEME_SVG:
            found.append(f"svg of class {svg.get('class')}")
        found += [f"<{e.name}> in svg" for e in svg.find_all(True) if e.name not in SVG_SHAPES]
        for use in svg.find_all("use"):
            if not use.get("href", "").startswith("#icon-"):
                found.append(f"use of {use.get('href')}")
    for svg in soup.select(".prose svg"):
        if not svg.find_parent("a", class_="share"):
            found.append("svg in a story's words")
    return found


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _break(content: Path) -> None:
    (content / "stories" / "first.md").write_text(
        "---\ntitle: Broken\ndate: 2025-05-01\nauthors: [ada-quill]\ndepartments: [finanse]\n"
        "summary: S\n---\nBody\n"
    )


def _leftovers(tmp_path: Path) -> list[str]:
    return [p.name for p in tmp_path.iterdir() if ".staging-" in p.name or ".old-" in p.name]


@pytest.mark.parametrize("runner", ["pelican", "invoke"])
def test_failed_publish_leaves_the_last_good_output(tmp_path: Path, runner: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    output = tmp_path / "output"
    good = build_site(content, output, cwd=tmp_path)
    assert good.returncode == 0, good.log
    before = _snapshot(output)
    _break(content)
    if runner == "pelican":
        failed = build_site(content, output, cwd=tmp_path)
        returncode, log = failed.returncode, failed.log
    else:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "invoke",
                "-r",
                str(ROOT),
                "publish",
                "--content",
                str(content),
                "--output",
                str(output),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        returncode, log = done.returncode, done.stdout + done.stderr
    assert returncode == 1
    assert "content/stories/first.md:5: error: unknown department 'finanse'" in log
    assert "Traceback" not in log
    assert _snapshot(output) == before
    assert _leftovers(tmp_path) == []


def test_successful_publish_replaces_output_and_keeps_retained_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    output = tmp_path / "output"
    output.mkdir()
    (output / "stale.html").write_text("old")
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    result = build_site(content, output, cwd=tmp_path, OUTPUT_RETENTION=[".git"])
    assert result.returncode == 0, result.log
    assert not (output / "stale.html").exists()
    assert (output / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (output / "index.html").is_file()
    for _ in range(100):  # the old output is removed in the background
        if not _leftovers(tmp_path):
            break
        time.sleep(0.05)
    assert _leftovers(tmp_path) == []
