"""Badge colours that pass WCAG AA contrast, whatever colour a department picks."""

from __future__ import annotations

from functools import cache

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
INK = "#111111"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    raw = colour.lstrip("#")
    if len(raw) == 3:
        raw = "".join(ch * 2 for ch in raw)
    return int(raw[0:2], 16), int(raw[2:4], 16), int(raw[4:6], 16)


def luminance(colour: str) -> float:
    r, g, b = (_channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _darken(colour: str, factor: float) -> str:
    return "#" + "".join(f"{int(v * factor):02x}" for v in _rgb(colour))


@cache
def badge_colours(colour: str) -> tuple[str, str]:
    """(background, text) for a badge: the department's colour, darkened only if needed.

    White text is kept when the colour (or a darker shade of it) reaches 4.5:1;
    a very light colour gets dark ink instead.
    """
    if contrast(colour, INK) >= AA_NORMAL_TEXT and luminance(colour) > 0.4:
        return colour.lower(), INK
    shade = colour
    factor = 1.0
    while contrast(shade, WHITE) < AA_NORMAL_TEXT:
        factor -= 0.05
        shade = _darken(colour, factor)
    return shade.lower(), WHITE
