"""Every file in the content folder, accounted for. No Pelican import.

A reviewer reads Markdown, not bytes: anything in a pull request that is not
a Markdown file where Markdown belongs, or an image whose bytes really are an
image, could publish something nobody saw. So the build walks the content
folder itself, before Pelican does, and every entry is one of:

- a Markdown file (``.md``) in a content folder (stories, leadership, pages,
  departments, people), under the size limit;
- an image in an image folder (``images/``): PNG, JPEG, WebP, AVIF or GIF,
  its bytes identified by Pillow as the type its name says, under the size
  limit (SVG is refused: it can carry scripts, and sanitizing it is not worth
  the risk for pictures a PNG shows as well);
- the feed ledger at the top of the folder, or an empty ``.gitkeep``;
- or an error at that file, which fails the publish build.

Symbolic links are never followed (git stores them, and one pointing at
``/etc/passwd`` or ``../../.git/config`` would otherwise be copied into the
site): each is an error at the link, and the walk never enters one, so two
links pointing at their own folder cannot make it loop.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import (
    AvifImagePlugin,
    GifImagePlugin,
    Image,
    JpegImagePlugin,
    PngImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from .fields import ID_PATTERN, suggest_id
from .problems import Problem
from .registry import display_path

MARKDOWN_SUFFIX = ".md"  # lower case: Pelican matches extensions exactly
# Each format's reader, imported by name: ``Image.open`` asked for a format it has
# not loaded imports all of Pillow's forty-odd readers first (20 ms of every build).
PLUGINS = (AvifImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin)
# File name ending -> the format Pillow must find in the bytes.
IMAGE_FORMATS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".webp": "WEBP",
    ".avif": "AVIF",
    ".gif": "GIF",
}
# Formats Pillow names otherwise than the file's ending: a JPEG carrying more than one
# picture (a phone's depth map or HDR gain map: the Multi-Picture Format) is opened as
# "MPO", and is a JPEG to every browser.
SAME_FORMAT = {"MPO": "JPEG"}
# Folders whose files are registries read one level deep (``people/<id>.md``).
FLAT_FOLDERS = ("departments", "people")
PLACEHOLDER = ".gitkeep"


@dataclass(frozen=True)
class Layout:
    """What may sit where in a content folder (from the build's settings)."""

    text_folders: tuple[str, ...]
    image_folders: tuple[str, ...]
    root_files: tuple[str, ...] = ()
    max_source_bytes: int = 1_000_000
    max_image_bytes: int = 10_000_000
    max_image_pixels: int = 40_000_000


@dataclass(frozen=True)
class Inventory:
    """The files a build may use, by content-relative POSIX path, and what is wrong."""

    markdown: frozenset[str]
    images: frozenset[str]
    problems: tuple[Problem, ...]
    # Width and height of each image, read once here (inline pictures get them).
    sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @functools.cached_property
    def files(self) -> frozenset[str]:
        """Every file a page may use or link to."""
        return self.markdown | self.images


def _shown(folder: Path, name: str) -> str:
    # display_path resolves links: a link is shown where it is, not where it points.
    return str(PurePosixPath(display_path(folder)) / name)


def scan(content: Path, layout: Layout) -> Inventory:
    """Walk ``content`` without following links; classify every entry."""
    markdown: set[str] = set()
    images: set[str] = set()
    sizes: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    known = (*layout.text_folders, *layout.image_folders)
    for folder, entry, relative in _entries(content, known):
        shown = _shown(folder, entry.name)
        key = "/".join(relative)
        problem: Problem | None
        if entry.is_symlink():
            problem = Problem(
                shown,
                1,
                "this is a symbolic link; links are never followed or published",
                "replace it with the real file (or delete it), and commit the file itself",
            )
        elif entry.is_dir(follow_symlinks=False):
            problem = _folder_problem(shown, relative, known)  # its files are not listed
        elif not entry.is_file(follow_symlinks=False):
            problem = Problem(
                shown, 1, "this is not an ordinary file", "delete it from the content folder"
            )
        elif len(relative) == 1:
            problem = _root_file_problem(shown, entry, layout)
        elif entry.name == PLACEHOLDER and entry.stat(follow_symlinks=False).st_size == 0:
            problem = None
        elif relative[0] in layout.image_folders:
            problem, size = image_check(
                Path(entry.path), shown, layout.max_image_bytes, layout.max_image_pixels
            )
            if problem is None:
                images.add(key)
                if size is not None:
                    sizes[key] = size
        else:
            problem = _text_problem(shown, entry, relative, layout)
            if problem is None:
                markdown.add(key)
        if problem is not None:
            problems.append(problem)
    return Inventory(frozenset(markdown), frozenset(images), tuple(problems), sizes)


def _entries(
    content: Path, known: tuple[str, ...]
) -> Iterator[tuple[Path, os.DirEntry[str], tuple[str, ...]]]:
    """Every entry under ``content`` (its folder, itself, its relative parts), sorted.

    Links are never entered, nor folders that are themselves a problem
    (reported once, as the folder).
    """
    stack: list[tuple[Path, tuple[str, ...]]] = [(content, ())]
    while stack:
        folder, parts = stack.pop()
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
        for entry in entries:
            relative = (*parts, entry.name)
            yield folder, entry, relative
            if entry.is_dir(follow_symlinks=False) and _folder_problem("", relative, known) is None:
                stack.append((folder / entry.name, relative))


def _folder_problem(
    shown: str, relative: tuple[str, ...], known: tuple[str, ...]
) -> Problem | None:
    if len(relative) == 1 and relative[0] not in known:
        folders = ", ".join(f"{name}/" for name in known)
        return Problem(
            shown,
            1,
            f"'{relative[0]}/' is not one of the site's folders, so nothing in it is published",
            f"move its files into {folders} or delete it",
        )
    if len(relative) == 2 and relative[0] in FLAT_FOLDERS:
        return Problem(
            shown,
            1,
            f"files in {relative[0]}/ must sit directly in it, not in a folder of their own",
            f"move the files up into {relative[0]}/",
        )
    return None


def _root_file_problem(shown: str, entry: os.DirEntry[str], layout: Layout) -> Problem | None:
    if entry.name in layout.root_files:
        return None
    if entry.name == PLACEHOLDER and entry.stat(follow_symlinks=False).st_size == 0:
        return None
    return Problem(
        shown,
        1,
        "this file is not part of any content folder, so it would never be published",
        "move a story into stories/, a page into pages/, an image into images/ - or delete it",
    )


def _text_problem(
    shown: str, entry: os.DirEntry[str], relative: tuple[str, ...], layout: Layout
) -> Problem | None:
    if entry.name.startswith("."):
        return Problem(
            shown,
            1,
            f"'{entry.name}' is a hidden file, so it would never be published",
            "give it a name that does not start with '.', ending in .md - or delete it",
        )
    if not entry.name.endswith(MARKDOWN_SUFFIX):
        stem, _, suffix = entry.name.rpartition(".")
        renamed = (
            f"rename it '{stem}.md'"
            if suffix.lower() in {"md", "markdown"}
            else ("write it in Markdown and name it '<name>.md'; pictures go in images/")
        )
        return Problem(
            shown,
            1,
            f"'{entry.name}' is not a Markdown file ending in '.md', so it cannot be published",
            renamed,
        )
    stem = entry.name.removesuffix(MARKDOWN_SUFFIX)
    if not ID_PATTERN.match(stem):
        suggested = suggest_id(stem) or "short-title"
        return Problem(
            shown,
            1,
            f"the file name '{entry.name}' has capitals, spaces or other signs; it becomes "
            "the page's address and the id other files use",
            f"rename it '{suggested}.md': lower-case letters, digits and hyphens",
        )
    size = entry.stat(follow_symlinks=False).st_size
    if size > layout.max_source_bytes:
        return Problem(
            shown,
            1,
            f"the file is {size:,} bytes; the limit is {layout.max_source_bytes:,}",
            "split it into shorter stories, or move pasted data out of it",
        )
    return None


def image_problem(
    path: Path, shown: str, limit: int, max_pixels: int = 40_000_000
) -> Problem | None:
    """Why ``path`` cannot be published as an image, or ``None`` when it can."""
    return image_check(path, shown, limit, max_pixels)[0]


def image_check(
    path: Path, shown: str, limit: int, max_pixels: int = 40_000_000
) -> tuple[Problem | None, tuple[int, int] | None]:
    """Why ``path`` cannot be published as an image (or ``None``), and its size."""
    problem, size = _image_check(path, shown, limit, max_pixels)
    return problem, (None if problem else size)


def _image_check(
    path: Path, shown: str, limit: int, max_pixels: int
) -> tuple[Problem | None, tuple[int, int] | None]:
    suffix = path.suffix.lower()
    expected = IMAGE_FORMATS.get(suffix)
    if suffix == ".svg":
        return Problem(
            shown,
            1,
            "SVG files are not published: they can carry scripts",
            "export the picture as PNG (or WebP) and use that file instead",
        ), None
    if expected is None:
        allowed = ", ".join(sorted({s.lstrip(".") for s in IMAGE_FORMATS}))
        return Problem(
            shown,
            1,
            f"'{path.name}' is not an image the site publishes",
            f"only pictures go in images/: save it as one of {allowed}",
        ), None
    size = path.stat().st_size
    if size > limit:
        return Problem(
            shown,
            1,
            f"the image is {size / 1_000_000:.1f} MB; the limit is {limit / 1_000_000:.1f} MB",
            "export it smaller (2000 pixels wide is plenty) or compress it",
        ), None
    pixels = 0
    width = height = 0
    with warnings.catch_warnings():
        # Judged below (too many pixels); what else Pillow warns about a picture (a
        # damaged EXIF block) the images capability says at the picture's file, once.
        warnings.simplefilter("ignore")
        try:
            with Image.open(path, formats=sorted(set(IMAGE_FORMATS.values()))) as image:
                found = SAME_FORMAT.get(image.format, image.format)
                width, height = image.size
                pixels = width * height
                if pixels <= max_pixels:
                    image.verify()  # a file cut short or damaged fails here
        except Image.DecompressionBombError:  # refused from its header: far too many pixels
            found, pixels, width = expected, max_pixels + 1, 0
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            found = None
    if found != expected:
        return Problem(
            shown,
            1,
            f"the file is named like a {expected} image, but its bytes are not one "
            "(or it is damaged or cut short)",
            f"open it in an image editor and export it again as {expected}",
        ), None
    if pixels > max_pixels:
        # Width 0: Pillow refused the picture from its header, so its count is unknown.
        count = f"{pixels / 1_000_000:.0f}" if width else "far more"
        return Problem(
            shown,
            1,
            f"the image has {count} megapixels; the limit is {max_pixels / 1_000_000:.0f} "
            "(browsers would struggle to show it)",
            "export it smaller: 2000 pixels wide is plenty",
        ), None
    return None, (width, height)
