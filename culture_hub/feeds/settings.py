"""Feed settings: declared here once (``SETTINGS``), read once per build.

Feeds are written only when ``SITEURL`` is an absolute http(s) URL (the publish
build): a feed of relative links is useless to a scheduler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.content_model.settings import DEFAULT_LEDGER
from culture_hub.declare import Setting, boolean, optional, read_all, text, whole

# A file name at the top of the content folder: the inventory accounts for it
# there, and a path could point the ledger's writes outside the content.
_FILE_NAME = r"[^/\\]+\.json"


def _language(settings: Mapping[str, Any]) -> Any:
    return settings.get("DEFAULT_LANG", "en")


FEED_LEDGER = Setting(
    "FEED_LEDGER", DEFAULT_LEDGER,
    "GUID ledger, a file at the top of the content folder; commit it with the content. "
    "`None` turns it off (GUIDs then come from `id` or the current path)",
    optional(text(_FILE_NAME, "a .json file name (no folders)")),
    "name a .json file at the top of the content folder, or None",
)  # fmt: skip
SETTINGS = (
    Setting(
        "FEED_MAX_ITEMS", 100,
        "Pelican's; items per feed, newest first (enough to cover a scheduler's polling gap; "
        "`50` in pelicanconf)",
        whole(1), "set a number of items above 0",
        shown="`100` (Pelican's)", pelican=True,
    ),
    FEED_LEDGER,
    Setting(
        "FEED_LEDGER_UPDATE", False,
        "write newly published items into the ledger (`invoke publish` sets it); never "
        "done by a staff build, so local builds leave the committed file alone",
        boolean, "use True or False",
    ),
    Setting(
        "FEED_GUID_PREFIX", "urn:culture-hub:", "prefix of every item GUID (never change it "
        "on a published site: every item would look new to the schedulers)",
        text(r"\S+", "text without spaces"), "use text without spaces, such as 'urn:my-site:'",
    ),
    Setting(
        "FEED_LANGUAGE", None, "the feeds' language",
        text(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", "a language tag such as 'en' or 'en-GB'"),
        "use a language tag such as 'en-GB', or remove the line to use DEFAULT_LANG",
        shown="`DEFAULT_LANG`", compute=_language,
    ),
    Setting(
        "WEBSUB_HUB", "", "WebSub hub announced in every feed (`\"\"`: none)",
        optional(text(r"(https?://\S+)?", "an http(s) URL")), "use the hub's http(s) URL, or \"\"",
    ),
    Setting(
        "JSON_FEED", True, "also write `feeds/all.json` (JSON Feed 1.1)",
        boolean, "use True or False",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class FeedSettings:
    siteurl: str
    sitename: str
    language: str
    timezone: str
    ledger: Path | None
    max_items: int = 50
    guid_prefix: str = "urn:culture-hub:"
    hub: str = ""
    json_feed: bool = True
    record: bool = False

    @property
    def enabled(self) -> bool:
        return self.siteurl.startswith(("https://", "http://"))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> FeedSettings:
        values = read_all(settings, SETTINGS)
        ledger = values["FEED_LEDGER"]
        return cls(
            siteurl=str(settings.get("SITEURL", "")).rstrip("/"),
            sitename=str(settings.get("SITENAME", "")),
            language=str(values["FEED_LANGUAGE"]),
            timezone=str(settings.get("TIMEZONE", "UTC")),
            ledger=Path(settings["PATH"]) / ledger if ledger else None,
            max_items=values["FEED_MAX_ITEMS"],
            guid_prefix=values["FEED_GUID_PREFIX"],
            hub=values["WEBSUB_HUB"] or "",
            json_feed=values["JSON_FEED"],
            record=values["FEED_LEDGER_UPDATE"] and settings.get("AUDIENCE", "public") == "public",
        )
