"""Who a post names, per network. No Pelican import.

A handle means something only on its own network: ``@amara_okafor`` (an X
handle) posted to Mastodon mentions whoever has that name on the posting
server. So each network gets the person's own field, in its own form, and
LinkedIn, Facebook and Threads none (their mentions cannot be typed as text):

- X: ``via @handle`` from the person's ``x`` (stored without '@').
- Mastodon: ``via @user@server`` from ``mastodon`` (stored as ``@user@server``).
- Bluesky: ``via @name.bsky.social`` from ``bluesky`` (stored without '@').
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MENTION_NETWORKS = ("x", "mastodon", "bluesky")


def mention(network: str, handles: Mapping[str, str]) -> str:
    """The ``via …`` text for ``network``, or ``""`` when it has no handle there."""
    handle = handles.get(network, "").strip()
    if not handle or network not in MENTION_NETWORKS:
        return ""
    return f"via @{handle.lstrip('@')}"


def handles_for(first: Any, via: str, site: Mapping[str, str]) -> dict[str, str]:
    """Network → the handle a quote's posts mention: on X the quote's own ``via``,
    elsewhere the first author's handle there, else the site's (``site``)."""
    return {
        "x": via or getattr(first, "x", "") or site.get("x", ""),
        "mastodon": getattr(first, "mastodon", "") or site.get("mastodon", ""),
        "bluesky": getattr(first, "bluesky", "") or site.get("bluesky", ""),
    }
