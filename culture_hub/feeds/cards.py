"""Quote cards: a 1200x630 PNG per quote, drawn once per content. No Pelican import.

Schedulers attach an item's ``media:content``/enclosure to the post, so a
quote posted from a social feed arrives with a picture: the quote, its
author, the department's colour and name, the site's name. Drawn with Pillow
and DejaVu Sans (bundled in ``fonts/``, see its README for the licence).

A card's file name is a digest of everything drawn on it (and of this
module's drawing version), so an unchanged quote is never redrawn: the PNG
is kept in the build cache and linked into each build's output, and a
changed quote gets a new address (no stale card in a CDN or a scheduler).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
FONT_VERSION = "dejavu-2.37"
DRAWING = "1"  # bump when the drawing changes: every card gets a new digest
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
            [DRAWING, FONT_VERSION, self.quote, self.author, self.department, self.colour,
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
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Lines of ``text`` no wider than ``width``; a word too long for a line is split."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than the card, or a script without spaces
            if draw.textlength(line + char, font=font) > width:
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
def _missing_glyph() -> bytes:
    font = _font(40)
    return _mask(font, "\U000f0000")  # a private-use code point: no glyph


@functools.cache
def _has_glyph(char: str) -> bool:
    return char.isspace() or _mask(_font(40), char) != _missing_glyph()


def drawable(spec: CardSpec) -> bool:
    """Whether the font has every character of the card (DejaVu Sans has no CJK):
    a card of missing-glyph boxes is worse than none."""
    text = f"{spec.quote}{spec.author}{spec.department}{spec.sitename}"
    return all(_has_glyph(char) for char in set(text))


def draw(spec: CardSpec) -> PILImage.Image:
    """The card as an image."""
    card = PILImage.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, BAND, HEIGHT), fill=_rgb(spec.colour))
    quote = " ".join(spec.quote.split())
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    width = WIDTH - BAND - 2 * MARGIN
    room = HEIGHT - 2 * MARGIN - 90  # the author and site lines below
    for size in SIZES:
        font = _font(size)
        lines = _wrap(pen, f"“{quote}”", font, width)
        if len(lines) * size * 1.25 <= room:
            break
    else:
        lines = lines[: int(room // (size * 1.25))]
        lines[-1] = lines[-1][:-1] + "…”"
    top = MARGIN
    for line in lines:
        pen.text((BAND + MARGIN, top), line, font=font, fill=INK)
        top += int(size * 1.25)
    footer = HEIGHT - MARGIN - 40
    pen.text((BAND + MARGIN, footer - 44), f"— {spec.author}", font=_font(32, bold=True), fill=INK)
    under = " · ".join(part for part in (spec.department, spec.sitename) if part)
    pen.text((BAND + MARGIN, footer), under, font=_font(26), fill=MUTED)
    return card


def cached_card(spec: CardSpec, cache: Path) -> Path:
    """The card's PNG in ``cache``, drawn only if it is not there yet."""
    path = cache / spec.name
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        draw(spec).save(partial, "PNG")
        partial.replace(path)  # atomic: a parallel build never reads half a card
    return path


def place(card: Path, target: Path) -> None:
    """Put a cached card into the output: a hard link when possible, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    try:
        os.link(card, target)
    except OSError:
        shutil.copyfile(card, target)
