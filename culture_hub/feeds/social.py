"""Social feed items: one per public quote, per network. No Pelican import.

An item's title is the post without its link (prefix, quote, hashtags,
mention), its link the quote's own page (with campaign tags; its link preview
is the quote's card, and it sends visitors on to the quote), its description
the whole post, so a tool that posts ``{title} {url}`` and a tool that posts
the description both send one link, within the network's limit. The
network-neutral feed (``feeds/social.*``) names nobody and fits every enabled
network at once; its GUIDs are the story's GUID plus the quote's anchor.

A network feed's GUID is an address: the quote at the story's *first*
address (``permalink``), without campaign tags. Posting tools read the GUID as
the post's link (feediverse's default ``{title} {url}`` posts ``entry.id``),
so a URN there would be posted as the link; the first address never changes
meaning (old addresses redirect, see ``redirects.py``), so the GUID survives
title changes, edits and renamed files. Only a new ``SITEURL`` changes it.

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
    url: str  # the quote's address in its story, without tags
    story_title: str
    story_url: str
    campaign: str  # the default utm_campaign (the story's first department)
    link: str = ""  # what posts link: the quote's own page ("": ``url``)


def post_for(
    quote: QuoteSource, network: str, networks: Sequence[str], campaign: Campaign
) -> SocialPost:
    """The post for ``network`` (``NEUTRAL``: fits every one of ``networks``)."""
    address = quote.link or quote.url
    if network == NEUTRAL:
        return compose_post(
            quote.text,
            address,
            fits_all(tuple(networks)),
            prefix=quote.prefix,
            hashtags=quote.hashtags,
        )
    link = campaign.tag(address, source=network, campaign=quote.campaign, content=quote.anchor)
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
    story: FeedItem, quote: QuoteSource, post: SocialPost, released: datetime, permalink: str = ""
) -> FeedItem:
    """The feed item for one quote's post, dated when it was released; its GUID is
    ``permalink#anchor`` when a permalink is given, else the story's GUID#anchor."""
    return replace(
        story,
        guid=f"{permalink or story.guid}#{quote.anchor}",
        permalink=bool(permalink),
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
    permalink: str = "",
) -> dict[str, tuple[FeedItem, ...]]:
    """Each feed's items for one story: ``NEUTRAL`` and every network with a feed
    (whose GUIDs are ``permalink#anchor``: the story's first address)."""
    keys = [NEUTRAL, *(n for n in FEED_NETWORKS if n in networks)]
    items: dict[str, list[FeedItem]] = {key: [] for key in keys}
    for quote in quotes:
        released = release(story.published, quote.order, interval)
        if released > now:
            continue  # not due yet: a later build releases it
        for key in keys:
            post = post_for(quote, key, networks, campaign)
            address = permalink if key != NEUTRAL else ""
            items[key].append(social_item(story, quote, post, released, address))
    return {key: tuple(found) for key, found in items.items()}
