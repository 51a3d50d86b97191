"""Python-Markdown extension: turn shortcodes into highlighted quote anchors.

Enabled through Pelican's ``MARKDOWN`` setting
(``"share_tweet.markdown_ext:InlineTweetExtension"``). It runs before fenced
code is stashed, so line numbers are the writer's. When the culture-hub reader
drives Markdown it sets ``md.culture_document``; the parsed quotes go to
``md.culture_metadata["inline_quotes"]`` and problems to ``md.culture_problems``.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

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


class InlineTweetExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(InlineTweetPreprocessor(md), "inline_tweet", PRIORITY)


def makeExtension(**kwargs: Any) -> InlineTweetExtension:
    return InlineTweetExtension(**kwargs)
