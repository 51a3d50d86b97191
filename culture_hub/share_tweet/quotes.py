"""Each quote's post and share links, once the page's URL is known. No Pelican import.

Reads a content object through its attributes (``plugin.py`` hands it over at
``content_object_init``) and gives it ``quotes``, ``share_post`` and
``share_links``; the page's HTML gets each quote's links.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from culture_hub.content_model.build import BuildState
from culture_hub.content_model.fields import bluesky_handle, mastodon_handle
from culture_hub.content_model.problems import Level, Problem
from culture_hub.content_model.registry import display_path
from culture_hub.content_model.schema import ARTICLE_KINDS
from culture_hub.content_model.urls import absolute_url
from culture_hub.run import Run

from .campaign import LinkTags
from .compose import Post, compose, hashtag_from, normalise
from .fit import ButtonCut, Cut, button_cut, cuts
from .landing import has_quote_pages, quote_page_address
from .mentions import handles_for
from .networks import LazyShareLinks, ShareLink, share_links
from .render import add_share_links
from .settings import ShareSettings
from .surprises import surprises


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
    page: str = ""  # the quote's own page (site-relative; "" when it has none)
    page_url: str = ""  # its absolute address: what share links and social feeds link

    @property
    def link(self) -> str:
        """The address to share: the quote's page, else the quote in its story."""
        return self.page_url or self.url


X_FIX = "shorten the sentence or the prefix so the whole post fits 280 characters"
# Networks whose feeds the quote-length check covers (those with a social feed).
CHECKED_NETWORKS = ("x", "mastodon", "bluesky", "linkedin", "threads")


class ShareRun:
    """The share capability's part of a run: its settings, read once, not per story."""

    def __init__(self) -> None:
        self.config: ShareSettings | None = None
        self.site_handles: dict[str, str] = {}

    def settings(self, settings: Any) -> ShareSettings:
        if self.config is None:
            self.config = ShareSettings.from_settings(settings)
            mastodon = settings.get("SITE_MASTODON_HANDLE") or ""
            bluesky = settings.get("SITE_BLUESKY_HANDLE") or ""
            self.site_handles = {
                "x": self.config.site_handle,
                # checked when the build starts (feeds' settings): only written as the network does
                "mastodon": mastodon_handle(mastodon) if mastodon else "",
                "bluesky": bluesky_handle(bluesky) if bluesky else "",
            }
        return self.config


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
                X_FIX,
                Level.WARNING,
            )
        ]
    )


def attach_shares(content: Any) -> None:
    """Compose posts for quotes and the whole story; add share links to the HTML."""
    if not hasattr(content, "kind") or getattr(content, "_content", None) is None:
        return  # not read by the culture-hub reader (or a skipped stub)
    state = BuildState.of(content.settings)
    run = Run.of(content.settings).part(ShareRun)
    config = run.settings(content.settings)
    shareable = not getattr(content, "internal", False)
    siteurl = content.settings.get("SITEURL", "")
    story_url = absolute_url(siteurl, content.url)
    pages = shareable and has_quote_pages(content, config.quote_pages, siteurl)
    people = getattr(content, "people", [])
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
        page = quote_page_address(content.url, parsed.anchor) if pages else ""
        page_url = absolute_url(siteurl, page) if page else ""
        tags = LinkTags(config.campaign, campaign, parsed.anchor)
        shared = replace(post, url=page_url) if page_url else post
        links = (
            share_links(shared, config.networks, config.mastodon_instance, tags)
            if shareable
            else []
        )
        found: list[Cut] = []
        if shareable:
            _check_words(state, content, parsed.line, parsed.number, text, parsed.prefix)
        if shareable and siteurl.startswith(("https://", "http://")):
            handles = handles_for(people[0] if people else None, post.via, run.site_handles)
            link_for = partial(_link_for, tags, page_url or url)
            networks = [n for n in CHECKED_NETWORKS if n in config.networks]
            found = cuts(text, prefix=post.prefix, hashtags=post.suffix, handles=handles,
                         link_for=link_for, networks=networks)  # fmt: skip
        button = button_cut(text, parsed.prefix, shared, config.limit) if shareable else None
        _report_cuts(state, content, parsed.line, parsed.number, shared, found, button)
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
                page,
                page_url,
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


def _check_words(  # noqa: PLR0917 - one quote's facts, in the order they come
    state: BuildState, content: Any, line: int, number: int, text: str, prefix: str
) -> None:
    """An error for each ``@name`` or bare address the quote (or its prefix) would post."""
    found = [(f"quote {number}", s) for s in surprises(text)]
    found += [(f"the prefix of quote {number}", s) for s in surprises(prefix)]
    if found:
        path = display_path(Path(content.source_path))
        state.report([Problem(path, line, s.message(where), s.fix()) for where, s in found])


def _link_for(tags: LinkTags, link: str, network: str) -> str:
    return tags(link, network)


def _report_cuts(  # noqa: PLR0917 - one quote's facts, in the order they come
    state: BuildState,
    content: Any,
    line: int,
    number: int,
    post: Post,
    found: list[Cut],
    button: ButtonCut | None = None,
) -> None:
    """One warning for a quote that X (the share links) or a network's feed cuts by more
    than a little; an error for each network where nothing meaningful of it would be
    posted, the X share button included (the same rule as the feeds)."""
    path = display_path(Path(content.source_path))
    problems = []
    if button is not None and button.useless:  # says it for X: the feed's X error would repeat it
        problems.append(Problem(path, line, button.message(number), button.fix()))
        found = [cut for cut in found if cut.network != "x"]
    problems += [
        Problem(path, line, cut.message(number), cut.fix()) for cut in found if cut.useless
    ]
    warned = [c for c in found if not c.useless and c.large and c.network != "x"]
    messages = [cut.message(number) for cut in warned]
    fixes = [cut.fix() for cut in warned]
    if post.truncated and not (button is not None and button.useless):  # the share links' post
        messages.insert(0, f"quote {number} is too long for X and was shortened to: {post.text}")
        fixes.insert(0, X_FIX)
    if messages:
        fix = max(fixes, key=len)  # each network's fix adds to the one before
        problems.append(Problem(path, line, "; ".join(messages), fix, Level.WARNING))
    if problems:
        state.report(problems)


def _story_post(
    content: Any, url: str, *, via: str, suffix: str, config: ShareSettings, state: BuildState
) -> Post:
    tags = [hashtag_from(tag.name) for tag in getattr(content, "tags", [])][: config.story_hashtags]
    hashtags = " ".join(dict.fromkeys(t for t in [suffix, *tags] if t))
    text = getattr(content, "share_text", "") or content.title
    field = "share_text" if getattr(content, "share_text", "") else "title"
    line = getattr(content, "source_lines", {}).get(field, 1)
    _check_story_words(state, content, line, field, text)
    post = compose(text, url, suffix=hashtags, via=via, limit=config.limit)
    if post.truncated:
        _warn_truncated(state, content, line, "the story's share text", post)
    return post


def _check_story_words(state: BuildState, content: Any, line: int, field: str, text: str) -> None:
    """An error for each ``@name`` or bare address the whole story's share post would
    carry: its ``share_text``, else its title, posted as the share bar's text exactly
    as a quote is (so the same words surprise the same way)."""
    if field == "title":
        where = "the title (the words the story's share buttons post)"
        more = "; or add a line 'share_text: …' with the words to post instead of the title"
    else:
        where, more = "'share_text'", ""
    path = display_path(Path(content.source_path))
    problems = []
    for found in surprises(text):
        fix = (
            found.fix()
            if found.kind == "mention"
            else f"leave the address out of the {field}: the post already links the story"
        )
        problems.append(Problem(path, line, found.message(where), fix + more))
    if problems:
        state.report(problems)
