"""Words in a quote a network would turn into what the writer did not mean. No Pelican import.

A quote is posted as text. ``@someone`` in it mentions (and notifies) whoever
holds that name on each network the post goes to, a different person on
each; a bare address (``example.com``, ``README.md``: ``.md`` is a country's
domain) becomes a link on X and Bluesky, and every network counts it
differently. Neither is what a reader of the story saw, so both are errors at
the quote's line, in plain words, with the fix. An e-mail address is neither
(networks leave it as text).
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from types import ModuleType

# "@name", "@name.bsky.social", "@user@server" (and X's full-width at sign), not in an e-mail.
# A full stop before it does not stop it: ".@name" mentions on X and Mastodon.
_MENTION = re.compile(r"(?<![\w@＠])[@＠][A-Za-z0-9_]+(?:[.@][A-Za-z0-9_-]+)*")  # noqa: RUF001
_SCHEME = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
# A dot before a letter or digit: every link twitter-text finds has one.
_DOMAIN_DOT = re.compile(r"\.[A-Za-z0-9]")


@functools.cache
def _twitter_text() -> ModuleType:
    return importlib.import_module("twitter_text")


@dataclass(frozen=True)
class Surprise:
    """One word of a quote that would post as a mention or a link."""

    kind: str  # "mention" or "link"
    text: str

    def message(self, where: str) -> str:
        if self.kind == "mention":
            return (
                f"{where} holds “{self.text}”: posted, it would mention and notify whoever "
                f"has that name on each network, not who you mean"
            )
        return (
            f"{where} holds “{self.text}”: posted, X and Bluesky turn it into a link "
            f"the post did not mean to carry"
        )

    def fix(self) -> str:
        if self.kind == "mention":
            return (
                f"write the name without the @ (“{self.text.lstrip('@＠')}”); the author's "  # noqa: RUF001
                "own handle is added to each post as 'via @…'"
            )
        return "put the address in the story, before or after the quote, not inside it"


def surprises(text: str) -> list[Surprise]:
    """The mentions and links ``text`` would make when posted, in order of appearance."""
    found: list[tuple[int, Surprise]] = []
    if "@" in text or "＠" in text:  # noqa: RUF001
        found += [(m.start(), Surprise("mention", m[0])) for m in _MENTION.finditer(text)]
    if _DOMAIN_DOT.search(text) or "://" in text:  # else no link: twitter-text stays unloaded
        links = {m.start(): m[0] for m in _SCHEME.finditer(text)}
        for url in _twitter_text().extract_urls_with_indices(text):
            start = url["indices"][0]
            if not any(s <= start < s + len(u) for s, u in links.items()):
                links[start] = url["url"]
        found += [(start, Surprise("link", url)) for start, url in links.items()]
    return [surprise for _, surprise in sorted(found, key=lambda pair: pair[0])]
