"""The content model's settings: read once from Pelican's settings, validated.

- ``AUDIENCE`` (``"public"``): ``"staff"`` also includes ``audience: staff`` content.
- ``STRICT_CONTENT`` (``False``): content errors fail the build instead of warning.
- ``PREVIEW_UNPUBLISHED`` (``False``): show drafts and future-dated stories, marked.
- ``PRINT_PROBLEMS`` (``True``): print problems as found (the checker prints its own way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDIENCES = ("public", "staff")


class SettingsError(ValueError):
    """A setting has a value the plugin cannot work with."""


@dataclass(frozen=True)
class ContentSettings:
    content: Path
    audience: str = "public"
    strict: bool = False
    preview_unpublished: bool = False
    print_problems: bool = True

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ContentSettings:
        audience = settings.get("AUDIENCE", "public")
        if audience not in AUDIENCES:
            raise SettingsError(
                f"AUDIENCE is {audience!r}; it must be one of {', '.join(AUDIENCES)}"
            )
        return cls(
            content=Path(settings["PATH"]),
            audience=audience,
            strict=bool(settings.get("STRICT_CONTENT", False)),
            preview_unpublished=bool(settings.get("PREVIEW_UNPUBLISHED", False)),
            print_problems=bool(settings.get("PRINT_PROBLEMS", True)),
        )

    def includes_audience(self, audience: str) -> bool:
        return self.audience == "staff" or audience == "public"
