"""The search index started ahead (``search.index.Background``), stopped with the build.

Real Pagefind on a generated site of plain pages, large enough that Pagefind is
still running when the build is interrupted; in a fresh interpreter's main
thread, where Python raises a signal's exception.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INTERRUPTED_WHILE_WAITING = """
import os, signal, subprocess, sys
from pathlib import Path
from culture_hub.run import Run
from culture_hub.search.index import Background, Indexing, SearchPages

site = Path(sys.argv[1])
files = []
for n in range(3000):
    page = site / "stories" / f"s{n}" / "index.html"
    page.parent.mkdir(parents=True)
    words = " ".join(f"word{n}x{k}" for k in range(200))
    page.write_text(f"<html><body><main><h1>Story {n}</h1><p>{words}</p></main></body></html>")
    files.append(f"stories/s{n}/index.html")
settings = {"BUILD_WORKERS": 1}
found = Run.of(settings).part(SearchPages)
found.articles = [f"/stories/s{n}/" for n in range(3000)]
found.files = sorted(files)
background = Background(Indexing(settings, str(site)))
background.start()

def ctrl_c(*_):
    raise KeyboardInterrupt

signal.signal(signal.SIGALRM, ctrl_c)
signal.setitimer(signal.ITIMER_REAL, 0.3)  # while the build waits for Pagefind
try:
    background.finish()
    print("finished first")
except KeyboardInterrupt:
    kids = subprocess.run(["ps", "--ppid", str(os.getpid()), "-o", "comm="],
                          capture_output=True, text=True).stdout.split()
    print("left:", sorted(k for k in kids if k != "ps"))
"""


def test_an_interrupt_while_waiting_for_the_index_stops_pagefind(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_WAITING, str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.stdout.strip() == "left: []", done.stdout + done.stderr
