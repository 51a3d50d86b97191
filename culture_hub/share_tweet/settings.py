"""Share settings: declared here once (``SETTINGS``), read once per build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.declare import Setting, items, one_of, read_all, text, whole

from .compose import X_LIMIT
from .networks import NETWORKS

DEFAULT_NETWORKS = ("x", "linkedin", "mastodon", "bluesky")
_HOST = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+"

SETTINGS = (
    Setting(
        "SHARE_NETWORKS", DEFAULT_NETWORKS,
        "share links under each quote and story, in this order",
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
)  # fmt: skip


@dataclass(frozen=True)
class ShareSettings:
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    mastodon_instance: str = "mastodon.social"
    site_handle: str = ""
    limit: int = X_LIMIT
    story_hashtags: int = 2

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ShareSettings:
        values = read_all(settings, SETTINGS)
        return cls(
            networks=tuple(values["SHARE_NETWORKS"]),
            mastodon_instance=values["SHARE_MASTODON_INSTANCE"],
            site_handle=values["SITE_X_HANDLE"].lstrip("@"),
            limit=values["SHARE_X_LIMIT"],
            story_hashtags=values["SHARE_STORY_HASHTAGS"],
        )
