"""Campaign (UTM) tags on the links people share. No Pelican import.

"Measure" is the last step of every internal-social plan: a link tagged with
the network it was posted on, ``medium=social``, a campaign (by default the
story's first department) and the quote's anchor tells the analytics which
department, quote and network brought a reader. Tags go only on links meant
for posting (social feeds, share links): GUIDs and pages' canonical links
stay clean, so a tagged visit still counts for the one page.

Bluesky counts a link's every character against its 300 (X and Mastodon count
any link as 23), so there every tag costs the quote room: its links carry only
the tags ``short_tags`` names (``SOCIAL_UTM_BLUESKY``; by default the network
and the medium: the campaign and the quote can be read from the quote page's
own address).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Networks that count a link's every character against a tight limit.
SHORT_TAG_NETWORKS = frozenset({"bluesky"})
UTM_TAGS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True)
class Campaign:
    """What to tag: ``enabled`` off leaves every link clean."""

    enabled: bool = True
    medium: str = "social"
    name: str = ""  # "" → the story's first department (its id), else nothing
    short_tags: tuple[str, ...] = ("utm_source", "utm_medium")  # kept on SHORT_TAG_NETWORKS

    def tag(self, url: str, *, source: str, campaign: str = "", content: str = "") -> str:
        """``url`` with ``utm_*`` added to its query, before its ``#fragment``.

        Tags already in the address are replaced, never doubled, and a relative
        address (a dev build) stays relative.
        """
        if not self.enabled or not url:
            return url
        tags = {
            "utm_source": source,
            "utm_medium": self.medium,
            "utm_campaign": self.name or campaign,
            "utm_content": content,
        }
        if source in SHORT_TAG_NETWORKS:
            tags = {key: (v if key in self.short_tags else "") for key, v in tags.items()}
        if "?" not in url:  # no query to keep (every story's link): the quick way, same result
            address, _, fragment = url.partition("#")
            query = urlencode([(k, v) for k, v in tags.items() if v])
            if not query:
                return url
            return f"{address}?{query}#{fragment}" if fragment else f"{address}?{query}"
        parts = urlsplit(url)
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in tags]
        query = urlencode(kept + [(k, v) for k, v in tags.items() if v])
        return urlunsplit(parts._replace(query=query))


@dataclass(frozen=True)
class LinkTags:
    """The tags of one shared thing (a quote, a story), for any network: a plain
    object rather than a closure, so content that carries it can be pickled."""

    campaign: Campaign
    name: str  # the default utm_campaign: the story's first department
    content: str  # utm_content: the quote's anchor ("" for the whole story)

    def __call__(self, url: str, network: str) -> str:
        return self.campaign.tag(url, source=network, campaign=self.name, content=self.content)
