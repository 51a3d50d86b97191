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
import re
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


_MARK = re.compile(r'<mark class="inline-quote" id="(quote-\d+)">')
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BLOCK = frozenset({"p", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
WHERE = {
    "heading": (
        "an [inlinetweet] inside a heading: its share links would sit in the heading",
        "move the quote into a paragraph below the heading",
    ),
    "a": (
        "an [inlinetweet] inside a link's text: its share links would sit inside the link",
        "put the quote outside the [link text](…), or the link outside the quote",
    ),
    "alt": (
        "an [inlinetweet] inside a picture's alt text is never shown",
        "write the alt text plainly and put the quote in a paragraph",
    ),
    "block": (
        "an [inlinetweet] runs across list items, a list marker or a heading",
        "keep the quote inside one list item or paragraph, after its '-' or '1.'",
    ),
    "link": (
        "a link inside an [inlinetweet] quote: the shared post would carry the link's "
        "words without its address",
        "put the link before or after the quote, outside [inlinetweet]…[/inlinetweet]",
    ),
}


def misplaced_quotes(html: str, quotes: list[Any], path: str) -> tuple[str, list[Problem]]:
    """``html`` with misplaced quotes unwrapped to plain text, and an error for each.

    One linear walk over the tags keeps count of open headings and links.
    """
    problems: list[Problem] = []
    by_anchor = {q.anchor: q for q in quotes}
    seen: set[str] = set()
    bad: dict[str, str] = {}
    open_headings = open_links = 0
    current: str | None = None  # the quote being walked through
    for tag in _TAG.finditer(html):
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        mark = _MARK.match(html, tag.start())
        if mark:
            current = mark.group(1)
            seen.add(current)
            if open_headings or open_links:
                bad.setdefault(current, "heading" if open_headings else "a")
            continue
        if name == "mark" and closing:
            current = None
        elif current is not None and (name in _BLOCK or (name == "a" and not closing)):
            bad.setdefault(current, "link" if name == "a" else "block")
        if name in _HEADINGS:
            open_headings += -1 if closing else 1
        elif name == "a":
            open_links += -1 if closing else 1
    for anchor in by_anchor:
        if anchor not in seen:
            bad[anchor] = "alt"
    for anchor, where in sorted(bad.items(), key=lambda item: by_anchor[item[0]].number):
        message, fix = WHERE[where]
        problems.append(Problem(path, by_anchor[anchor].line, message, fix))
        if where != "link":  # shown as plain text, without share links
            html = _unwrap(html, anchor)
    return html, problems


def _unwrap(html: str, anchor: str) -> str:
    """Remove the quote's ``<mark>``, the first ``</mark>`` after it and its links' place."""
    html = html.replace(f' <span class="quote-share" id="share-{anchor}"></span>', "", 1)
    escaped = f"&lt;mark class=&quot;inline-quote&quot; id=&quot;{anchor}&quot;&gt;"
    at = html.find(escaped)  # in an attribute (alt text): Markdown escaped it
    if at >= 0:
        end = html.find("&lt;/mark&gt;", at)
        rest = html[at + len(escaped) :]
        if end >= 0:
            rest = html[at + len(escaped) : end] + html[end + len("&lt;/mark&gt;") :]
        return html[:at] + rest
    opening = f'<mark class="inline-quote" id="{anchor}">'
    at = html.find(opening)
    if at < 0:
        return html
    end = html.find("</mark>", at)
    if end < 0:
        return html[:at] + html[at + len(opening) :]
    return html[:at] + html[at + len(opening) : end] + html[end + len("</mark>") :]


def _check_placement(md: Markdown) -> None:
    """Make ``md.convert`` refuse quotes where they cannot be shared (see ``WHERE``).

    This reads the whole page once it is written out: postprocessors also
    run on pieces (the table of contents runs them on each heading).
    Misplaced quotes are shown as plain text, without share links.
    """
    convert = md.convert

    def checked(source: str) -> str:
        page = convert(source)
        state: Any = md
        meta = getattr(state, "culture_metadata", None)
        quotes = meta.get("inline_quotes") if meta else None
        if not quotes:
            return page
        doc = getattr(state, "culture_document", None)
        page, problems = misplaced_quotes(page, quotes, doc.path if doc else "<markdown>")
        if problems:
            state.culture_problems.extend(problems)
            kept = [q for q in quotes if f'id="{q.anchor}"' in page]
            meta["inline_quotes"] = kept
            texts = meta.get("quote_texts", {})
            meta["quote_texts"] = {q.anchor: texts[q.anchor] for q in kept if q.anchor in texts}
        return page

    md.convert = checked  # type: ignore[method-assign]


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
        _check_placement(md)


def makeExtension(**kwargs: Any) -> InlineTweetExtension:
    return InlineTweetExtension(**kwargs)
