"""Share settings, read once per build and validated.

- ``SHARE_NETWORKS`` (``("x", "linkedin", "mastodon", "bluesky")``): networks to link, in order.
- ``SHARE_MASTODON_INSTANCE`` (``"mastodon.social"``): the server Mastodon share links open.
- ``SITE_X_HANDLE`` (``""``): the ``via`` handle when the first author has none.
- ``SHARE_X_LIMIT`` (``280``): the weighted length a post must fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culture_hub.content_model.settings import SettingsError

from .compose import X_LIMIT
from .networks import NETWORKS

DEFAULT_NETWORKS = ("x", "linkedin", "mastodon", "bluesky")


@dataclass(frozen=True)
class ShareSettings:
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    mastodon_instance: str = "mastodon.social"
    site_handle: str = ""
    limit: int = X_LIMIT

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
        )
