"""Share settings: declared here once (``SETTINGS``), read once per build.

Networks known: x, linkedin, mastodon, bluesky, facebook, threads, email.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from culture_hub.declare import Setting, boolean, items, one_of, read_all, text, whole

from .campaign import UTM_TAGS, Campaign
from .compose import X_LIMIT
from .networks import NETWORKS

DEFAULT_NETWORKS = ("x", "linkedin", "mastodon", "bluesky")
_HOST = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+"
# A campaign tag is one word that cannot break the link's query.
_TAG = r"[^\s&#?=%]*"

SETTINGS = (
    Setting(
        "SHARE_NETWORKS", DEFAULT_NETWORKS,
        "share links under each quote and story, and a social feed per network, in this order",
        items(one_of(*NETWORKS), "a list of networks"),
        f"list some of {', '.join(map(repr, NETWORKS))}",
    ),
    Setting(
        "SHARE_MASTODON_INSTANCE", "mastodon.social", "the server Mastodon share links open",
        text(_HOST, "a server name such as 'mastodon.social'"),
        "give the server's name only, without https:// or a path",
    ),
    Setting(
        "SITE_X_HANDLE", "",
        "`via` handle when the first author has no `x` handle (and the pages' `twitter:site`)",
        text(r"(@?[A-Za-z0-9_]{1,15})?", "an X handle"),
        "use up to 15 letters, digits or _ (such as 'lanternfield'), or \"\"",
    ),
    Setting(
        "SHARE_X_LIMIT", X_LIMIT,
        "weighted length a post must fit (X counts links as 23, CJK and emoji as 2)",
        whole(50, X_LIMIT), f"set a number from 50 to {X_LIMIT}",
    ),
    Setting(
        "SHARE_STORY_HASHTAGS", 2,
        "tag hashtags added after the department's to a whole story's share post",
        whole(0, 10), "set a number from 0 to 10",
    ),
    Setting(
        "SOCIAL_UTM", True,
        "campaign tags on share links and social-feed links (`utm_source` the network, "
        "`utm_medium`, `utm_campaign`, `utm_content` the quote); never in GUIDs or canonical "
        "links",
        boolean, "use True or False",
    ),
    Setting(
        "SOCIAL_UTM_MEDIUM", "social", "their `utm_medium`",
        text(r"[^\s&#?=%]+", "one word"), "write one word without spaces, like 'social'",
    ),
    Setting(
        "SOCIAL_UTM_CAMPAIGN", "",
        "their `utm_campaign`; `\"\"`: the story's first department",
        text(_TAG, "one word"), "write one word without spaces, like 'culture', or \"\"",
    ),
    Setting(
        "SOCIAL_UTM_BLUESKY", ("utm_source", "utm_medium"),
        "the only campaign tags on Bluesky links: Bluesky counts a link's every character "
        "against its 300, so each tag costs the quote room (the quote page's address already "
        "names the story and the quote)",
        items(one_of(*UTM_TAGS), "a list of utm tags"),
        f"list some of {', '.join(map(repr, UTM_TAGS))}, or () for none",
    ),
    Setting(
        "SHARE_QUOTE_PAGES", True,
        "a small page per public quote (`<story>/quote-N/`, `noindex`) whose link preview is "
        "the quote and its card; share links and social feeds link it, and it sends the "
        "visitor on to the quote in its story (needs an absolute `SITEURL`)",
        boolean, "use True or False",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ShareSettings:
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    mastodon_instance: str = "mastodon.social"
    site_handle: str = ""
    limit: int = X_LIMIT
    story_hashtags: int = 2
    campaign: Campaign = field(default_factory=Campaign)
    quote_pages: bool = True

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ShareSettings:
        values = read_all(settings, SETTINGS)
        return cls(
            networks=tuple(values["SHARE_NETWORKS"]),
            mastodon_instance=values["SHARE_MASTODON_INSTANCE"],
            site_handle=values["SITE_X_HANDLE"].lstrip("@"),
            limit=values["SHARE_X_LIMIT"],
            story_hashtags=values["SHARE_STORY_HASHTAGS"],
            campaign=campaign_from(settings),
            quote_pages=values["SHARE_QUOTE_PAGES"],
        )


def campaign_from(settings: Mapping[str, Any]) -> Campaign:
    """``SOCIAL_UTM*``, checked (see ``SETTINGS``)."""
    values = read_all(settings, [s for s in SETTINGS if s.name.startswith("SOCIAL_UTM")])
    return Campaign(
        values["SOCIAL_UTM"],
        values["SOCIAL_UTM_MEDIUM"],
        values["SOCIAL_UTM_CAMPAIGN"],
        tuple(values["SOCIAL_UTM_BLUESKY"]),
    )
