"""Which feeds the site has: one table entry per kind. No Pelican import.

``build_catalogue`` turns article items into ``Feed`` records (meta + items);
``FeedIndex`` is what templates use for ``<link rel="alternate">`` and the
human-readable list of feeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .items import FeedItem, FeedMeta
from .social import FEED_NETWORKS, NEUTRAL


@dataclass(frozen=True)
class Feed:
    meta: FeedMeta
    items: tuple[FeedItem, ...]
    group: str

    def path(self, fmt: str) -> str:
        return f"{self.meta.path}.{fmt}.xml" if fmt in ("rss", "atom") else f"{self.meta.path}.json"


@dataclass(frozen=True)
class Source:
    """One article's feed item with what the catalogue groups it by."""

    item: FeedItem
    kind: str
    departments: tuple[Any, ...]
    people: tuple[Any, ...]
    social: Mapping[str, tuple[FeedItem, ...]]  # "" (network-neutral) or network → items


def _newest(items: Sequence[FeedItem], limit: int) -> tuple[FeedItem, ...]:
    ordered = sorted(items, key=lambda i: (i.published, i.guid), reverse=True)
    return tuple(ordered[:limit])


def build_catalogue(
    sources: Sequence[Source],
    departments: Sequence[Any],
    people: Sequence[Any],
    *,
    sitename: str,
    siteurl: str,
    language: str,
    hub: str,
    limit: int,
    networks: Sequence[str] = (),
) -> list[Feed]:
    """Every feed of the site: whole-site kinds, then one per department and person."""
    newest = max((s.item.updated for s in sources), default=None)

    def feed(
        key: str, about: str, home: str, items: Any, *, group: str = "site", label: str = ""
    ) -> Feed:
        path, name = FEED_NAMES[key.split(":", maxsplit=1)[0]]
        title = f"{sitename}: {name.format(label=label)}" if name else sitename
        path = path.format(id=key.partition(":")[2])
        meta = FeedMeta(key, title, about, path, f"{siteurl}/{home}", language, hub, newest)
        return Feed(meta, _newest(list(items), limit), group)

    feeds = [
        feed("all", f"Everything published on {sitename}", "", (s.item for s in sources)),
        feed("stories", "Culture stories by our staff", "stories/",
             (s.item for s in sources if s.kind == "story")),
        feed("leadership", "Thought pieces by our leaders", "leadership/",
             (s.item for s in sources if s.kind == "leadership")),
        feed("social", "One item per quote: post the title, then the link", "",
             (quote for s in sources for quote in s.social.get(NEUTRAL, ()))),
    ]  # fmt: skip
    feeds += [
        feed(f"social-network:{network}", f"One ready-to-post item per quote for {name}: "
             f"post the title, then the link", "",
             (quote for s in sources for quote in s.social.get(network, ())),
             group="social", label=name)
        for network, name in NETWORK_NAMES.items() if network in networks
    ]  # fmt: skip
    # Each source's items by department and person id, in one pass (not one per feed).
    by_department: dict[str, list[FeedItem]] = {}
    by_person: dict[str, list[FeedItem]] = {}
    for source in sources:
        for dept_id in dict.fromkeys(d.id for d in source.departments):
            by_department.setdefault(dept_id, []).append(source.item)
        for person_id in dict.fromkeys(p.id for p in source.people):
            by_person.setdefault(person_id, []).append(source.item)
    feeds += [
        feed(f"department:{dept.id}", f"Stories from {dept.name}", f"departments/{dept.id}/",
             by_department.get(dept.id, ()), group="department", label=dept.name)
        for dept in departments
    ]  # fmt: skip
    feeds += [
        feed(f"person:{person.id}", f"Stories by {person.name}", f"people/{person.id}/",
             by_person.get(person.id, ()), group="person", label=person.name)
        for person in people
    ]  # fmt: skip
    return feeds


# kind → (path without format, title after the site name; "" for the site's own)
FEED_NAMES = {
    "all": ("feeds/all", ""),
    "stories": ("feeds/stories", "stories"),
    "leadership": ("feeds/leadership", "leadership"),
    "social": ("feeds/social", "quotes to share"),
    "social-network": ("feeds/social/{id}", "quotes to share on {label}"),
    "department": ("feeds/departments/{id}", "{label}"),
    "person": ("feeds/people/{id}", "{label}"),
}
NETWORK_NAMES = dict(
    zip(FEED_NETWORKS, ("X", "Mastodon", "Bluesky", "LinkedIn", "Threads"), strict=True)
)
GUIDES = {
    "x": "Template {title} {url}. X counts any link as 23 characters and CJK and emoji "
    "as 2; posts end with 'via @' and the author's x handle.",
    "mastodon": "Template {title} {url}. Up to 500 characters, any link counted as 23; "
    "posts mention the author's Mastodon account as @user@server, so it reaches the "
    "right person from any server.",
    "bluesky": "Template {title} {url}. Up to 300 characters as people see them, the link "
    "counted in full; posts mention the author's Bluesky handle.",
    "linkedin": "Template {title} {url}. Up to 3,000 characters; no mentions (LinkedIn's "
    "cannot be typed as text): tag people by hand if you want to.",
    "threads": "Template {title} {url}. Up to 500 characters; no mentions.",
}
# format → (label, media type); JSON Feed only for the main feed
FORMATS = {
    "rss": ("RSS", "application/rss+xml"),
    "atom": ("Atom", "application/atom+xml"),
    "json": ("JSON", "application/feed+json"),
}


@dataclass(frozen=True)
class FeedLink:
    title: str
    href: str
    mime: str
    label: str


class FeedIndex:
    """Feeds by key, for templates: ``feeds.links("all")``, ``feeds.links("department:x")``."""

    def __init__(
        self, feeds: Sequence[Feed], siteurl: str, json_feed: bool, quote_interval: str = ""
    ) -> None:
        self.feeds = list(feeds)
        self.quote_interval = quote_interval  # how the /feeds/ page says the drip's interval
        self._by_key = {f.meta.key: f for f in feeds}
        self.siteurl = siteurl
        self.json_feed = json_feed

    def formats(self, key: str) -> tuple[str, ...]:
        return ("rss", "atom", "json") if key == "all" and self.json_feed else ("rss", "atom")

    def links(self, key: str) -> list[FeedLink]:
        feed = self._by_key.get(key)
        if feed is None:
            return []
        return [
            FeedLink(
                f"{feed.meta.title} ({FORMATS[fmt][0]})",
                f"{self.siteurl}/{feed.path(fmt)}",
                FORMATS[fmt][1],
                FORMATS[fmt][0],
            )
            for fmt in self.formats(key)
        ]

    def guide(self, key: str) -> str:
        """How to set a scheduler up for a network's feed (the /feeds/ page)."""
        return GUIDES.get(key.partition(":")[2], "")

    def group(self, name: str) -> list[Feed]:
        return [f for f in self.feeds if f.group == name]


def describe_interval(interval: timedelta) -> str:
    """``SOCIAL_QUOTE_INTERVAL`` in words, for the /feeds/ page."""
    hours = interval.total_seconds() / 3600
    if hours == 0:
        return "no time"
    if hours % 24 == 0:
        days = int(hours // 24)
        return "one day" if days == 1 else f"{days} days"
    return "one hour" if hours == 1 else f"{hours:g} hours"
