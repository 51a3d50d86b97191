"""The preview reloads the open tab when a file is saved (real server, real Chromium)."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from helpers import FIXTURES, ROOT


class Server:
    """``python -m culture_hub.live`` on a free port; its lines, as they come."""

    def __init__(self, content: Path, output: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "culture_hub.live", str(content), "-s",
             str(ROOT / "pelicanconf.py"), "-o", str(output), "--port", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("Serving").split(" at ")[1].split(" ")[0]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, start: str) -> str:
        while True:
            line = self.lines.get(timeout=120)
            self.log.append(line)
            if line.startswith(start):
                return line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def test_the_open_tab_reloads_after_a_save(browser, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    server = Server(content, tmp_path / "live")
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
