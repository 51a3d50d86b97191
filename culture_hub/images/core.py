"""Responsive variants of one picture: what to make (``plan``) and making them (``make``).

Pure code, no Pelican: a plan is worked out from the source's bytes and header
(cheap, in the build's parent process, so templates know every file name and
size before any page is rendered); the pixels are resized only when the cache
has no variant for those bytes and settings. The cache key is a hash of the
source bytes and every parameter that changes the result, so a rebuild with the
same picture redoes nothing, and a changed picture or setting never reuses an
old variant.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import ExifTags, Image, ImageOps

from culture_hub.files import LINK_REFUSED, NO_FOLLOW, as_written, stamp, write_json_aside

# Bump when the way variants are made changes: old cache entries are then ignored.
RECIPE = "1"
# The folder, under the output, that holds every variant.
OUTPUT_FOLDER = "images/r"
# In each picture's cache folder: every variant's size and modification time, as
# made. A variant is trusted only while it still has them (``publish`` links the
# output to the cache, so a file rewritten in place in an output would show here).
MADE = "made.json"
# In the cache folder: each picture's header by its content (``Headers``).
HEADERS = "headers.json"
# EXIF orientations that turn a picture a quarter (transpose, 270°, transverse, 90°).
QUARTER_TURNS = frozenset({5, 6, 7, 8})
# The longest side a WebP can have: a taller variant could not be written at all.
WEBP_MAX_SIDE = 16383


class ImageError(ValueError):
    """A picture Pillow cannot read: reported at its file, never a traceback.
    ``fix`` is what to do, when it is not to save the picture again."""

    fix = ""


class WrongRecord(ImageError):
    """The cache's record of a picture (``HEADERS``) is not the picture's: the picture is fine."""

    fix = "delete that file and build again; the picture itself is fine"


@dataclass(frozen=True)
class Variant:
    """One file to make: ``name`` under the output folder, its pixel size and format."""

    name: str
    width: int
    height: int
    format: str  # "WEBP", "JPEG" or "PNG"

    @property
    def cache_name(self) -> str:
        return PurePosixPath(self.name).name

    @property
    def mime(self) -> str:
        return f"image/{self.format.lower()}"


@dataclass(frozen=True)
class Plan:
    """Every variant of one source picture and what a template needs to show it."""

    source: str  # content-relative, as the front matter names it
    key: str  # hash of the bytes and the parameters
    width: int  # of the largest variant
    height: int
    variants: tuple[Variant, ...]
    quality: int

    def srcset(self, fmt: str, prefix: str = "", enough: int = 0) -> str:
        """``srcset`` for one format: each variant (after ``prefix``) with its width.

        With ``enough`` (pixels), the list stops at the first variant at least that
        wide: a slot a few dozen pixels wide (an avatar on a card) is never offered
        more than a 3x screen can use, and its markup stays short. Remembered per
        format, prefix and ``enough``: templates ask for it on every card. The
        format is Pillow's name in any case (templates write ``'webp'``)."""
        fmt = fmt.upper()
        made = self.__dict__.setdefault("_srcsets", {})
        key = (fmt, prefix, enough)
        if key not in made:
            chosen = []
            for variant in (v for v in self.variants if v.format == fmt):
                chosen.append(f"{prefix}{variant.name} {variant.width}w")
                if enough and variant.width >= enough:
                    break
            made[key] = ", ".join(chosen)
        return made[key]

    def src(self, fmt: str, enough: int = 0) -> str:
        """The fallback's ``src``: the first variant at least ``enough`` wide, else the widest."""
        candidates = [v for v in self.variants if v.format == fmt.upper()]
        return next(
            (v.name for v in candidates if enough and v.width >= enough), candidates[-1].name
        )

    @cached_property
    def fallback(self) -> str:
        """The format browsers without WebP get: JPEG, or PNG for a picture with transparency."""
        return next(v.format for v in self.variants if v.format != "WEBP")

    @cached_property
    def fallback_src(self) -> str:
        """The fallback at the largest width: ``src`` for browsers without ``srcset``."""
        return [v for v in self.variants if v.format == self.fallback][-1].name


def cache_key(data: bytes, widths: tuple[int, ...], quality: int) -> str:
    """The variants' identity: the source bytes and every parameter that shapes them."""
    digest = hashlib.sha256()
    digest.update(f"{RECIPE}|{','.join(map(str, widths))}|{quality}|".encode())
    digest.update(data)
    return digest.hexdigest()[:20]


def variant_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to make: every configured width narrower than the source, and the
    source's own width when it is narrower than the widest (never enlarged)."""
    made = [w for w in widths if w < source_width]
    if source_width <= widths[-1] or not made:
        made.append(min(source_width, widths[-1]))
    return sorted(set(made))


@dataclass(frozen=True)
class Header:
    """What a plan needs of a picture's file, without its pixels.

    ``notes`` are what Pillow warned about while reading it (a damaged EXIF
    block), each as the words of a problem and its fix: kept with the header,
    so a rebuild that reads nothing still says what is wrong with the file."""

    width: int  # as shown: turned a quarter by its EXIF orientation
    height: int
    has_alpha: bool
    notes: tuple[tuple[str, str], ...] = ()


EXIF_FIX = (
    "open it in an image editor and export it again, which writes its EXIF data "
    "afresh; turn it the right way up first if it shows sideways"
)
# What Pillow says while reading a damaged EXIF block (its TIFF reader: "Corrupt EXIF
# data", "Possibly corrupt EXIF data", "Tag data larger than file", "Truncated File Read").
EXIF_WARNING = re.compile(r"EXIF|\btag\b|Truncated File Read", re.IGNORECASE)
OTHER_FIX = "open it in an image editor and export it again as a PNG, JPEG or WebP"


def _said(caught: list[warnings.WarningMessage]) -> str:
    """What Pillow warned, on one line, each message once ("Corrupt EXIF data.  Ex…")."""
    said = dict.fromkeys(" ".join(str(w.message).split()).rstrip(".") for w in caught)
    return "; ".join(said)


def read_header(source: Path) -> Header:
    """The picture's shown size and transparency, read with Pillow.

    The size is turned a quarter when its EXIF orientation says so (as
    ``exif_transpose`` will when making the variants). Asking a PNG for its EXIF
    decodes the whole picture (the chunk may follow the pixels): hence
    ``Headers``, which keeps the answer by the file's content. Pillow's warnings
    about the file become ``notes``, never lines on the terminal naming Pillow's
    own source file."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the inventory's
            with Image.open(source) as image:  # a JPEG's EXIF is read here, a PNG's below
                turned = image.getexif().get(ExifTags.Base.Orientation, 1) in QUARTER_TURNS
                size = (image.size[1], image.size[0]) if turned else image.size
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ImageError(f"the picture cannot be read ({error})") from error
    exif = [w for w in caught if EXIF_WARNING.search(str(w.message))]
    other = [w for w in caught if w not in exif]
    notes = []
    if exif:
        notes.append(
            (
                f"the picture's EXIF data is damaged, so which way up it is shown and its "
                f"other camera data may be wrong; Pillow says: {_said(exif)}",
                EXIF_FIX,
            )
        )
    if other:
        notes.append((f"Pillow warns about the picture: {_said(other)}", OTHER_FIX))
    return Header(size[0], size[1], has_alpha, tuple(notes))


class Headers:
    """Each picture's ``Header`` by the SHA-256 of its bytes, kept in the cache folder
    (``HEADERS``): a rebuild never opens, let alone decodes, an unchanged picture.

    One small JSON file for the whole site, read once and written (aside, then
    renamed) only when a picture was new; a damaged file is ignored and made
    again, entry by entry, and an entry that is not a header is read from its
    picture again. An entry edited to a size the picture is not is found when
    its variants are made (``make``) or their height is checked (``cached``):
    the build stops at the picture, never publishing a size it is not."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.known: dict[str, Any] = {}
        self.changed = False
        if path is not None:
            try:
                found = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found = {}
            self.known = found if isinstance(found, dict) else {}

    def of(self, data: bytes, source: Path) -> Header:
        """``source``'s header (``data`` are its bytes): remembered, or read now."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            width, height, has_alpha, notes = self.known[digest]
            found = Header(int(width), int(height), bool(has_alpha),
                           tuple((str(m), str(f)) for m, f in notes))  # fmt: skip
            if found.width > 0 and found.height > 0:
                return found
        except (KeyError, TypeError, ValueError):
            pass
        found = read_header(source)
        self.known[digest] = [found.width, found.height, found.has_alpha, found.notes]
        self.changed = True
        return found

    def save(self) -> None:
        """Write the headers if a picture was new (aside, then renamed into place)."""
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json_aside(self.path, self.known)
        self.changed = False


def plan(
    source: Path,
    relative: str,
    widths: tuple[int, ...],
    quality: int,
    headers: Headers | None = None,
) -> Plan:
    """What to make of ``source`` (``relative`` is its name in the content folder)."""
    return planned(source, relative, widths, quality, headers or Headers())[0]


def planned(
    source: Path, relative: str, widths: tuple[int, ...], quality: int, headers: Headers
) -> tuple[Plan, Header]:
    """``plan``, and the header it was made from (what Pillow warned about the file)."""
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ImageError(f"the picture cannot be read ({error})") from error
    header = headers.of(data, source)
    size = (header.width, header.height)
    key = cache_key(data, widths, quality)
    return plan_of(relative, key, size, header.has_alpha, widths, quality), header


def plan_of(  # noqa: PLR0917 - everything a plan is made of
    relative: str,
    key: str,
    size: tuple[int, int],
    has_alpha: bool,
    widths: tuple[int, ...],
    quality: int,
    folder: str = OUTPUT_FOLDER,
) -> Plan:
    """The plan of a picture whose identity (``key``), size and transparency are known.

    Pure: a picture this build draws itself (a quote card) is planned from what
    is drawn on it before it is drawn, so every page knows its thumbnail's
    files before any worker is forked. ``folder`` is where the variants go in
    the output (a card's beside the cards)."""
    fallback = "PNG" if has_alpha else "JPEG"
    stem = PurePosixPath(relative).stem
    variants = []
    for width in variant_widths(size[0], widths):
        height = max(1, round(width * size[1] / size[0]))
        if height > WEBP_MAX_SIDE:
            raise ImageError(
                f"the picture is {size[0]} by {size[1]} pixels: at {width} pixels wide it "
                f"would be {height} tall, more than the {WEBP_MAX_SIDE} a WebP can hold; "
                "crop it to a shorter picture"
            )
        for fmt in ("WEBP", fallback):
            ext = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}[fmt]
            name = f"{folder}/{stem}-{key[:10]}-{width}.{ext}"
            variants.append(Variant(name, width, height, fmt))
    widest = variants[-1]
    return Plan(relative, key, widest.width, widest.height, tuple(variants), quality)


def cached(plan: Plan, cache: Path) -> bool:
    """Whether every variant of ``plan`` is in the cache, as it was made."""
    folder = cache / plan.key
    made = _made(folder)
    return all(_intact(folder, v, made) for v in plan.variants)


def _made(folder: Path) -> dict[str, list[int]]:
    """``MADE``: each variant's [size, modification time in ns] when it was made."""
    try:
        record = json.loads((folder / MADE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _intact(folder: Path, variant: Variant, made: dict[str, list[int]]) -> bool:
    """Whether ``variant`` is in the cache as it was made, at the height planned now.

    The height is in the record, not the name: a plan made from a wrong header
    (a hand-edited ``HEADERS``) at the same widths would otherwise take the
    variants as made, and the pages would show them at a height they are not.
    (A record from before heights were kept has none to compare.)"""
    try:
        found = os.lstat(folder / variant.cache_name)  # a link is never taken for the file
    except OSError:
        return False
    record = made.get(variant.cache_name)
    if not isinstance(record, list) or not as_written(found, record[:2]):
        return False
    return len(record) < 3 or record[2] == variant.height


def make(plan: Plan, source: Path, cache: Path) -> None:
    """Resize ``source`` into every variant missing from the cache.

    Each file is written aside and renamed into place, so a build killed half-way
    never leaves a truncated variant that a later build would trust.
    """
    folder = cache / plan.key
    folder.mkdir(parents=True, exist_ok=True)
    made = _made(folder)
    if all(_intact(folder, v, made) for v in plan.variants):
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # said when it was planned (``Header.notes``)
            with Image.open(source) as opened:
                image = ImageOps.exif_transpose(opened)
                image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ImageError(f"the picture cannot be read ({error})") from error
    _check_size(plan, image.size, cache)
    for variant in plan.variants:
        target = folder / variant.cache_name
        if _intact(folder, variant, made):
            continue
        resized = (
            image
            if image.width == variant.width
            else image.resize(
                (variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
        )
        if variant.format == "JPEG" and resized.mode != "RGB":
            resized = resized.convert("RGB")
        elif variant.format == "WEBP" and resized.mode not in ("RGB", "RGBA"):
            resized = resized.convert("RGBA" if "A" in resized.mode else "RGB")
        options: dict[str, object] = {"optimize": True}
        if variant.format in ("JPEG", "WEBP"):
            options["quality"] = plan.quality
        if variant.format == "JPEG":
            options["progressive"] = True
        if variant.format == "WEBP":
            options = {"quality": plan.quality, "method": 4}
        handle, name = tempfile.mkstemp(dir=folder, suffix=".part")
        os.close(handle)
        temporary = Path(name)
        try:
            resized.save(temporary, variant.format, **options)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        made[variant.cache_name] = [*stamp(target.stat()), variant.height]
    write_json_aside(folder / MADE, made)


def _check_size(plan: Plan, size: tuple[int, int], cache: Path) -> None:
    """Stop at a plan made from a header that is not this picture's (``HEADERS`` edited by
    hand, or damaged in a way that still reads): its variants would be stretched, and
    the pages would say a size they are not."""
    width, height = size
    widest = plan.variants[-1]
    expected = max(1, round(widest.width * height / width))
    if widest.width <= width and widest.height == expected:
        return
    raise WrongRecord(
        f"the image cache's record of this picture ({cache / HEADERS}) does not match it "
        f"(the picture is {width} by {height} pixels)"
    )


def publish(plan: Plan, cache: Path, output: Path) -> None:
    """Put the cached variants into the output folder: hard links to the cache.

    A link costs no new file's blocks (on a large site, copies were a tenth
    of a second of every build); where the cache and the output are on
    different disks, or links are not allowed, the variant is copied. A file
    rewritten in place in an output would rewrite the cache through its link:
    ``cached`` sees that (``MADE``), and the variant is made again."""
    folder = cache / plan.key
    folders: set[Path] = set()
    for variant in plan.variants:
        target = output / variant.name
        if target.parent not in folders:  # one folder for a plan's variants: made once
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        made = folder / variant.cache_name
        try:
            target.unlink(missing_ok=True)  # a file of an earlier build: replaced
            os.link(made, target, **NO_FOLLOW)
        except OSError as error:
            if error.errno not in LINK_REFUSED:
                raise
            shutil.copyfile(made, target)
