"""The content model's settings: read once from Pelican's settings, validated.

- ``AUDIENCE`` (``"public"``): ``"staff"`` also includes ``audience: staff`` content.
- ``STRICT_CONTENT`` (``False``): content errors fail the build instead of warning.
- ``PREVIEW_UNPUBLISHED`` (``False``): show drafts and future-dated stories, marked.
- ``PRINT_PROBLEMS`` (``True``): print problems as found (the checker prints its own way).
- ``PUBLIC_OUTPUT_PATH`` (``"output"``, from the current folder): where the public site is
  built; a staff build (``AUDIENCE = "staff"``) refuses to write there.
- ``INTRASITE_LINK_REGEX`` (Pelican's) must be :data:`INTRASITE_LINKS`: Pelican then
  rewrites only ``{filename}``, ``{static}`` and ``{attach}`` links, the ones the
  content model checks.
- ``MAX_SOURCE_BYTES`` (``1_000_000``): a larger Markdown file is refused (bounded work).
- ``MAX_IMAGE_BYTES`` (``10_000_000``): a larger image is refused.
- ``MAX_IMAGE_PIXELS`` (``40_000_000``): an image of more pixels is refused (a small
  file can decode into gigabytes in a reader's browser).

The folders a content folder may hold come from Pelican's own settings
(``ARTICLE_PATHS``, ``PAGE_PATHS``, ``STATIC_PATHS``) plus ``departments/``
and ``people/``; the feed ledger (``FEED_LEDGER``) may sit at its top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inventory import Layout

AUDIENCES = ("public", "staff")
REGISTRY_FOLDERS = ("departments", "people")
INTRASITE_LINKS = r"\{(?P<what>filename|static|attach)\}"
DEFAULT_LEDGER = "feed-ledger.json"  # the feeds plugin's FEED_LEDGER default


class SettingsError(ValueError):
    """A setting has a value the plugin cannot work with."""


@dataclass(frozen=True)
class ContentSettings:
    content: Path
    audience: str = "public"
    strict: bool = False
    preview_unpublished: bool = False
    print_problems: bool = True
    public_output: Path = Path("output")
    layout: Layout = field(default_factory=lambda: Layout(text_folders=(), image_folders=()))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ContentSettings:
        audience = settings.get("AUDIENCE", "public")
        if audience not in AUDIENCES:
            raise SettingsError(
                f"AUDIENCE is {audience!r}; it must be one of {', '.join(AUDIENCES)}"
            )
        if settings.get("INTRASITE_LINK_REGEX") != INTRASITE_LINKS:
            raise SettingsError(
                f"INTRASITE_LINK_REGEX is {settings.get('INTRASITE_LINK_REGEX')!r}; it must be "
                f"r'{INTRASITE_LINKS}' (set it in your settings), so that Pelican rewrites only "
                "the links the content checks see"
            )
        return cls(
            content=Path(settings["PATH"]),
            audience=audience,
            strict=bool(settings.get("STRICT_CONTENT", False)),
            preview_unpublished=bool(settings.get("PREVIEW_UNPUBLISHED", False)),
            print_problems=bool(settings.get("PRINT_PROBLEMS", True)),
            layout=_layout(settings),
            public_output=Path(settings.get("PUBLIC_OUTPUT_PATH") or "output"),
        )

    def includes_audience(self, audience: str) -> bool:
        return self.audience == "staff" or audience == "public"


def _top_folders(paths: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(Path(p).parts[0] for p in paths or () if Path(p).parts))


def _limit(settings: Mapping[str, Any], name: str, default: int) -> int:
    value = settings.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise SettingsError(f"{name} is {value!r}; it must be a number of bytes above 0")
    return value


def _layout(settings: Mapping[str, Any]) -> Layout:
    # The ledger's usual name stays accounted for in builds that do not use it
    # (the checker, the preview), so the committed file is never an error.
    ledgers = {DEFAULT_LEDGER, str(settings.get("FEED_LEDGER") or DEFAULT_LEDGER)}
    return Layout(
        text_folders=(
            *_top_folders([*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]),
            *REGISTRY_FOLDERS,
        ),
        image_folders=_top_folders(settings.get("STATIC_PATHS", [])),
        root_files=tuple(sorted(ledgers)),
        max_source_bytes=_limit(settings, "MAX_SOURCE_BYTES", 1_000_000),
        max_image_bytes=_limit(settings, "MAX_IMAGE_BYTES", 10_000_000),
        max_image_pixels=_limit(settings, "MAX_IMAGE_PIXELS", 40_000_000),
    )
