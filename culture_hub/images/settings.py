"""The images capability's settings: defaults in one place, validated once at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_WIDTHS = (160, 360, 720, 1080, 1440)


class ImageSettingsError(ValueError):
    """A bad image setting: the build stops at start with this message."""


@dataclass(frozen=True)
class ImageSettings:
    """``RESPONSIVE_IMAGES``: make variants at all; ``IMAGE_WIDTHS``: the widths made
    (a source narrower than one is never enlarged); ``IMAGE_QUALITY``: WebP and JPEG
    quality; ``IMAGE_CACHE_PATH``: where variants are kept between builds, keyed by
    the source's bytes and these settings."""

    enabled: bool = True
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    quality: int = 78
    cache: Path = Path("cache/images")

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> ImageSettings:
        enabled = settings.get("RESPONSIVE_IMAGES", True)
        widths = settings.get("IMAGE_WIDTHS", DEFAULT_WIDTHS)
        quality = settings.get("IMAGE_QUALITY", 78)
        cache = settings.get("IMAGE_CACHE_PATH") or Path(settings.get("CACHE_PATH", "cache")) / (
            "images"
        )
        if not isinstance(enabled, bool):
            raise ImageSettingsError(f"RESPONSIVE_IMAGES must be True or False, not {enabled!r}")
        if (
            not isinstance(widths, (list, tuple))
            or not widths
            or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 4096
                       for w in widths)
        ):  # fmt: skip
            raise ImageSettingsError(
                f"IMAGE_WIDTHS must be a list of whole pixel widths from 16 to 4096, not {widths!r}"
            )
        if not isinstance(quality, int) or isinstance(quality, bool) or not 1 <= quality <= 100:
            raise ImageSettingsError(
                f"IMAGE_QUALITY must be a whole number from 1 to 100, not {quality!r}"
            )
        return cls(enabled, tuple(sorted(set(widths))), quality, Path(cache))
