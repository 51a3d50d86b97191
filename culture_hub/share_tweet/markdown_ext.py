"""Python-Markdown extension: turn shortcodes into highlighted quote anchors.

Enabled through Pelican's ``MARKDOWN`` setting
(``"culture_hub.share_tweet.markdown_ext:InlineTweetExtension"``). It runs before fenced
code is stashed, so line numbers are the writer's. When the culture-hub reader
drives Markdown it sets ``md.culture_document``; the parsed quotes go to
``md.culture_metadata["inline_quotes"]`` and problems to ``md.culture_problems``.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from .render import mark_quotes
from .shortcode import parse

PRIORITY = 29  # after whitespace normalising (30), before fenced code (25) and HTML (20)


class InlineTweetPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        md: Any = self.md
        doc = getattr(md, "culture_document", None)
        path = doc.path if doc is not None else "<markdown>"
        first = doc.body_line if doc is not None else 1
        parsed = parse("\n".join(lines), path, first)
        if hasattr(md, "culture_metadata"):
            md.culture_metadata["inline_quotes"] = parsed.quotes
        if hasattr(md, "culture_problems"):
            md.culture_problems.extend(parsed.problems)
        return parsed.text.split("\n")


class QuoteTextPostprocessor(Postprocessor):
    """After raw HTML is restored: each quote's plain text, and a place for its links."""

    def run(self, text: str) -> str:
        md: Any = self.md
        if not getattr(md, "culture_metadata", {}).get("inline_quotes"):
            return text
        html, texts = mark_quotes(text)
        md.culture_metadata["quote_texts"] = texts
        return html


class InlineTweetExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(InlineTweetPreprocessor(md), "inline_tweet", PRIORITY)
        # after raw HTML (30) and ampersands (20) are restored
        md.postprocessors.register(QuoteTextPostprocessor(md), "inline_tweet_text", 5)


def makeExtension(**kwargs: Any) -> InlineTweetExtension:
    return InlineTweetExtension(**kwargs)
