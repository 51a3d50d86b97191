"""Social feed items: one per public quote, per network. No Pelican import.

An item's title is the post without its link (prefix, quote, hashtags,
mention), its link the quote's address (with campaign tags), its description
the whole post, so a tool that posts ``{title} {url}`` and a tool that posts
the description both send one link, within the network's limit. The
network-neutral feed (``feeds/social.*``) names nobody and fits every enabled
network at once; its GUIDs are the story's GUID plus the quote's anchor, and
each network's feed uses the same GUIDs (a feed is polled on its own).

Quotes drip out: the ``k``-th public quote of a story (counting from 0)
appears ``k`` intervals after the story first appeared, dated that moment;
one not due yet is left out until a later build (the nightly build).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from markupsafe import escape

from culture_hub.share_tweet.campaign import Campaign
from culture_hub.share_tweet.limits import LIMITS, SocialPost, compose_post, fits_all
from culture_hub.share_tweet.mentions import mention

from .items import FeedItem

# Networks with a social feed of their own, in the order the /feeds/ page lists them.
FEED_NETWORKS = ("x", "mastodon", "bluesky", "linkedin", "threads")
NEUTRAL = ""  # the network-neutral feed's key


@dataclass(frozen=True)
class QuoteSource:
    """One public quote, with what every network's post is made from."""

    anchor: str
    order: int  # 0-based position among the story's public quotes: its drip delay
    text: str  # the whole quote
    prefix: str
    hashtags: str
    handles: Mapping[str, str]  # network → the handle to mention there
    url: str  # the quote's address, without tags
    story_title: str
    story_url: str
    campaign: str  # the default utm_campaign (the story's first department)


def post_for(
    quote: QuoteSource, network: str, networks: Sequence[str], campaign: Campaign
) -> SocialPost:
    """The post for ``network`` (``NEUTRAL``: fits every one of ``networks``)."""
    if network == NEUTRAL:
        return compose_post(
            quote.text,
            quote.url,
            fits_all(tuple(networks)),
            prefix=quote.prefix,
            hashtags=quote.hashtags,
        )
    link = campaign.tag(quote.url, source=network, campaign=quote.campaign, content=quote.anchor)
    return compose_post(
        quote.text,
        link,
        LIMITS[network].fits,
        prefix=quote.prefix,
        hashtags=quote.hashtags,
        mention=mention(network, quote.handles),
    )


def release(published: datetime, order: int, interval: timedelta) -> datetime:
    """When a story's ``order``-th quote joins the social feeds."""
    return published + order * interval


def social_item(
    story: FeedItem, quote: QuoteSource, post: SocialPost, released: datetime
) -> FeedItem:
    """The feed item for one quote's post, dated when it was released."""
    return replace(
        story,
        guid=f"{story.guid}#{quote.anchor}",
        title=post.title,
        link=post.link,
        summary=post.text,
        content=(
            f"<p>{escape(quote.text)}</p>"
            f'<p><a href="{escape(quote.story_url)}">{escape(quote.story_title)}</a></p>'
        ),
        published=released,
        updated=max(released, story.updated),
    )


def social_items(
    story: FeedItem,
    quotes: Sequence[QuoteSource],
    *,
    networks: Sequence[str],
    campaign: Campaign,
    interval: timedelta,
    now: datetime,
) -> dict[str, tuple[FeedItem, ...]]:
    """Each feed's items for one story: ``NEUTRAL`` and every network with a feed."""
    keys = [NEUTRAL, *(n for n in FEED_NETWORKS if n in networks)]
    items: dict[str, list[FeedItem]] = {key: [] for key in keys}
    for quote in quotes:
        released = release(story.published, quote.order, interval)
        if released > now:
            continue  # not due yet: a later build releases it
        for key in keys:
            post = post_for(quote, key, networks, campaign)
            items[key].append(social_item(story, quote, post, released))
    return {key: tuple(found) for key, found in items.items()}


def problems_of(post: SocialPost) -> str:
    """What a writer should hear about a post, or ``""``."""
    if post.dropped:
        return f"left out its {', '.join(post.dropped)} to fit"
    return ""
