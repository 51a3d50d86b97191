"""Python-Markdown extension: turn shortcodes into highlighted quote anchors.

Enabled through Pelican's ``MARKDOWN`` setting
(``"culture_hub.share_tweet.markdown_ext:InlineTweetExtension"``). It runs before fenced
code is stashed, so line numbers are the writer's. When the culture-hub reader
drives Markdown it sets ``md.culture_document``; the parsed quotes go to
``md.culture_metadata["inline_quotes"]`` and problems to ``md.culture_problems``.

Writers' Markdown arrives through pull requests, so the extension also makes
Python-Markdown's work bounded on any input: it loads the linear-time
processors of :mod:`share_tweet.linear_markdown` (it is listed last in
``MARKDOWN``, after the extensions whose processors those replace), and a
text nested deeper than Python's stack allows becomes plain text and a
located error instead of a ``RecursionError`` that would stop the build.
"""

from __future__ import annotations

import html
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from culture_hub.content_model.problems import Problem

from .linear_markdown import LinearMarkdownExtension
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


def _plain_when_too_deep(md: Markdown) -> None:
    """Make ``md.convert`` answer a too deeply nested text with plain text and an error.

    Python-Markdown recurses once per level of nesting in several places
    (lists, ``markdown="1"`` HTML, restoring raw HTML, writing the tree out),
    so only its one entry point can catch every ``RecursionError``. Depth
    is cut off well before Python's own stack can overflow, so catching is safe.
    """
    convert = md.convert

    def guarded(source: str) -> str:
        try:
            return convert(source)
        except RecursionError:
            state: Any = md
            doc = getattr(state, "culture_document", None)
            if hasattr(state, "culture_problems"):
                state.culture_problems.append(
                    Problem(
                        doc.path if doc is not None else "<markdown>",
                        doc.body_line if doc is not None else 1,
                        "the text puts lists, quotes or HTML inside each other too many levels "
                        "deep to be read; it is shown as plain text",
                        "use at most a few levels of lists and quotes",
                    )
                )
            if hasattr(state, "culture_metadata"):
                state.culture_metadata.pop("inline_quotes", None)
                state.culture_metadata.pop("quote_texts", None)
            return f"<pre>{html.escape(source, quote=False)}</pre>"

    md.convert = guarded  # type: ignore[method-assign]


class InlineTweetExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(InlineTweetPreprocessor(md), "inline_tweet", PRIORITY)
        # after raw HTML (30) and ampersands (20) are restored
        md.postprocessors.register(QuoteTextPostprocessor(md), "inline_tweet_text", 5)
        LinearMarkdownExtension().extendMarkdown(md)
        _plain_when_too_deep(md)


def makeExtension(**kwargs: Any) -> InlineTweetExtension:
    return InlineTweetExtension(**kwargs)
