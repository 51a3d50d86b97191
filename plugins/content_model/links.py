"""Internal links in a Markdown body: ``{filename}``/``{static}`` targets must exist.

Pelican only logs "Unable to find" and leaves a broken link; here the writer
gets the line and the fix. A relative link to a ``.md`` file (which would be
broken on the site) is reported too. No Pelican import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .frontmatter import Document
from .problems import Problem

# Markdown inline links and images, reference definitions, and raw HTML attributes.
LINK = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)"
    r"|(?:href|src)\s*=\s*[\"'](?P<attr>[^\"']+)[\"']",
    re.MULTILINE,
)
INTERNAL = re.compile(r"^\{(filename|static|attach)\}(?P<target>.*)$")
CODE = re.compile(r"^[ \t]{0,3}(```|~~~).*?^[ \t]{0,3}\1|`[^`\n]*`", re.MULTILINE | re.DOTALL)


def _targets(body: str) -> Iterator[tuple[int, str]]:
    masked = CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    for match in LINK.finditer(masked):
        url = match.group("inline") or match.group("ref") or match.group("attr")
        yield match.start(), url


def check_links(doc: Document, source: Path, content: Path) -> list[Problem]:
    problems = []
    for offset, url in _targets(doc.body):
        line = doc.body_line + doc.body.count("\n", 0, offset)
        internal = INTERNAL.match(url)
        if internal:
            target = unquote(urlsplit(internal.group("target")).path)
            base = content if target.startswith("/") else source.parent
            if not (base / target.lstrip("/")).resolve().is_file():
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        f"the link target '{url}' does not exist",
                        "check the file name; paths are relative to this file, "
                        "or to the content folder when they start with '/'",
                    )
                )
            continue
        parts = urlsplit(url)
        if not parts.scheme and not parts.netloc and parts.path.endswith(".md"):
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the link '{url}' points at a Markdown file, which is not on the site",
                    f"write it as {{filename}}{parts.path} so it links to the page",
                )
            )
    return problems
