"""Quote cards: a 1200x630 PNG per quote, drawn once per content. No Pelican import.

Schedulers attach an item's ``media:content``/enclosure to the post, so a
quote posted from a social feed arrives with a picture: the quote, its
author, the department's colour and name, the site's name. Drawn with Pillow
and DejaVu Sans (bundled in ``fonts/``, see its README for the licence); the
characters DejaVu lacks (Chinese, Japanese, Korean) come from Droid Sans
Fallback when Debian's ``fonts-droid-fallback`` is installed (``FALLBACK``;
Apache-2.0, 7 MB, not bundled). A character neither font has (emoji) leaves the
quote without a card: a card of missing-glyph boxes is worse than none.

A card's file name is a digest of everything drawn on it (and of this
module's drawing version), so an unchanged quote is never redrawn: the PNG
is kept in the build cache and linked into each build's output, and a
changed quote gets a new address (no stale card in a CDN or a scheduler).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from culture_hub.files import NO_FOLLOW, as_written, stamp, write_json_aside

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
FALLBACK = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
DRAWING = "2"  # bump when the drawing changes: every card gets a new digest
MADE_SUFFIX = ".made"  # beside each card: its [size, mtime_ns] as drawn
MARGIN = 80
BAND = 24  # the department-colour band on the left
INK = (27, 31, 35)
PAPER = (250, 248, 243)
MUTED = (88, 96, 105)
SIZES = (60, 54, 48, 42, 36, 32, 28)  # the largest that fits wins
MAX_QUOTE_CHARS = 600  # a longer quote is cut with an ellipsis on the card


@dataclass(frozen=True)
class CardSpec:
    """Everything drawn on a card."""

    quote: str
    author: str
    department: str
    colour: str  # "#rrggbb"
    sitename: str

    @property
    def digest(self) -> str:
        text = "\x1f".join(
            [DRAWING, font_version(), self.quote, self.author, self.department, self.colour,
             self.sitename]
        )  # fmt: skip
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    @property
    def name(self) -> str:
        """The card's file name, under ``cards/`` in the output."""
        return f"{self.digest}.png"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except ValueError:
        return (56, 87, 107)


@functools.cache
def font_version() -> str:
    """What the cards are drawn with, in every card's digest: a machine that gains or
    loses the fallback font draws new cards, never reuses the other kind."""
    if not FALLBACK.is_file():
        return "dejavu-2.37"
    return f"dejavu-2.37+droid-fallback-{FALLBACK.stat().st_size}"


@functools.cache
def _fonts(size: int, bold: bool = False) -> tuple[ImageFont.FreeTypeFont, ...]:
    """DejaVu Sans, then the fallback for what it lacks (when installed)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    fonts = [ImageFont.truetype(str(FONTS / name), size)]
    if FALLBACK.is_file():
        fonts.append(ImageFont.truetype(str(FALLBACK), size))
    return tuple(fonts)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return _fonts(size, bold)[0]


def _runs(text: str) -> list[tuple[int, str]]:
    """``text`` in runs of characters drawn with the same font (an index in ``_fonts``)."""
    runs: list[tuple[int, str]] = []
    for char in text:
        index = _glyph_font(char) or 0
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + char)
        else:
            runs.append((index, char))
    return runs


def _length(draw: ImageDraw.ImageDraw, text: str, size: int, bold: bool = False) -> float:
    fonts = _fonts(size, bold)
    return sum(draw.textlength(run, font=fonts[index]) for index, run in _runs(text))


def _text(  # noqa: PLR0917 - Pillow's text() and the font's size
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    text: str,
    size: int,
    fill: Any,
    bold: bool = False,
) -> None:
    """``text`` drawn run by run, each with the font that has its characters."""
    fonts = _fonts(size, bold)
    for index, run in _runs(text):
        draw.text((x, y), run, font=fonts[index], fill=fill)
        x += draw.textlength(run, font=fonts[index])


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``; a word too long for a line is split."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if _length(draw, candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than the card, or a script without spaces
            if _length(draw, line + char, size) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _mask(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    """``char`` drawn alone: the missing glyph always looks the same."""
    canvas = PILImage.new("L", (64, 64))
    ImageDraw.Draw(canvas).text((8, 8), char, font=font, fill=255)
    return canvas.tobytes()


@functools.cache
def _missing_glyph(index: int) -> bytes:
    return _mask(_fonts(40)[index], "\U000f0000")  # a private-use code point: no glyph


@functools.cache
def _glyph_font(char: str) -> int | None:
    """The first font (an index in ``_fonts``) that has ``char``, or ``None``."""
    if char.isspace():
        return 0
    for index, font in enumerate(_fonts(40)):
        if _mask(font, char) != _missing_glyph(index):
            return index
    return None


# Invisible characters that only shape the emoji beside them: left out with them.
_EMOJI_PARTS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
# The space an emoji left before punctuation ("we did it 🎉!" → "we did it!").
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,!?;:…\u201d\u2019)])")


def drawn(text: str) -> str:
    """``text`` as the card draws it: symbols no font here has (emoji) left out, with
    the spaces they leave, so a quote with an emoji still gets its card. (A letter
    or digit no font has is never left out: such a card is not drawn, ``drawable``.)"""
    kept = "".join(char for char in _EMOJI_PARTS.sub("", text) if _glyph_font(char) is not None)
    if kept == text:
        return text
    return _SPACE_BEFORE_MARK.sub("", " ".join(kept.split()))


def _lacks_a_letter(text: str) -> bool:
    """Whether a letter or digit of ``text`` is in no font here (CJK without the fallback)."""
    return any(
        unicodedata.category(char)[0] in "LN" and _glyph_font(char) is None for char in set(text)
    )


def drawable(spec: CardSpec) -> bool:
    """Whether the card can show every word: none of its letters missing from the fonts
    (a card of missing-glyph boxes, or of words left out, is worse than none), and
    something of the quote left once the emoji are (``drawn``)."""
    texts = (spec.quote, spec.author, spec.department, spec.sitename)
    if any(_lacks_a_letter(text) for text in texts):
        return False
    return any(char.isalnum() for char in drawn(spec.quote))


def draw(spec: CardSpec) -> PILImage.Image:
    """The card as an image."""
    card = PILImage.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, BAND, HEIGHT), fill=_rgb(spec.colour))
    quote = " ".join(drawn(spec.quote).split())
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    width = WIDTH - BAND - 2 * MARGIN
    room = HEIGHT - 2 * MARGIN - 90  # the author and site lines below
    for size in SIZES:
        lines = _wrap(pen, f"“{quote}”", size, width)
        if len(lines) * size * 1.25 <= room:
            break
    else:
        lines = lines[: int(room // (size * 1.25))]
        lines[-1] = lines[-1][:-1] + "…”"
    top = MARGIN
    for line in lines:
        _text(pen, BAND + MARGIN, top, line, size, INK)
        top += int(size * 1.25)
    footer = HEIGHT - MARGIN - 40
    _text(pen, BAND + MARGIN, footer - 44, f"— {drawn(spec.author)}", 32, INK, bold=True)
    under = " · ".join(drawn(part) for part in (spec.department, spec.sitename) if part)
    _text(pen, BAND + MARGIN, footer, under, 26, MUTED)
    return card


def cached_card(spec: CardSpec, cache: Path) -> Path:
    """The card's PNG in ``cache``, drawn unless it is there as this build's code drew it.

    The cache is under the project (``CACHE_PATH``), where a pull request can commit
    files: a card is used only while it is a regular file with the size and
    modification time in nanoseconds recorded beside it when it was drawn
    (``<name>.made``), which a checkout cannot reproduce. Anything else (a picture
    of someone else's choosing under a card's name, a link to a file of the build
    machine) is drawn over."""
    path = cache / spec.name
    if not as_drawn(path):
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        draw(spec).save(partial, "PNG")
        partial.replace(path)  # atomic: a parallel build never reads half a card
        _record(path)
    return path


def _made_path(card: Path) -> Path:
    return card.with_name(card.name + MADE_SUFFIX)


def as_drawn(card: Path) -> bool:
    """Whether ``card`` is a regular file (a link is never followed) with the size and
    time recorded when it was drawn."""
    try:
        found = os.lstat(card)
        record = json.loads(_made_path(card).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return as_written(found, record)


def _record(card: Path) -> None:
    """Write the card's size and time beside it (aside, then renamed: never half a record).
    Two builds drawing one card at once can leave the other's time: it is drawn again."""
    write_json_aside(_made_path(card), stamp(os.lstat(card)))


def place(card: Path, target: Path) -> None:
    """Put a cached card (``cached_card``'s) into the output: a hard link when possible,
    else a copy; a link in the cache is never followed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    try:
        os.link(card, target, **NO_FOLLOW)
    except OSError:
        shutil.copyfile(card, target, follow_symlinks=False)
