"""Original abstract pictures for the sample site and the benchmark, drawn with Pillow.

Every picture is made from a seed by code written for this project: soft
gradients, overlapping shapes and a horizon for covers; a head-and-shoulders
silhouette for portraits. Same seed, same bytes, so the sample content can be
regenerated and checked: ``python -m culture_hub.images.artwork content/images``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

PALETTES = (
    ("#0b3d5c", "#f2a65a", "#f6e7cb", "#2f8f83"),
    ("#3b1f4a", "#e86a5b", "#f3d9b1", "#6fa8a1"),
    ("#14342b", "#f0c05a", "#e9efe4", "#3f7d5a"),
    ("#2a2d4f", "#7fb7e6", "#f4efe6", "#d9705f"),
    ("#4a2511", "#e9a23b", "#fbeedd", "#8a9a5b"),
    ("#122b3a", "#f27d72", "#e6f0f2", "#4e9bb3"),
)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    column = Image.new("RGB", (1, size[1]))
    a, b = _rgb(top), _rgb(bottom)
    for y in range(size[1]):
        column.putpixel((0, y), _mix(a, b, y / max(1, size[1] - 1)))
    return column.resize(size)


def cover(seed: int, size: tuple[int, int] = (1440, 810)) -> Image.Image:
    """An abstract landscape: sky gradient, a sun, drifting shapes and layered hills."""
    rng = random.Random(seed)
    dark, warm, light, green = PALETTES[seed % len(PALETTES)]
    width, height = size
    image = _gradient(size, dark, warm)
    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    sun_r = rng.randint(height // 10, height // 5)
    sx, sy = rng.randint(sun_r, width - sun_r), rng.randint(sun_r, height // 2)
    draw.ellipse((sx - sun_r, sy - sun_r, sx + sun_r, sy + sun_r), fill=(*_rgb(light), 230))
    for _ in range(rng.randint(5, 9)):
        r = rng.randint(height // 16, height // 6)
        x, y = rng.randint(0, width), rng.randint(0, height * 2 // 3)
        colour = _rgb(rng.choice((light, warm, green)))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(40, 110)))
        else:
            draw.rounded_rectangle((x - r, y - r // 2, x + r * 2, y + r // 2), radius=r // 2,
                                   fill=(*colour, rng.randint(40, 110)))  # fmt: skip
    shapes = shapes.filter(ImageFilter.GaussianBlur(2))
    image.paste(shapes, (0, 0), shapes)
    draw = ImageDraw.Draw(image)
    for layer in range(3):
        base = height * (0.62 + 0.12 * layer)
        colour = _mix(_rgb(green), _rgb(dark), layer / 2.5)
        points = [(0, height)]
        phase = rng.random() * 6.28
        steps = 24
        for step in range(steps + 1):
            x = width * step / steps
            wave = rng.uniform(-0.04, 0.04) * height
            y = base + wave + 0.05 * height * ((step * 0.7 + phase) % 3 - 1.5)
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    return image


def portrait(seed: int, colour: str, size: int = 480) -> Image.Image:
    """An abstract portrait: a head-and-shoulders silhouette on a soft colour field."""
    rng = random.Random(seed)
    background = _mix(_rgb(colour), (255, 255, 255), 0.55)
    image = _gradient((size, size), "#{:02x}{:02x}{:02x}".format(*background), colour)
    draw = ImageDraw.Draw(image)
    skin = rng.choice(
        ((241, 204, 170), (198, 142, 104), (141, 94, 64), (224, 172, 128), (94, 62, 44))
    )
    hair = rng.choice(((40, 30, 25), (110, 70, 40), (200, 160, 90), (60, 60, 70), (150, 60, 40)))
    shirt = _mix(_rgb(colour), (20, 20, 30), rng.uniform(0.2, 0.5))
    cx = size // 2 + rng.randint(-size // 20, size // 20)
    draw.ellipse((cx - size * 0.42, size * 0.72, cx + size * 0.42, size * 1.5), fill=shirt)
    draw.rectangle((cx - size * 0.07, size * 0.55, cx + size * 0.07, size * 0.78), fill=skin)
    head = size * rng.uniform(0.17, 0.2)
    hy = size * 0.42
    draw.ellipse((cx - head * 1.08, hy - head * 1.2, cx + head * 1.08, hy + head * 0.4), fill=hair)
    draw.ellipse((cx - head, hy - head, cx + head, hy + head * 1.05), fill=skin)
    if rng.random() < 0.5:  # a fringe
        draw.chord((cx - head * 1.05, hy - head * 1.15, cx + head * 1.05, hy + head * 0.2),
                   180, 360, fill=hair)  # fmt: skip
    return image


def mark(size: int = 512, *, padding: float = 0.0, rounded: bool = True) -> Image.Image:
    """The site's mark, as theme/static/images/favicon.svg draws it: a lantern-like
    glow in a rounded square. ``padding`` (a share of the size) leaves the safe
    zone a maskable icon needs; ``rounded=False`` fills the square (touch icons are
    rounded by the device)."""
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = big * 7 // 32 if rounded else 0
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=_rgb("#0b5d7a"))
    unit = big * (1 - 2 * padding) / 32
    centre = big / 2
    draw.ellipse((centre - 7 * unit, centre - 9 * unit, centre + 7 * unit, centre + 9 * unit),
                 fill=_rgb("#fbfaf7"))  # fmt: skip
    core = 3.4 * unit
    draw.ellipse((centre - core, centre - core, centre + core, centre + core), fill=_rgb("#e08a2c"))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def theme_icons(folder: Path) -> None:
    """The favicon, touch and manifest icons, drawn from the mark."""
    mark(32).save(folder / "favicon-32.png", optimize=True)
    mark(180, rounded=False).convert("RGB").save(folder / "apple-touch-icon.png", optimize=True)
    mark(192).save(folder / "icon-192.png", optimize=True)
    mark(512).save(folder / "icon-512.png", optimize=True)
    mark(512, padding=0.2, rounded=False).save(folder / "icon-maskable-512.png", optimize=True)


def main(argv: list[str]) -> int:
    """Write the pictures named in ``argv[1:]`` as ``kind:seed:name[:colour]`` into
    ``argv[0]``: ``cover:7:book-swap.jpg``, ``portrait:3:portrait-ana.jpg:#1f6f5c``,
    ``icons:0:-`` (the theme's icons)."""
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for spec in argv[1:]:
        kind, seed, name, *rest = spec.split(":")
        if kind == "icons":
            theme_icons(folder)
        elif kind == "cover":
            cover(int(seed)).save(folder / name, quality=80, optimize=True, progressive=True)
        else:
            portrait(int(seed), rest[0] if rest else "#38576b").save(
                folder / name, quality=82, optimize=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
