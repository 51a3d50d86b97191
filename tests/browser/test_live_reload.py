"""The preview reloads the open tab when a file is saved (real server, real Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import FIXTURES
from servers import LiveServer


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def test_the_open_tab_reloads_after_a_save(browser, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    server = LiveServer(content, tmp_path / "live")
    page = browser.new_page()
    try:
        page.goto(f"{server.url}stories/moving-the-second-thing/")
        assert page.locator("h1").inner_text() == "Moving the second thing"
        page.evaluate("window.notReloadedYet = true")
        story = content / "stories" / "second.md"
        _save(story, story.read_text().replace("The second story body.", "A saved edit."))
        server.wait_for("->")
        page.wait_for_function("window.notReloadedYet === undefined", timeout=15_000)
        assert "A saved edit." in page.locator(".prose").inner_text()
        # Broken YAML: the reloaded tab shows what and where, then comes back when fixed.
        text = story.read_text()
        _save(story, text.replace("title: Moving the second thing", "title: [oops"))
        server.wait_for("->")
        page.wait_for_selector("#live-problems", timeout=15_000)
        assert "content/stories/second.md:2" in page.locator("#live-problems").inner_text()
        _save(story, text)
        server.wait_for("->")
        page.wait_for_selector("#live-problems", state="detached", timeout=15_000)
        assert page.locator("h1").inner_text() == "Moving the second thing"
        assert "Traceback" not in "".join(server.log)
    finally:
        page.close()
        server.stop()
