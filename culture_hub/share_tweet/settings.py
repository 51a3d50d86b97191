"""Share settings, read once per build and validated.

- ``SHARE_NETWORKS`` (``("x", "linkedin", "mastodon", "bluesky")``): networks to link, in order.
- ``SHARE_MASTODON_INSTANCE`` (``"mastodon.social"``): the server Mastodon share links open.
- ``SITE_X_HANDLE`` (``""``): the ``via`` handle when the first author has none.
- ``SHARE_X_LIMIT`` (``280``): the weighted length a post must fit.
- ``SOCIAL_UTM`` (``True``): campaign tags on share links and social-feed links
  (``utm_source`` the network, ``utm_medium``, ``utm_campaign``, ``utm_content`` the quote).
- ``SOCIAL_UTM_MEDIUM`` (``"social"``): their ``utm_medium``.
- ``SOCIAL_UTM_CAMPAIGN`` (``""``): their ``utm_campaign``; empty: the story's first department.

Networks known: x, linkedin, mastodon, bluesky, facebook, threads, email.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from culture_hub.content_model.settings import SettingsError

from .campaign import Campaign
from .compose import X_LIMIT
from .networks import NETWORKS

DEFAULT_NETWORKS = ("x", "linkedin", "mastodon", "bluesky")


@dataclass(frozen=True)
class ShareSettings:
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    mastodon_instance: str = "mastodon.social"
    site_handle: str = ""
    limit: int = X_LIMIT
    campaign: Campaign = field(default_factory=Campaign)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ShareSettings:
        networks = tuple(settings.get("SHARE_NETWORKS", DEFAULT_NETWORKS))
        unknown = [n for n in networks if n not in NETWORKS]
        if unknown:
            raise SettingsError(
                f"SHARE_NETWORKS has unknown networks {unknown}; known: {', '.join(NETWORKS)}"
            )
        limit = int(settings.get("SHARE_X_LIMIT", X_LIMIT))
        if not 50 <= limit <= X_LIMIT:
            raise SettingsError(f"SHARE_X_LIMIT is {limit}; it must be between 50 and {X_LIMIT}")
        return cls(
            networks=networks,
            mastodon_instance=str(settings.get("SHARE_MASTODON_INSTANCE", "mastodon.social")),
            site_handle=str(settings.get("SITE_X_HANDLE", "") or "").lstrip("@"),
            limit=limit,
            campaign=campaign_from(settings),
        )


def campaign_from(settings: Mapping[str, Any]) -> Campaign:
    """``SOCIAL_UTM*``, checked: a tag is one word that cannot break the link's query."""
    texts = {}
    for name, default in (("SOCIAL_UTM_MEDIUM", "social"), ("SOCIAL_UTM_CAMPAIGN", "")):
        value = settings.get(name, default)
        if not isinstance(value, str) or any(c.isspace() or c in "&#?=%" for c in value):
            raise SettingsError(
                f"{name} is {value!r}; write one word without spaces, like 'social'"
            )
        texts[name] = value
    return Campaign(
        bool(settings.get("SOCIAL_UTM", True)),
        texts["SOCIAL_UTM_MEDIUM"] or "social",
        texts["SOCIAL_UTM_CAMPAIGN"],
    )
