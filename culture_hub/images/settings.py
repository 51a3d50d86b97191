"""The images capability's settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.declare import Setting, SettingsError, boolean, items, read_all, text, whole

DEFAULT_WIDTHS = (160, 360, 720, 1080, 1440)


class ImageSettingsError(SettingsError):
    """A bad image setting: the build stops at start with this message."""


def _widths(value: Any) -> str | None:
    problem = items(whole(16, 4096), "a list of whole pixel widths from 16 to 4096")(value)
    if problem is None and not value:
        problem = "no width is given"
    return problem


def _cache(settings: Mapping[str, Any]) -> str:
    return str(Path(settings.get("CACHE_PATH", "cache")) / "images")


RESPONSIVE_IMAGES = Setting(
    "RESPONSIVE_IMAGES", True,
    "make each published picture (covers, avatars, pictures in a story's text) in several "
    "widths, WebP plus a JPEG fallback (PNG when it has transparency), shown with "
    "`srcset`/`sizes`, width and height; `False` shows the original file",
    boolean, "use True or False",
)  # fmt: skip
IMAGE_WIDTHS = Setting(
    "IMAGE_WIDTHS", DEFAULT_WIDTHS,
    "widths made, in pixels (16-4096); a picture is never enlarged, and one narrower than "
    "the widest is also made at its own width",
    _widths, "list whole pixel widths from 16 to 4096, such as (360, 720, 1440)",
)  # fmt: skip
IMAGE_QUALITY = Setting(
    "IMAGE_QUALITY", 78, "WebP and JPEG quality, 1-100",
    whole(1, 100), "set a whole number from 1 to 100",
)  # fmt: skip
IMAGE_CACHE_PATH = Setting(
    "IMAGE_CACHE_PATH", "",
    "variants kept between builds, in a folder per picture named by a hash of its bytes and "
    "these settings: a rebuild redoes nothing, a changed picture or setting never reuses an "
    "old variant; `invoke clean` empties it",
    text(), "give a folder path in quotes",
    shown="`<CACHE_PATH>/images` (`cache/images`)", compute=_cache,
)  # fmt: skip

SETTINGS = (RESPONSIVE_IMAGES, IMAGE_WIDTHS, IMAGE_QUALITY, IMAGE_CACHE_PATH)


@dataclass(frozen=True)
class ImageSettings:
    """The declared values, as the image code uses them."""

    enabled: bool = True
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    quality: int = 78
    cache: Path = Path("cache/images")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ImageSettings:
        try:
            values = read_all(settings, SETTINGS)
        except SettingsError as error:
            raise ImageSettingsError(str(error)) from None
        return cls(
            values["RESPONSIVE_IMAGES"],
            tuple(sorted(set(values["IMAGE_WIDTHS"]))),
            values["IMAGE_QUALITY"],
            Path(values["IMAGE_CACHE_PATH"] or _cache(settings)),
        )
