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
- ``SOCIAL_QUOTE_INTERVAL`` (``24``): hours between a story's quotes in the social feeds
  (a ``datetime.timedelta`` also works; ``0`` releases them all with the story).
- ``SOCIAL_CARDS`` (``True``): a 1200x630 PNG card per quote in the social feeds
  (``cards/<digest>.png``), drawn once into ``CACHE_PATH``/cards and reused while unchanged.
- ``SOCIAL_UTM*``: campaign tags, read by share_tweet's settings (same tags on both).
- ``SITE_MASTODON_HANDLE`` / ``SITE_BLUESKY_HANDLE`` (``""``): the site's accounts, mentioned
  on those networks when the first author has none (``SITE_X_HANDLE`` is share_tweet's).

Feeds are written only when ``SITEURL`` is an absolute http(s) URL (the publish
build): a feed of relative links is useless to a scheduler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from culture_hub.content_model.fields import FieldError, bluesky_handle, mastodon_handle
from culture_hub.content_model.settings import SettingsError
from culture_hub.share_tweet.campaign import Campaign
from culture_hub.share_tweet.settings import DEFAULT_NETWORKS, ShareSettings


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
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    campaign: Campaign = field(default_factory=Campaign)
    quote_interval: timedelta = timedelta(days=1)
    site_x: str = ""
    site_mastodon: str = ""
    site_bluesky: str = ""
    cards: bool = True
    cache: Path = Path("cache")

    @property
    def enabled(self) -> bool:
        return self.siteurl.startswith(("https://", "http://"))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> FeedSettings:
        max_items = settings.get("FEED_MAX_ITEMS", 50)
        if not isinstance(max_items, int) or max_items < 1:
            raise SettingsError(f"FEED_MAX_ITEMS is {max_items!r}; it must be a positive number")
        ledger = settings.get("FEED_LEDGER", "feed-ledger.json")
        share = ShareSettings.from_settings(settings)
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
            networks=share.networks,
            campaign=share.campaign,
            quote_interval=_interval(settings.get("SOCIAL_QUOTE_INTERVAL", 24)),
            site_x=share.site_handle,
            site_mastodon=_handle(settings, "SITE_MASTODON_HANDLE", mastodon_handle),
            site_bluesky=_handle(settings, "SITE_BLUESKY_HANDLE", bluesky_handle),
            cards=bool(settings.get("SOCIAL_CARDS", True)),
            cache=Path(settings.get("CACHE_PATH") or "cache"),
        )


def _interval(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        hours = value.total_seconds() / 3600
    elif isinstance(value, int | float) and not isinstance(value, bool):
        hours = float(value)
    else:
        hours = -1.0
    if not 0 <= hours <= 24 * 365:
        raise SettingsError(
            f"SOCIAL_QUOTE_INTERVAL is {value!r}; write a number of hours (24 is one day; "
            "0 releases a story's quotes all at once) or a datetime.timedelta"
        )
    return timedelta(hours=hours)


def _handle(settings: Mapping[str, Any], name: str, convert: Any) -> str:
    value = settings.get(name, "") or ""
    if not value:
        return ""
    try:
        return str(convert(value))
    except FieldError as error:
        raise SettingsError(f"{name}: {error.message}; {error.fix}") from None
