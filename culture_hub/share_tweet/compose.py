"""Compose post text that fits a network's limit, as the network counts it.

X counts with weights (URLs 23, CJK and emoji 2); ``twitter-text-parser``
implements exactly that. When a post is too long only the quote is shortened,
at a word boundary, with an ellipsis: hashtags, link and ``via`` stay whole.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from types import ModuleType

X_LIMIT = 280
ELLIPSIS = "…"
HASHTAG = re.compile(r"^#\w+$")
_WORD_SPLIT = re.compile(r"[\W_]+")
URL_STANDIN = "https://example.com/"
# A dot before a letter or digit: where a domain, and so a link, could be.
_DOMAIN_DOT = re.compile(r"\.[A-Za-z0-9]")


@functools.cache
def _twitter_text() -> ModuleType:
    """``twitter_text``, imported on first use: compiling its patterns takes a quarter
    of a second, which a build spends while its readers are already at work, rather
    than before they start (and the commands that never count a post never spend)."""
    return importlib.import_module("twitter_text")


def weighted_length(text: str) -> int:
    """The length X gives ``text``: twitter-text's count.

    ASCII text has weight 1 per character, so only its links need finding
    (with twitter-text's own URL extractor); the full parse, which also scans
    for emoji, is kept for everything else, and for carriage returns (X counts
    ``\r\n`` as one character). A property test holds the two equal.
    """
    if text.isascii() and "\r" not in text:
        plain = _plain_length(text)
        if plain is not None:
            return plain
        urls = _twitter_text().extract_urls_with_indices(text)
        return len(text) - sum(u["indices"][1] - u["indices"][0] for u in urls) + 23 * len(urls)
    return _twitter_text().parse_tweet(text).weightedLength


def _plain_length(text: str) -> int | None:
    """The length of ASCII ``text`` whose only links are the stand-in, each on its own
    between spaces; ``None`` for any other text.

    Every link twitter-text finds has a dot before its top-level domain, so text
    with no dot before a letter or digit (once the stand-ins are set aside) holds
    no other link. Posts measured with the stand-in (``Post.measured_text``) are
    nearly always such text, and counting them this way spares a build the
    import of twitter-text (a seventh of a second of its start).
    """
    alone = f" {URL_STANDIN} "
    padded = f" {text} "
    links = padded.count(alone)
    if _DOMAIN_DOT.search(padded.replace(alone, "  ")):
        return None
    return len(text) + links * (23 - len(URL_STANDIN))


def hashtag_from(label: str) -> str:
    """``social-media`` → ``#SocialMedia``: a hashtag networks accept as one tag."""
    words = [w for w in _WORD_SPLIT.split(label) if w]
    tag = "".join(w[:1].upper() + w[1:] for w in words)
    if not tag or tag[0].isdigit():
        tag = "Tag" + tag
    return "#" + tag


def split_hashtags(suffix: str) -> tuple[list[str], str]:
    """Separate a suffix into hashtags (without '#') and any other text."""
    tags, other = [], []
    for word in suffix.split():
        (tags if HASHTAG.match(word) else other).append(word)
    return [t[1:] for t in tags], " ".join(other)


@dataclass(frozen=True)
class Post:
    """A post ready for a network: the pieces and the composed text."""

    quote: str
    url: str
    prefix: str = ""
    suffix: str = ""
    via: str = ""
    truncated: bool = False

    @property
    def body(self) -> str:
        """Prefix, quote and suffix: what X's intent takes as ``text`` (plus hashtags)."""
        return " ".join(part for part in (self.prefix, self.quote, self.suffix) if part)

    @property
    def text(self) -> str:
        """The whole post as it would appear: body, link, then ``via @handle``."""
        parts = [self.body, self.url]
        if self.via:
            parts.append(f"via @{self.via}")
        return " ".join(part for part in parts if part)

    @property
    def length(self) -> int:
        return weighted_length(self.measured_text)

    @property
    def measured_text(self) -> str:
        """The text with a standard link in place of ours.

        X counts every link as 23 characters, whatever its address; measuring
        with a stand-in keeps the count the same in dev builds (relative
        URLs), in the checker, and for hosts twitter-text does not know
        (reserved names such as ``.example``).
        """
        return Post(self.quote, URL_STANDIN, self.prefix, self.suffix, self.via).text


def normalise(text: str) -> str:
    return " ".join(text.split())


def compose(
    quote: str, url: str, *, prefix: str = "", suffix: str = "", via: str = "", limit: int = X_LIMIT
) -> Post:
    """Compose a post; shorten the quote at a word boundary if it is too long.

    If even one word of quote cannot fit beside the fixed parts, the quote
    becomes just the ellipsis, and then the prefix is dropped: the link and
    hashtags are what make the post work and are never cut. Such a post says
    nothing, so the build refuses it (``fit.button_cut``: under ``MEANINGFUL``
    characters of the quote kept is an error at the quote, as in the feeds).
    """
    post = Post(normalise(quote), url, normalise(prefix), normalise(suffix), via.lstrip("@"))
    if post.length <= limit:
        return post
    words = post.quote.split(" ")
    lo, hi = 0, len(words) - 1  # longest prefix of words that fits, by bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _shortened(post, words, mid).length <= limit:
            lo = mid
        else:
            hi = mid - 1
    best = _shortened(post, words, lo)
    if lo == 0:
        # Scripts written without spaces (CJK): every character is a boundary.
        best = _shortened_chars(post, words[0], limit) or best
    if best.length > limit and post.prefix:
        best = Post(best.quote, post.url, "", post.suffix, post.via, truncated=True)
    if best.length > limit and post.via:
        best = Post(best.quote, post.url, "", post.suffix, "", truncated=True)
    return best


def _shortened(post: Post, words: list[str], count: int) -> Post:
    kept = " ".join(words[:count]).rstrip(" ,;:.!?-–—")  # noqa: RUF001
    quote = (kept + ELLIPSIS) if kept else ELLIPSIS
    return Post(quote, post.url, post.prefix, post.suffix, post.via, truncated=True)


def _shortened_chars(post: Post, word: str, limit: int) -> Post | None:
    lo, hi = 0, len(word) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        candidate = Post(word[:mid] + ELLIPSIS, post.url, post.prefix, post.suffix, post.via, True)
        if candidate.length <= limit:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None
    return Post(word[:lo] + ELLIPSIS, post.url, post.prefix, post.suffix, post.via, truncated=True)
