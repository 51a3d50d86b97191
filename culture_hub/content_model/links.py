"""Internal links in a Markdown body: where they point, and whether that exists.

Pelican only logs "Unable to find" and leaves a broken link; here the writer
gets the line and the fix. A relative link to a ``.md`` file (which would be
broken on the site) is reported too, and a link that leaves the content
folder is an error (Pelican would copy its target into the site). The files
a body uses decide which images a build publishes. No Pelican import.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
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

# Where a LINK match can start: "](", a line start with "[" after at most 3
# blanks, "href" or "src". LINK itself is only ever tried at these.
_START = re.compile(r"\]\(|^\s{0,3}\[|href|src", re.MULTILINE)
_NOT_SPACE = r"\S"


class _After:
    """The first match of a pattern at or after a point, for points that only move on."""

    __slots__ = ("found", "pattern", "start", "text")

    def __init__(self, pattern: str, text: str) -> None:
        self.pattern = re.compile(pattern)
        self.text = text
        self.start = -1
        self.found: int = -1

    def __call__(self, at: int) -> int:
        """The position of the first match at or after ``at``, or -1."""
        known = 0 <= self.start <= at and (self.found < 0 or self.found >= at)
        if not known:
            match = self.pattern.search(self.text, at)
            self.start, self.found = at, match.start() if match else -1
        return self.found


class _LinkScan:
    """Says, without running it, whether LINK matches at a start found by ``_START``.

    LINK's own ``finditer`` tries every "](" against the rest of the text:
    on ``](](](…`` each attempt ran to the end, the square of the body's
    length. Each alternative succeeds or fails by where a few characters
    are next found (a ``)``, a ``]``, a quote, something not blank), and
    those searches only move forward, so each is remembered (:class:`_After`).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.link_start = _After(_NOT_SPACE, text)  # after "](" and blanks
        self.link_end = _After(r"[)\s>]", text)  # where the address stops
        self.title_start = _After(_NOT_SPACE, text)
        self.title_end = _After(r"\)", text)
        self.label_end = _After(r"\]", text)
        self.ref_start = _After(_NOT_SPACE, text)
        self.attr_equals = _After(_NOT_SPACE, text)
        self.attr_value = _After(_NOT_SPACE, text)
        self.attr_end = _After(r"[\"']", text)

    def matches(self, start: re.Match[str]) -> bool:
        text = start.group()
        if text == "](":
            return self._inline(start.end())
        if text in ("href", "src"):
            return self._attribute(start.end())
        return self._definition(start.end())

    def _inline(self, at: int) -> bool:
        """``\\s*<?[^)\\s>]+>?(?:\\s+["'(][^)]*)?\\)``: the address ends at ``)``, blank, ``>``."""
        text = self.text
        first = self.link_start(at)
        if first < 0 or text[first] in ")>":
            return False
        end = self.link_end(first + 1)
        if end < 0:
            return False
        if text[end] == ">":
            end += 1
            if text.startswith(")", end):
                return True
            if not text[end : end + 1].isspace():
                return False
        if text[end] == ")":
            return True
        title = self.title_start(end)  # a title: blanks, a quote or "(", then ")"
        return title >= 0 and text[title] in "\"'(" and self.title_end(title + 1) >= 0

    def _definition(self, bracket: int) -> bool:
        """``[label]: url``: the label ends at the first ``]``, a ``:`` follows, then a word."""
        text = self.text
        if text.startswith("]", bracket):
            return False
        end = self.label_end(bracket)
        return end >= 0 and text.startswith(":", end + 1) and self.ref_start(end + 2) >= 0

    def _attribute(self, at: int) -> bool:
        """``\\s*=\\s*["'][^"']+["']``."""
        text = self.text
        equals = self.attr_equals(at)
        if equals < 0 or text[equals] != "=":
            return False
        quote = self.attr_value(equals + 1)
        if quote < 0 or text[quote] not in "\"'":
            return False
        end = self.attr_end(quote + 1)
        return end > quote + 1


def _link_matches(text: str) -> Iterator[re.Match[str]]:
    """``LINK.finditer(text)``, with LINK run only where it is known to match."""
    scan = _LinkScan(text)
    at = 0
    while (start := _START.search(text, at)) is not None:
        match = LINK.match(text, start.start()) if scan.matches(start) else None
        if match is None:
            at = start.start() + 1
            continue
        yield match
        at = match.end()


def _targets(body: str) -> Iterator[tuple[int, str]]:
    masked = CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    for match in _link_matches(masked):
        url = match.group("inline") or match.group("ref") or match.group("attr")
        yield match.start(), url


@dataclass(frozen=True)
class Reference:
    """A link or image in a body that points at a file of the content folder."""

    line: int
    url: str
    target: str  # the file, relative to the content folder, POSIX


def _inside(relative: str) -> str | None:
    """``relative`` normalised, or ``None`` if it leaves the folder it is relative to."""
    normal = posixpath.normpath(relative)
    if normal.startswith(("../", "/")) or normal in ("..", "."):
        return None
    return normal


def content_file(value: str) -> str | None:
    """The content-relative file an ``image:``/``avatar:`` value names, if it is one.

    ``images/x.png``, ``/images/x.png`` and ``{static}/images/x.png`` all name
    ``images/x.png``; a web address or a path leaving the folder names none.
    """
    if urlsplit(value).scheme:
        return None
    return _inside(value.removeprefix("{static}").lstrip("/"))


def read_links(
    doc: Document, folder: str, files: frozenset[str]
) -> tuple[list[Problem], list[Reference]]:
    """Check the body's internal links against ``files`` (the content folder's
    accounted files) and return the files the body uses.

    A ``{filename}``/``{static}`` link is resolved as Pelican does (from the
    content folder when it starts with ``/``, else from ``folder``, this file's
    folder relative to the content folder);
    one that leaves the content folder is an error, never a file to copy. A
    plain relative link (``../../images/x.png``) counts as using the file
    it ends at, so published pages bring their pictures along.
    """
    problems: list[Problem] = []
    found: list[Reference] = []
    for offset, url in _targets(doc.body):
        line = doc.body_line + doc.body.count("\n", 0, offset)
        internal = INTERNAL.match(url)
        path = unquote(urlsplit(internal.group("target") if internal else url).path)
        if internal:
            joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
            target = _inside(joined)
            if target is None:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        f"the link '{url}' points outside the content folder",
                        "link only to files in the content folder, e.g. {static}/images/<file>",
                    )
                )
            elif target not in files:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        f"the link target '{url}' does not exist",
                        "check the file name; paths are relative to this file, "
                        "or to the content folder when they start with '/'",
                    )
                )
            else:
                found.append(Reference(line, url, target))
            continue
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        if path.endswith(".md"):
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the link '{url}' points at a Markdown file, which is not on the site",
                    f"write it as {{filename}}{parts.path} so it links to the page",
                )
            )
            continue
        stripped = path
        while stripped.startswith(("../", "./", "/")):
            stripped = stripped.split("/", 1)[1] if "/" in stripped else ""
        target = _inside(stripped) if stripped else None
        if target in files:
            found.append(Reference(line, url, target))
    return problems, found
