"""Summaries as inline HTML: Markdown only when the text has anything Markdown would change.

Most summaries are one plain sentence, for which Python-Markdown returns the
text itself inside ``<p>``; converting them anyway was a tenth of reading a
story. ``PLAIN`` matches only text whose conversion is exactly that (a
property test checks it against Markdown): one line, no character that
starts markup or an entity, and nothing at the start that opens a block
(heading, list, quote, code) or at either end that Markdown would trim.
"""

from __future__ import annotations

import re

from markdown import Markdown

_MARKUP = r"\\`*_\[\]<>&#!\x00-\x1f\x7f"
_BREAKS = r"\n\r\u2028\u2029\x85\x0b\x0c"
PLAIN = re.compile(rf"[^\s\d+>=\-{_MARKUP}](?:[^{_MARKUP}{_BREAKS}]*[^\s{_MARKUP}])?")


def inline_html(md: Markdown, text: str) -> str:
    """``text`` rendered by ``md`` without its paragraph: the text itself when it is plain."""
    if PLAIN.fullmatch(text):
        return text
    return md.reset().convert(text).removeprefix("<p>").removesuffix("</p>")
