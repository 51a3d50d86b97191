"""Feed settings, read once per build.

- ``FEED_MAX_ITEMS`` (``50``): items per feed, newest first (covers a scheduler's polling gap).
- ``FEED_LEDGER`` (``"feed-ledger.json"``): GUID ledger, relative to the content folder;
  ``None`` turns it off (GUIDs then come from ``id`` or the current path).
- ``FEED_LEDGER_UPDATE`` (``False``; ``invoke publish`` sets it): write newly published
  items into the ledger. Only the publishing build records them, and never a staff build
  (``AUDIENCE = "staff"``): local builds leave the committed file alone, and no staff
  title, id or path can reach it.
- ``FEED_GUID_PREFIX`` (``"urn:culture-hub:"``): prefix of every item GUID.
- ``FEED_LANGUAGE`` (``DEFAULT_LANG``): the feeds' language.
- ``WEBSUB_HUB`` (``""``): a WebSub hub URL to announce in every feed.
- ``JSON_FEED`` (``True``): also write ``feeds/all.json`` (JSON Feed 1.1).

Feeds are written only when ``SITEURL`` is an absolute http(s) URL (the publish
build): a feed of relative links is useless to a scheduler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.content_model.settings import SettingsError


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
        max_items = settings.get("FEED_MAX_ITEMS", 50)
        if not isinstance(max_items, int) or max_items < 1:
            raise SettingsError(f"FEED_MAX_ITEMS is {max_items!r}; it must be a positive number")
        ledger = settings.get("FEED_LEDGER", "feed-ledger.json")
        return cls(
            siteurl=str(settings.get("SITEURL", "")).rstrip("/"),
            sitename=str(settings.get("SITENAME", "")),
            language=str(settings.get("FEED_LANGUAGE") or settings.get("DEFAULT_LANG", "en")),
            timezone=str(settings.get("TIMEZONE", "UTC")),
            ledger=Path(settings["PATH"]) / ledger if ledger else None,
            max_items=max_items,
            guid_prefix=str(settings.get("FEED_GUID_PREFIX", "urn:culture-hub:")),
            hub=str(settings.get("WEBSUB_HUB", "") or ""),
            json_feed=bool(settings.get("JSON_FEED", True)),
            record=bool(settings.get("FEED_LEDGER_UPDATE", False))
            and settings.get("AUDIENCE", "public") == "public",
        )
