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


def _targets(body: str) -> Iterator[tuple[int, str]]:
    masked = CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    for match in LINK.finditer(masked):
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
