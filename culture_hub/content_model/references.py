"""What a page links to and uses, read from its finished HTML. No Pelican import.

Links are found in the sanitized HTML the page will publish, not in its
Markdown: so a link in an HTML comment, in code or in plain text (which a
reader never sees as a link) uses nothing, and no Markdown or HTML trick can
hide a link from the check that Pelican would still rewrite. Pelican
rewrites ``{filename}``, ``{static}`` and ``{attach}`` in the same URL
attributes read here; any other marker (``{index}``, ``|filename|``,
``{alert(1)}javascript:…``) is an error, since Pelican would turn some of
them into live ``javascript:`` links after the sanitizer has run.

The scan is linear: tags are ``<…>`` runs without ``<``/``>`` inside (as
Pelican's own link pattern sees them), attributes are double-quoted (as the
sanitizer writes them).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .frontmatter import Document
from .problems import Problem, did_you_mean

# The URL attributes Pelican rewrites (contents.Content._get_intrasite_link_regex).
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
URL = re.compile(r'\s(?:href|src|poster|data|cite|formaction|action|content)="([^"]*)"')
MARKER = re.compile(r"^[{|]([^{}|]*)[}|]")
INTERNAL = ("{filename}", "{static}", "{attach}")
FIX_MARKER = "link a story with {filename}other-story.md and a picture with {static}/images/<file>"


@dataclass(frozen=True)
class Reference:
    """A link or image that points at a file of the content folder."""

    line: int
    url: str
    target: str  # the file, relative to the content folder, POSIX


def urls(page: str, pictures: bool = True) -> Iterator[str]:
    """Every URL attribute value in ``page`` (HTML), unescaped, in order.

    ``pictures=False`` leaves out ``<img>`` tags (``images.py`` reads those).
    """
    for tag in TAG.finditer(page):
        if not pictures and tag.group(0)[:4].lower() == "<img":
            continue
        for value in URL.finditer(tag.group(0)):
            yield html.unescape(value.group(1))


def inside(relative: str) -> str | None:
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
    return inside(value.removeprefix("{static}").lstrip("/"))


class BodyLines:
    """The line of each URL in the body, found by searching forward only (linear).

    Asked for URLs in the order they appear (links here, pictures in ``images``)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.at = 0
        self.counted = 0  # newlines are counted once, up to here
        self.line = doc.body_line

    def __call__(self, url: str) -> int:
        found = self.doc.body.find(url, self.at)
        if found < 0:
            return self.doc.body_line  # written differently (entities): the body's start
        self.line += self.doc.body.count("\n", self.counted, found)
        self.counted = found
        self.at = found + len(url)
        return self.line


def _missing_fix(target: str, files: frozenset[str]) -> str:
    """The closest existing file of the same folder, written the way to write it."""
    folder = posixpath.dirname(target)
    same = [f for f in files if posixpath.dirname(f) == folder] or list(files)
    hint = did_you_mean(target, same)
    if hint.startswith("did you mean"):
        return hint
    if folder == "images":
        return "put the picture in content/images/ and write ![what it shows](images/<file>)"
    return (
        "check the file name; paths are relative to this file, "
        "or to the content folder when they start with '/'"
    )


def read_references(
    doc: Document, page: str, folder: str, files: frozenset[str]
) -> tuple[list[Problem], list[Reference]]:
    """Check the links of ``page`` (the body's sanitized HTML) and return what it uses.

    ``folder`` is the file's folder relative to the content folder, ``files``
    the content folder's accounted files. ``{filename}``/``{static}`` targets
    are resolved as Pelican does (from the content folder when they start
    with ``/``, else from ``folder``); one that leaves the content folder or
    does not exist is an error. A plain relative link (``../../images/x.png``)
    counts as using the file it ends at, so a page brings its pictures along.
    """
    problems: list[Problem] = []
    found: list[Reference] = []
    line_of = BodyLines(doc)
    for url in urls(page, pictures=False):
        marker = MARKER.match(url)
        if marker and marker.group(0) not in INTERNAL:
            problems.append(
                Problem(
                    doc.path,
                    line_of(url),
                    f"'{marker.group(0)}' in the link '{url[:60]}' is not a link the site knows",
                    FIX_MARKER,
                )
            )
            continue
        path = unquote(urlsplit(url[marker.end() :] if marker else url).path)
        if marker:
            joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
            target = inside(joined)
            if target is None:
                problems.append(
                    Problem(
                        doc.path,
                        line_of(url),
                        f"the link '{url[:60]}' points outside the content folder",
                        "link only to files in the content folder, e.g. {static}/images/<file>",
                    )
                )
            elif target not in files:
                problems.append(
                    Problem(
                        doc.path,
                        line_of(url),
                        f"the link target '{url[:60]}' does not exist",
                        _missing_fix(target, files),
                    )
                )
            else:
                found.append(Reference(line_of(url), url, target))
            continue
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        if path.endswith(".md"):
            problems.append(
                Problem(
                    doc.path,
                    line_of(url),
                    f"the link '{url[:60]}' points at a Markdown file, which is not on the site",
                    f"write it as {{filename}}{parts.path} so it links to the page",
                )
            )
            continue
        stripped = path
        while stripped.startswith(("../", "./", "/")):
            stripped = stripped.split("/", 1)[1] if "/" in stripped else ""
        target = inside(stripped) if stripped else None
        if target in files:
            found.append(Reference(line_of(url), url, target))
    return problems, found
