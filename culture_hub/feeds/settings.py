"""Feed settings: declared here once (``SETTINGS``), read once per build.

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
from culture_hub.content_model.settings import DEFAULT_LEDGER
from culture_hub.declare import Setting, boolean, optional, read_all, text, whole
from culture_hub.discovery.settings import SITE_IMAGE, SITE_IMAGE_ALT
from culture_hub.share_tweet.campaign import Campaign
from culture_hub.share_tweet.settings import DEFAULT_NETWORKS, ShareSettings

# A file name at the top of the content folder: the inventory accounts for it
# there, and a path could point the ledger's writes outside the content.
_FILE_NAME = r"[^/\\]+\.json"


def _language(settings: Mapping[str, Any]) -> Any:
    return settings.get("DEFAULT_LANG", "en")


def _hours(value: Any) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return -1.0


def _interval_problem(value: Any) -> str | None:
    hours = _hours(value)
    return None if 0 <= hours <= 24 * 365 else f"{value!r} is not a number of hours"


def _handle_check(convert: Any) -> Any:
    def check(value: Any) -> str | None:
        if value in ("", None):
            return None
        try:
            convert(value)
        except FieldError as error:
            return error.message
        return None

    return check


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
    Setting(
        "SOCIAL_QUOTE_INTERVAL", 24,
        "hours between a story's quotes in the social feeds: quote k appears k intervals "
        "after the story first appeared (a `datetime.timedelta` also works; `0` releases "
        "them all with the story)",
        _interval_problem, "write a number of hours from 0 to a year, such as 24",
    ),
    Setting(
        "SOCIAL_CARDS", True,
        "a 1200x630 PNG card per quote in the social feeds (`cards/<digest>.png`), drawn "
        "once into `CACHE_PATH`/cards and reused while unchanged",
        boolean, "use True or False",
    ),
    Setting(
        "SITE_MASTODON_HANDLE", "",
        "the site's Mastodon account (`@user@server`), mentioned on Mastodon when the first "
        "author has none",
        _handle_check(mastodon_handle), "write it as @user@server, or \"\"",
    ),
    Setting(
        "SITE_BLUESKY_HANDLE", "",
        "the site's Bluesky handle (`name.bsky.social`), mentioned on Bluesky when the first "
        "author has none",
        _handle_check(bluesky_handle), "write it as a domain such as name.bsky.social, or \"\"",
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
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    campaign: Campaign = field(default_factory=Campaign)
    quote_interval: timedelta = timedelta(days=1)
    site_x: str = ""
    site_mastodon: str = ""
    site_bluesky: str = ""
    cards: bool = True
    cache: Path = Path("cache")
    site_image: str = SITE_IMAGE.default
    site_image_alt: str = ""

    @property
    def enabled(self) -> bool:
        return self.siteurl.startswith(("https://", "http://"))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> FeedSettings:
        values = read_all(settings, SETTINGS)
        ledger = values["FEED_LEDGER"]
        share = ShareSettings.from_settings(settings)
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
            networks=share.networks,
            campaign=share.campaign,
            quote_interval=timedelta(hours=_hours(values["SOCIAL_QUOTE_INTERVAL"])),
            site_x=share.site_handle,
            site_mastodon=_handle(values["SITE_MASTODON_HANDLE"], mastodon_handle),
            site_bluesky=_handle(values["SITE_BLUESKY_HANDLE"], bluesky_handle),
            cards=values["SOCIAL_CARDS"],
            cache=Path(settings.get("CACHE_PATH") or "cache"),
            site_image=SITE_IMAGE.read(settings),
            site_image_alt=SITE_IMAGE_ALT.read(settings),
        )


def _handle(value: str, convert: Any) -> str:
    """A site handle as the network writes it (already checked by its declaration)."""
    return str(convert(value)) if value else ""
