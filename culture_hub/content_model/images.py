"""Pictures in a story's body: one way to write them, resolved in every build. No Pelican import.

A writer names a picture the way the cover names one, by its place in the
content folder: ``![What it shows](images/x.png)``. Pelican's own
``{static}/images/x.png`` and ``/images/x.png`` mean the same file. Every such
``src`` is rewritten to ``{static}/<file>`` in the sanitized HTML, so Pelican
turns it into the published picture's address in every build (dev, staff,
public), and the link check (``references.py``) sees it as a use of that file:
a missing file is an error there, with the closest existing picture as the fix.

A path written relative to the Markdown file (``../images/x.png``) or to the
page's address (``../../images/x.png``) depends on where the file and the page
happen to sit, and breaks when either moves: it is an error at its line, with
the path written the one way as the fix (the dev build shows the picture
anyway). A picture from another site (``https://…``, ``//…``) is an error: the
site's Content-Security-Policy allows only its own pictures, and a remote one
would let a third party follow readers of a staff or preview build. A picture
without alt text is an error, as for the cover; pictures in
the content folder get their width and height, so the page does not jump as
they load.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from .frontmatter import Document
from .problems import Problem
from .references import MARKER, BodyLines

IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
SRC = re.compile(r'(\ssrc=")([^"]*)(")')
ALT = re.compile(r'\salt="([^"]*)"')
SIZE = re.compile(r"\s(?:width|height)=")
STATIC = "{static}"
HOW = "write a picture as ![what it shows](images/<file>), the path from the content folder"


def written_from_content(src: str, folder: str) -> str | None:
    """The content-relative file ``src`` names in an accepted way, else ``None``.

    ``images/x.png``, ``/images/x.png`` and ``{static}/images/x.png`` name
    ``images/x.png``; ``{static}`` followed by a relative path is Pelican's
    own form, relative to the Markdown file's ``folder``.
    """
    path = unquote(urlsplit(src).path)
    if path.startswith(STATIC):
        path = path.removeprefix(STATIC)
        path = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    elif path.startswith("/"):
        path = path.lstrip("/")
    elif path.startswith(("./", "../")) or path in ("", ".", ".."):
        return None
    normal = posixpath.normpath(path)
    if normal.startswith("../") or normal in (".", ".."):
        return None
    return normal


def resolve_pictures(
    doc: Document,
    page: str,
    folder: str,
    images: frozenset[str],
    sizes: Mapping[str, tuple[int, int]],
) -> tuple[str, list[Problem], set[str]]:
    """``page`` (sanitized HTML) with every local picture written as ``{static}/<file>``,
    the problems with its pictures, and the picture files it uses.

    ``folder`` is the Markdown file's folder inside the content folder (to
    find what a file-relative path meant); ``images`` the content folder's
    pictures, ``sizes`` their width and height. The link check skips
    ``<img>`` (see ``references.urls``): this is the one place pictures are read.
    """
    problems: list[Problem] = []
    used: set[str] = set()
    suggest = _Suggestions(images)
    line_of = BodyLines(doc)

    def one(tag: re.Match[str]) -> str:
        text = tag.group(0)
        src_match = SRC.search(text)
        raw = html.unescape(src_match.group(2)) if src_match else ""
        line = line_of(src_match.group(2)) if src_match else doc.body_line
        alt = ALT.search(text)
        if alt is None or not html.unescape(alt.group(1)).strip():
            shown = raw[:60] or "a picture"
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the picture '{shown}' has no alt text",
                    "describe it for people who cannot see it: ![what the picture shows](…)",
                )
            )
        if src_match is None or not raw:
            return text
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or raw.startswith("//"):
            # The site's Content-Security-Policy allows only its own pictures, and
            # a picture from elsewhere tells that server who reads the page.
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the picture '{raw[:60]}' is loaded from another site, which the site "
                    "does not allow and which tells that site who reads the page",
                    "download the picture, put the file in content/images/ and write "
                    "![what it shows](images/<file>)",
                )
            )
            return text
        marker = MARKER.match(raw)
        if marker and marker.group(0) != STATIC:
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"'{marker.group(0)}' in the picture '{raw[:60]}' is not a way to name "
                    "a picture",
                    HOW,
                )
            )
            return text
        target = written_from_content(raw, folder)
        if target is None and raw.startswith((STATIC, "/")):
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the picture '{raw[:60]}' points outside the content folder",
                    HOW,
                )
            )
            return text
        if target is None:
            target = _meant(raw, folder, images)
            if target in images:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        f"the picture path '{raw[:60]}' is written relative to this file or "
                        "page, which breaks when either moves",
                        f"write it as ![…]({target})",
                    )
                )
        if target is None or target not in images:
            problems.append(
                Problem(
                    doc.path,
                    line,
                    f"the picture '{raw[:60]}' does not exist",
                    suggest(target or raw),
                )
            )
            return text
        used.add(target)
        new = SRC.sub(
            lambda m: f"{m.group(1)}{html.escape(STATIC + '/' + target)}{m.group(3)}",
            text,
            count=1,
        )
        size = sizes.get(target)
        if size and not SIZE.search(new):
            new = f'{new[:-1].rstrip("/").rstrip()} width="{size[0]}" height="{size[1]}">'
        return new

    return IMG.sub(one, page), problems, used


class _Suggestions:
    """The fix for a missing picture: the closest one there, written the one way.

    Comparing names costs the number of pictures each time, so only the first
    few missing pictures of a page get a suggestion (a page of thousands of
    missing ones must still be read in linear time).
    """

    LIMIT = 20
    GENERIC = "put the picture in content/images/ and write ![what it shows](images/<file>)"

    def __init__(self, images: frozenset[str]) -> None:
        self.images = sorted(images)
        self.left = self.LIMIT

    def __call__(self, target: str) -> str:
        if self.left <= 0:
            return self.GENERIC
        self.left -= 1
        close = difflib.get_close_matches(target, self.images, n=1, cutoff=0.5)
        return f"did you mean ![…]({close[0]})?" if close else self.GENERIC


def _meant(raw: str, folder: str, images: frozenset[str]) -> str | None:
    """The content file a relative picture path was meant to name (``None`` if none)."""
    path = unquote(urlsplit(raw).path)
    beside = posixpath.normpath(posixpath.join(folder, path))
    if beside in images:
        return beside
    stripped = path
    while stripped.startswith(("../", "./")):
        stripped = stripped.split("/", 1)[1]
    stripped = posixpath.normpath(stripped) if stripped else ""
    if stripped and not stripped.startswith("../"):
        return stripped
    return None
