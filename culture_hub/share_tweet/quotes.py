"""Each quote's post and share links, once the page's URL is known. No Pelican import.

Reads a content object through its attributes (``plugin.py`` hands it over at
``content_object_init``) and gives it ``quotes``, ``share_post`` and
``share_links``; the page's HTML gets each quote's links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.problems import Level, Problem
from culture_hub.content_model.registry import display_path
from culture_hub.content_model.schema import ARTICLE_KINDS
from culture_hub.content_model.urls import absolute_url

from .campaign import LinkTags
from .compose import Post, compose, hashtag_from, normalise
from .networks import LazyShareLinks, ShareLink, share_links
from .render import add_share_links
from .settings import ShareSettings


@dataclass(frozen=True)
class Quote:
    """A quote as data, for templates and feeds."""

    number: int
    anchor: str
    text: str
    post: Post
    url: str
    story_url: str
    links: tuple[ShareLink, ...]
    line: int


def _defaults(content: Any, config: ShareSettings) -> tuple[str, str]:
    """The default ``via`` handle and hashtag suffix for this content."""
    people = getattr(content, "people", [])
    via = people[0].x if people and people[0].x else config.site_handle
    departments = getattr(content, "departments", [])
    suffix = departments[0].hashtag if departments else ""
    return via, suffix


def _warn_truncated(state: BuildState, content: Any, line: int, what: str, post: Post) -> None:
    state.report(
        [
            Problem(
                display_path(Path(content.source_path)),
                line,
                f"{what} is too long for X and was shortened to: {post.text}",
                "shorten the sentence or the prefix so the whole post fits 280 characters",
                Level.WARNING,
            )
        ]
    )


def attach_shares(content: Any) -> None:
    """Compose posts for quotes and the whole story; add share links to the HTML."""
    if not hasattr(content, "kind") or getattr(content, "_content", None) is None:
        return  # not read by the culture-hub reader (or a skipped stub)
    state = BuildState.of(content.settings)
    config = ShareSettings.from_settings(content.settings)
    shareable = not getattr(content, "internal", False)
    story_url = absolute_url(content.settings.get("SITEURL", ""), content.url)
    via, suffix = _defaults(content, config)
    departments = getattr(content, "departments", [])
    campaign = departments[0].id if departments else ""

    quotes: list[Quote] = []
    texts = getattr(content, "quote_texts", {})
    for parsed in getattr(content, "inline_quotes", []):
        url = f"{story_url}#{parsed.anchor}"
        text = normalise(texts.get(parsed.anchor, ""))
        post = compose(
            text,
            url,
            prefix=parsed.prefix,
            suffix=parsed.suffix or suffix,
            via=parsed.tweeter or via,
            limit=config.limit,
        )
        if post.truncated:
            _warn_truncated(state, content, parsed.line, f"quote {parsed.number}", post)
        tags = LinkTags(config.campaign, campaign, parsed.anchor)
        links = (
            share_links(post, config.networks, config.mastodon_instance, tags) if shareable else []
        )
        quotes.append(
            Quote(
                parsed.number,
                parsed.anchor,
                text,  # the whole quote; post.quote is what fits the post
                post,
                url,
                story_url,
                tuple(links),
                parsed.line,
            )
        )
    if quotes:  # fill the placeholders (with nothing when the story is internal)
        by_anchor = {q.anchor: list(q.links) for q in quotes}
        content._content = add_share_links(content._content, lambda a: by_anchor.get(a, []))
    content.quotes = quotes
    content.share_links = []
    if content.kind in ARTICLE_KINDS and shareable:
        content.share_post = _story_post(
            content, story_url, via=via, suffix=suffix, config=config, state=state
        )
        content.share_links = LazyShareLinks(
            content.share_post,
            config.networks,
            config.mastodon_instance,
            LinkTags(config.campaign, campaign, ""),
        )


def _story_post(
    content: Any, url: str, *, via: str, suffix: str, config: ShareSettings, state: BuildState
) -> Post:
    tags = [hashtag_from(tag.name) for tag in getattr(content, "tags", [])][: config.story_hashtags]
    hashtags = " ".join(dict.fromkeys(t for t in [suffix, *tags] if t))
    text = getattr(content, "share_text", "") or content.title
    post = compose(text, url, suffix=hashtags, via=via, limit=config.limit)
    if post.truncated:
        field = "share_text" if getattr(content, "share_text", "") else "title"
        line = getattr(content, "source_lines", {}).get(field, 1)
        _warn_truncated(state, content, line, "the story's share text", post)
    return post
