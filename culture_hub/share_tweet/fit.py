"""How much of a quote each network's post keeps, and what the writer is told. No Pelican import.

The social feeds shorten only the quote, each network as it counts
(``limits.py``). A quote cut a little is normal; one cut by more than a
little (``WARN_SHARE`` of it lost) is a warning at the quote's line, naming
the network, how much it keeps and why (Bluesky counts the link in full);
one of which nothing meaningful survives (fewer than ``MEANINGFUL``
characters, or the mention or hashtags had to go) is an error: posted, it
would say nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .compose import ELLIPSIS, Post, normalise
from .limits import LIMITS, compose_post, grapheme_length
from .mentions import mention

WARN_SHARE = 0.1  # more than a tenth of the quote lost: the writer should know
MEANINGFUL = 20  # characters of the quote a post must keep (or the whole quote)
LONG_LINK = 150  # a link longer than this (a long title's address) is worth shortening
NAMES = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "linkedin": "LinkedIn",
         "threads": "Threads"}  # fmt: skip
# Networks that count a link's every character (the others count any link as 23).
FULL_LINK = frozenset({"bluesky", "linkedin"})


@dataclass(frozen=True)
class Cut:
    """What one network's post keeps of a quote."""

    network: str
    whole: int  # the quote's length, in characters (grapheme clusters)
    kept: int  # characters of it the post keeps, without the ellipsis
    dropped: tuple[str, ...]  # parts left out (prefix, mention, hashtags)
    link: int  # the link's length as posted

    @property
    def useless(self) -> bool:
        """Nothing meaningful of the quote survives, or the post lost its mention or hashtags."""
        return self.kept < min(MEANINGFUL, self.whole) or bool(
            set(self.dropped) & {"mention", "hashtags"}
        )

    @property
    def large(self) -> bool:
        return self.whole - self.kept > WARN_SHARE * self.whole

    def message(self, number: int) -> str:
        name = NAMES.get(self.network, self.network)
        limit = LIMITS[self.network].limit
        why = (
            f", and {name} counts the link ({self.link} characters) in full"
            if self.network in FULL_LINK
            else ""
        )
        lost = f"; it also leaves out the {' and the '.join(self.dropped)}" if self.dropped else ""
        if self.useless:
            return (
                f"quote {number} cannot be posted on {name}: only {self.kept} of its "
                f"{self.whole} characters fit in {limit}{why}{lost}"
            )
        return (
            f"quote {number} is cut on {name} to {self.kept} of its {self.whole} characters: "
            f"the post must fit {limit}{why}{lost}"
        )

    def fix(self) -> str:
        fixes = ["shorten the quote, its prefix or its hashtags"]
        if self.network in FULL_LINK and self.link > LONG_LINK:
            fixes.append("give the story a shorter address (a short 'slug:' in its front matter)")
        if self.network == "bluesky":
            fixes.append("keep fewer campaign tags on Bluesky links (SOCIAL_UTM_BLUESKY)")
        return ", or ".join(fixes)


def cuts(
    quote: str,
    *,
    prefix: str,
    hashtags: str,
    handles: Mapping[str, str],
    link_for: Callable[[str], str],
    networks: Sequence[str],
) -> list[Cut]:
    """The networks (of ``networks`` with a social feed) that shorten ``quote``.

    Most quotes fit everywhere: one count per network, and a post is composed
    only where it does not fit.
    """
    quote, prefix, hashtags = map(normalise, (quote, prefix, hashtags))
    found = []
    for network in networks:
        limit = LIMITS.get(network)
        if limit is None:
            continue
        link = link_for(network)
        said = mention(network, handles)
        whole = " ".join(part for part in (prefix, quote, hashtags, said) if part)
        if limit.fits(whole, link):
            continue
        post = compose_post(quote, link, limit.fits, prefix=prefix, hashtags=hashtags, mention=said)
        kept = grapheme_length(post.quote.removesuffix(ELLIPSIS).rstrip())
        found.append(
            Cut(network, grapheme_length(quote), kept, post.dropped, grapheme_length(link))
        )
    return found


@dataclass(frozen=True)
class ButtonCut:
    """What the X share button's post (``compose``) keeps of a quote it had to shorten.

    The feeds drop the prefix before cutting the quote to nothing; the button
    keeps the prefix while a word of the quote fits, so a long prefix could
    leave the button posting the prefix and "…". The same rule as the feeds
    applies: fewer than ``MEANINGFUL`` characters kept is an error.
    """

    whole: int
    kept: int
    prefix: int  # the prefix's length as written (0 when there is none)
    text: str  # the post as the button would send it
    limit: int = 280  # the length X allows (SHARE_X_LIMIT)

    @property
    def useless(self) -> bool:
        return self.kept < min(MEANINGFUL, self.whole)

    def message(self, number: int) -> str:
        crowd = "the prefix, hashtags and 'via @…'" if self.prefix else "the hashtags and 'via @…'"
        return (
            f"quote {number} cannot be shared on X: its share button would post only "
            f"{self.kept} of its {self.whole} characters, because {crowd} take the rest of "
            f"X's {self.limit} (“{self.text}”)"
        )

    def fix(self) -> str:
        first = (
            f"shorten the prefix (it has {self.prefix} characters), its hashtags or the quote"
            if self.prefix
            else "shorten its hashtags or the quote"
        )
        return (
            f"{first}; X counts the link as 23 characters whatever the story's address, so a "
            "shorter slug does not help here"
        )


def button_cut(quote: str, prefix: str, post: Post, limit: int = 280) -> ButtonCut | None:
    """The X share button's cut of ``quote`` (``post`` is what ``compose`` made of it,
    for a post of ``limit``)."""
    if not post.truncated:
        return None
    whole = grapheme_length(normalise(quote))
    kept = grapheme_length(post.quote.removesuffix(ELLIPSIS).rstrip())
    return ButtonCut(whole, kept, grapheme_length(normalise(prefix)), post.text, limit)
