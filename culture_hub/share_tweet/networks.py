"""Share networks: one small entry each, in a table.

Every entry builds a plain link (no JavaScript, no third-party script). URLs
are built with ``urllib.parse``; HTML escaping happens where the link is
rendered, never here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from .compose import Post, split_hashtags


@dataclass(frozen=True)
class Network:
    id: str
    name: str
    link: Callable[[Post, str], str]


def _x(post: Post, _instance: str) -> str:
    hashtags, other = split_hashtags(post.suffix)
    text = " ".join(part for part in (post.prefix, post.quote, other) if part)
    params = {"text": text, "url": post.url}
    if hashtags:
        params["hashtags"] = ",".join(hashtags)
    if post.via:
        params["via"] = post.via
    return "https://x.com/intent/tweet?" + urlencode(params)


def _linkedin(post: Post, _instance: str) -> str:
    return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": post.url})


def _mastodon(post: Post, instance: str) -> str:
    return f"https://{instance}/share?" + urlencode({"text": f"{post.body} {post.url}"})


def _bluesky(post: Post, _instance: str) -> str:
    return "https://bsky.app/intent/compose?" + urlencode({"text": f"{post.body} {post.url}"})


NETWORKS: dict[str, Network] = {
    n.id: n
    for n in (
        Network("x", "X", _x),
        Network("linkedin", "LinkedIn", _linkedin),
        Network("mastodon", "Mastodon", _mastodon),
        Network("bluesky", "Bluesky", _bluesky),
    )
}


@dataclass(frozen=True)
class ShareLink:
    network: str
    name: str
    href: str


def share_links(post: Post, networks: tuple[str, ...], mastodon_instance: str) -> list[ShareLink]:
    return [
        ShareLink(n, NETWORKS[n].name, NETWORKS[n].link(post, mastodon_instance)) for n in networks
    ]


class LazyShareLinks(Sequence[ShareLink]):
    """A story's share links, made the first time a page lists them.

    Every story gets its own, but only its own page shows them: made lazily,
    they are made by the processes rendering the pages, in parallel, rather
    than for all stories while the build reads them one after another.
    """

    __slots__ = ("_instance", "_links", "_networks", "_post")

    def __init__(self, post: Post, networks: tuple[str, ...], mastodon_instance: str) -> None:
        self._post, self._networks, self._instance = post, networks, mastodon_instance
        self._links: list[ShareLink] | None = None

    def _made(self) -> list[ShareLink]:
        if self._links is None:
            self._links = share_links(self._post, self._networks, self._instance)
        return self._links

    def __len__(self) -> int:
        return len(self._networks)  # one link a network: no need to make them to know

    def __getitem__(self, index: int) -> ShareLink:  # type: ignore[override]
        return self._made()[index]

    def __iter__(self) -> Iterator[ShareLink]:
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment] - equal to lists, which are not hashable

    def __repr__(self) -> str:
        return repr(self._made())
