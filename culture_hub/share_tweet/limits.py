"""How long each network says a post is, and posts composed to fit it. No Pelican import.

A social feed item is the post *without* its link: the title is prefix, quote,
hashtags and mention, the item's link is the quote's address, because posting
tools (feediverse's ``{title} {url}``, IFTTT, dlvr.it, Buffer, Zapier) append
the link themselves. So what must fit is ``title + " " + link``, counted the
way the network counts it:

- X: 280, weighted by twitter-text (CJK and emoji 2, any link 23).
- Mastodon and Threads: 500 grapheme clusters, any link 23, a mention
  ``@user@server`` counted as ``@user`` (Mastodon's ``StatusLengthValidator``).
- Bluesky: 300 grapheme clusters, the link counted in full (it is posted as text).
- LinkedIn: 3,000 characters.
- Facebook: no practical limit for a link post (63,206); its share link takes only the address.

Only the quote is ever shortened, at a word boundary (or, in scripts written
without spaces, between grapheme clusters, so an emoji is never cut in half).
If even an ellipsis cannot fit beside the rest, the prefix, then the
mention, then the hashtags go, and the post says so (``dropped``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from .compose import ELLIPSIS, URL_STANDIN, normalise, weighted_length

MASTODON_LINK = 23
_GRAPHEME = regex.compile(r"\X")
_MASTODON_MENTION = regex.compile(r"(?<![\w/])@(\w+)@[\w.-]+\w", regex.ASCII)
_LINK = regex.compile(r"https?://\S+")


def graphemes(text: str) -> list[str]:
    """``text`` cut into user-perceived characters (Unicode extended grapheme clusters)."""
    return _GRAPHEME.findall(text)


def grapheme_length(text: str) -> int:
    """How many user-perceived characters ``text`` has.

    In ASCII only a carriage return and line feed join into one cluster, so
    other ASCII text is counted by its length: the usual post never wakes the
    ``regex`` module's Unicode tables (a tenth of a second, the first time, in
    the build's reading). A property test holds the two counts equal.
    """
    if text.isascii() and "\r" not in text:
        return len(text)
    return len(graphemes(text))


def x_length(title: str, link: str) -> int:
    """X's weighted count of ``title link``: any link counts 23, whatever its host."""
    return weighted_length(f"{title} {URL_STANDIN}" if link else title)


def mastodon_length(title: str, link: str) -> int:
    """Mastodon's count: graphemes, each link 23, ``@user@server`` as ``@user``."""
    text = _MASTODON_MENTION.sub(lambda m: "@" + m[1], title) if "@" in title else title
    text = _LINK.sub("x" * MASTODON_LINK, text) if "http" in text else text
    return grapheme_length(text) + (1 + MASTODON_LINK if link else 0)


def bluesky_length(title: str, link: str) -> int:
    """Bluesky's count: graphemes of the text as posted, the link in full."""
    return grapheme_length(f"{title} {link}" if link else title)


def plain_length(title: str, link: str) -> int:
    """Characters (code points) of ``title link``: LinkedIn's and Facebook's count."""
    return len(f"{title} {link}" if link else title)


@dataclass(frozen=True)
class Limit:
    """One network's limit and way of counting."""

    network: str
    limit: int
    measure: Callable[[str, str], int]

    def fits(self, title: str, link: str) -> bool:
        return self.measure(title, link) <= self.limit


LIMITS: dict[str, Limit] = {
    limit.network: limit
    for limit in (
        Limit("x", 280, x_length),
        Limit("mastodon", 500, mastodon_length),
        Limit("threads", 500, mastodon_length),
        Limit("bluesky", 300, bluesky_length),
        Limit("linkedin", 3000, plain_length),
        Limit("facebook", 63206, plain_length),
        Limit("email", 100_000, plain_length),
    )
}


@dataclass(frozen=True)
class SocialPost:
    """A post for one network: ``title`` is everything but the link."""

    title: str
    link: str
    quote: str
    truncated: bool = False
    dropped: tuple[str, ...] = ()  # parts left out because nothing else could fit

    @property
    def text(self) -> str:
        """The whole post as the network shows it: the title, then the link."""
        return f"{self.title} {self.link}" if self.link else self.title


def _title(prefix: str, quote: str, hashtags: str, mention: str) -> str:
    return " ".join(part for part in (prefix, quote, hashtags, mention) if part)


def compose_post(
    quote: str,
    link: str,
    fits: Callable[[str, str], bool],
    *,
    prefix: str = "",
    hashtags: str = "",
    mention: str = "",
) -> SocialPost:
    """The post for one network (or several: ``fits`` may ask them all).

    Only ``quote`` is shortened; see the module's docstring for the last resorts.
    """
    quote, prefix, hashtags, mention = map(normalise, (quote, prefix, hashtags, mention))
    whole = _title(prefix, quote, hashtags, mention)
    if fits(whole, link):
        return SocialPost(whole, link, quote)
    parts = {"prefix": prefix, "mention": mention, "hashtags": hashtags}
    dropped: list[str] = []
    for leave_out in ("", "prefix", "mention", "hashtags"):
        if leave_out:
            if not parts[leave_out]:
                continue
            parts[leave_out] = ""
            dropped.append(leave_out)

        def title_with(shortened: str) -> str:
            return _title(parts["prefix"], shortened, parts["hashtags"], parts["mention"])

        shortened = _shorten(quote, lambda q: fits(title_with(q), link))
        if shortened is not None:
            return SocialPost(title_with(shortened), link, shortened, True, tuple(dropped))
    return SocialPost(title_with(ELLIPSIS), link, ELLIPSIS, True, tuple(dropped))


def _longest(count: int, fits: Callable[[int], bool]) -> int:
    """The largest ``n`` in ``0..count`` with ``fits(n)``, by bisection (0 if none)."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _shorten(quote: str, fits: Callable[[str], bool]) -> str | None:
    """The longest start of ``quote`` plus an ellipsis that fits, or ``None``."""

    def cut(text: str) -> str:
        kept = text.rstrip(" ,;:.!?-–—")  # noqa: RUF001
        return kept + ELLIPSIS if kept else ELLIPSIS

    words = quote.split(" ")
    count = _longest(len(words) - 1, lambda n: n > 0 and fits(cut(" ".join(words[:n]))))
    if count:
        return cut(" ".join(words[:count]))
    # Nothing whole fits: cut the first word between grapheme clusters (CJK, long words).
    clusters = graphemes(words[0])
    count = _longest(len(clusters) - 1, lambda n: n > 0 and fits(cut("".join(clusters[:n]))))
    if count:
        return cut("".join(clusters[:count]))
    return ELLIPSIS if fits(ELLIPSIS) else None


def fits_all(networks: tuple[str, ...]) -> Callable[[str, str], bool]:
    """A ``fits`` that asks every one of ``networks`` (the network-neutral feed)."""
    limits = [LIMITS[n] for n in networks if n in LIMITS]
    return lambda title, link: all(limit.fits(title, link) for limit in limits)
