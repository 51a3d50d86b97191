"""Build real sites with Pelican into temporary folders, for any test.

Builds run ``python -m pelican`` in a subprocess: Pelican's signals are
global (blinker), so in-process builds would leak receivers between tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def soup(self, relative: str) -> BeautifulSoup:
        path = self.output / relative
        assert path.is_file(), f"{relative} was not written; build log:\n{self.log}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def files(self) -> list[Path]:
        return sorted(p for p in self.output.rglob("*") if p.is_file())


def build_site(
    content: Path,
    output: Path,
    settings: str = "publishconf.py",
    cwd: Path | None = None,
    **overrides: object,
) -> Build:
    """Run a real Pelican build of ``content`` into ``output``."""
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / settings),
        "-o",
        str(output),
        "--log-handler",
        "plain",
    ]
    if overrides:  # one -e for all: Pelican keeps only the last -e it is given
        command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    done = subprocess.run(
        command, cwd=cwd or ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    return Build(done.returncode, done.stdout, done.stderr, output)


DRAFT_STORY = """---
title: A draft with a quote
date: 2025-04-01 09:00
authors: [ada-quill]
departments: [finance]
summary: Not finished.
status: draft
---
Draft: [inlinetweet]{quote}[/inlinetweet].
"""
LATER_STORY = """---
title: A story for later
date: {when}
authors: [ada-quill]
departments: [finance]
summary: Not yet.
---
Later: [inlinetweet]tomorrow's words wait for tomorrow[/inlinetweet].
"""


def add_unpublished(content: Path, draft_quote: str) -> None:
    """A draft quoting ``draft_quote`` and a story dated a month ahead, into ``content``'s
    stories: what no public page, feed or card may show."""
    (content / "stories" / "draft.md").write_text(DRAFT_STORY.format(quote=draft_quote))
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    (content / "stories" / "later.md").write_text(LATER_STORY.format(when=later))
