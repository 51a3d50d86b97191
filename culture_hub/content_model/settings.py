"""The content model's settings: declared here once, checked when Pelican starts.

``SETTINGS`` is the one declaration of each setting (default, check, the
README's line; see ``culture_hub.declare``). ``ContentSettings.from_settings``
reads them into one frozen object for the run.

The folders a content folder may hold come from Pelican's own settings
(``ARTICLE_PATHS``, ``PAGE_PATHS``, ``STATIC_PATHS``) plus ``departments/``
and ``people/``; the feed ledger (``FEED_LEDGER``) may sit at its top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from culture_hub.declare import (
    Setting,
    SettingsError,
    boolean,
    items,
    one_of,
    read_all,
    text,
    whole,
)

from .inventory import Layout

__all__ = ["CODEOWNERS_DEFAULT", "SETTINGS", "ContentSettings", "SettingsError"]

AUDIENCES = ("public", "staff")
# The folders of the registries; templates, URLs and rules are written for these names.
REGISTRY_FOLDERS = ("departments", "people")
INTRASITE_LINKS = r"\{(?P<what>filename|static|attach)\}"
DEFAULT_LEDGER = "feed-ledger.json"  # the feeds plugin's FEED_LEDGER default


def _path(value: Any) -> str | None:
    if isinstance(value, str | Path) and str(value).strip():
        return None
    return f"{value!r} is not a folder"


def _intrasite(value: Any) -> str | None:
    return None if value == INTRASITE_LINKS else f"{value!r} is not r'{INTRASITE_LINKS}'"


_BYTES = "set a number of bytes above 0, or remove the line for the default"

CODEOWNERS_DEFAULT = Setting(
    "CODEOWNERS_DEFAULT", [],
    "reviewers (`@user`, `@org/team`) of files no department lead owns, "
    "in `invoke codeowners`",
    items(text(r"@[\w.-]+(/[\w.-]+)?", "a GitHub @user or @org/team"), "a list"),
    "list GitHub handles such as ['@org/team']",
)  # fmt: skip
SETTINGS = (
    Setting(
        "AUDIENCE", "public",
        '`"staff"` includes `audience: staff` stories, marked "Internal — do not share", '
        'without share links (`"staff"` in pelicanconf)',
        one_of(*AUDIENCES), 'use "public" (the public site) or "staff"',
    ),
    Setting(
        "STRICT_CONTENT", False,
        "any content error stops the build before anything is written (`True` in publishconf)",
        boolean, "use True or False",
    ),
    Setting(
        "PREVIEW_UNPUBLISHED", False,
        "show drafts and future-dated stories, clearly marked, at their normal URLs "
        "(`True` in pelicanconf)",
        boolean, "use True or False",
    ),
    Setting(
        "PRINT_PROBLEMS", True,
        "print each content problem as it is found (`invoke check` turns it off to print "
        "its own report)",
        boolean, "use True or False",
    ),
    Setting(
        "PUBLIC_OUTPUT_PATH", "output",
        "the public site's folder (relative to the folder the build runs in): a build that "
        "shows staff stories or drafts refuses to write there (pelicanconf sets `output/` "
        "beside itself)",
        _path, "name the folder the public build writes, such as 'output'",
    ),
    Setting(
        "MAX_SOURCE_BYTES", 1_000_000, "a larger Markdown file is an error at that file",
        whole(1), _BYTES,
    ),
    Setting(
        "MAX_IMAGE_BYTES", 10_000_000, "a larger image is an error at that file",
        whole(1), _BYTES,
    ),
    Setting(
        "MAX_IMAGE_PIXELS", 40_000_000,
        "an image of more pixels is an error (a small file can decode into gigabytes in "
        "a browser)",
        whole(1), "set a number of pixels above 0, or remove the line for the default",
    ),
    Setting(
        "INTRASITE_LINK_REGEX", None,
        f"Pelican's; must be `{INTRASITE_LINKS}` (set in "
        "pelicanconf): Pelican then rewrites only the links the content checks see",
        _intrasite, f"set INTRASITE_LINK_REGEX = r'{INTRASITE_LINKS}' in your settings",
        shown="Pelican's (refused)", pelican=True,
    ),
    CODEOWNERS_DEFAULT,
)  # fmt: skip


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
        values = read_all(settings, SETTINGS)
        return cls(
            content=Path(settings["PATH"]),
            audience=values["AUDIENCE"],
            strict=values["STRICT_CONTENT"],
            preview_unpublished=values["PREVIEW_UNPUBLISHED"],
            print_problems=values["PRINT_PROBLEMS"],
            layout=_layout(settings, values),
            public_output=Path(values["PUBLIC_OUTPUT_PATH"]),
        )

    def includes_audience(self, audience: str) -> bool:
        return self.audience == "staff" or audience == "public"


def _top_folders(paths: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(Path(p).parts[0] for p in paths or () if Path(p).parts))


def _layout(settings: Mapping[str, Any], values: Mapping[str, Any]) -> Layout:
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
        max_source_bytes=values["MAX_SOURCE_BYTES"],
        max_image_bytes=values["MAX_IMAGE_BYTES"],
        max_image_pixels=values["MAX_IMAGE_PIXELS"],
    )
