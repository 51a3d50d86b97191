"""Share networks: one small entry each, in a table.

Every entry builds a plain link (no JavaScript, no third-party script). URLs
are built with ``urllib.parse``; HTML escaping happens where the link is
rendered, never here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

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


def _facebook(post: Post, _instance: str) -> str:
    # Facebook's sharer takes only the address: the text comes from the page's og: tags.
    return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": post.url})


def _threads(post: Post, _instance: str) -> str:
    return "https://www.threads.net/intent/post?" + urlencode({"text": f"{post.body} {post.url}"})


def _email(post: Post, _instance: str) -> str:
    # mailto: wants %20, not "+", for spaces (RFC 6068).
    subject = quote(post.quote, safe="")
    body = quote(f"{post.body}\n\n{post.url}", safe="")
    return f"mailto:?subject={subject}&body={body}"


NETWORKS: dict[str, Network] = {
    n.id: n
    for n in (
        Network("x", "X", _x),
        Network("linkedin", "LinkedIn", _linkedin),
        Network("mastodon", "Mastodon", _mastodon),
        Network("bluesky", "Bluesky", _bluesky),
        Network("facebook", "Facebook", _facebook),
        Network("threads", "Threads", _threads),
        Network("email", "Email", _email),
    )
}


@dataclass(frozen=True)
class ShareLink:
    network: str
    name: str
    href: str


Tagger = Callable[[str, str], str]  # (url, network) → the url with its campaign tags


def _untagged(url: str, _network: str) -> str:
    return url


def share_links(
    post: Post, networks: tuple[str, ...], mastodon_instance: str, tag: Tagger = _untagged
) -> list[ShareLink]:
    """One link per network, each carrying its own campaign tags (``tag``)."""
    return [
        ShareLink(
            n,
            NETWORKS[n].name,
            NETWORKS[n].link(replace(post, url=tag(post.url, n)), mastodon_instance),
        )
        for n in networks
    ]


class LazyShareLinks(Sequence[ShareLink]):
    """A story's share links, made the first time a page lists them.

    Every story gets its own, but only its own page shows them: made lazily,
    they are made by the processes rendering the pages, in parallel, rather
    than for all stories while the build reads them one after another.
    """

    __slots__ = ("_instance", "_links", "_networks", "_post", "_tag")

    def __init__(
        self,
        post: Post,
        networks: tuple[str, ...],
        mastodon_instance: str,
        tag: Tagger = _untagged,
    ) -> None:
        self._post, self._networks, self._instance = post, networks, mastodon_instance
        self._tag = tag
        self._links: list[ShareLink] | None = None

    def _made(self) -> list[ShareLink]:
        if self._links is None:
            self._links = share_links(self._post, self._networks, self._instance, self._tag)
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
