"""Linear-time stand-ins for the parts of Python-Markdown that are not.

Stories arrive through pull requests, so a few kilobytes of brackets must not
stop the build. Python-Markdown 3.11 spends time growing with the square of
the input (or worse) on such text, in these places:

* links and images: each ``[`` is scanned to the end of the paragraph for its
  ``]``, and each ``(`` for its ``)`` (``[[[[…`` took 17 s at 20 KB);
* code spans and footnote references: each opening is scanned to the end;
* raw HTML blocks: Python's ``html.parser`` matches each ``<a`` start tag to
  the end of the text, and looks for a ``>`` after each ``</`` or ``<?``;
* block parsing: a block is split one line at a time, and several processors
  search (or split and re-join) the whole rest again before each split
  (``[a]: b`` and ``x`` lines alternating took 36 s at 100 KB);
* nesting: list items, definition lists and ``markdown="1"`` HTML recurse
  once per level, so a line of 10,000 ``- `` raised ``RecursionError``.

:class:`LinearMarkdownExtension` swaps each of these for a subclass that
returns exactly what the original returns, remembering what it has already
found (a partner, or that there is none) instead of looking again. Common
cases (a link closing a few characters on, a short block) take a short
path that does what Python-Markdown does, so ordinary stories cost the same.
A property test compares the output with Python-Markdown's own on random
text of the characters that matter.

One more is only quicker: Python-Markdown tries each of its fifteen inline
patterns on every paragraph, and most paragraphs are plain words that none
can match (each needs a character such as ``[``, ``*`` or ``<``, or two
spaces before a line break). :class:`LinearInlineProcessor` hands such a
text back at once, as Python-Markdown would after trying them all; a
pattern it does not know (another extension's) turns this off.

Two things are bounded rather than made linear, each only past a limit no
real story comes near: lists, quotes and definitions nested more than
:data:`MAX_NESTING` deep stay text, and a text of more than
:data:`TEXT_LIMIT` characters without a blank line gets no inline Markdown
(Python-Markdown copies the paragraph once per match in it) and is reported
through ``md.culture_problems``.
"""

from __future__ import annotations

import _markupbase
import functools
import hashlib
import inspect
import re
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from markdown import Extension, Markdown, util
from markdown.blockparser import BlockParser
from markdown.blockprocessors import (
    BlockProcessor,
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ListIndentProcessor,
    OListProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions import abbr, def_list, footnotes, md_in_html, tables
from markdown.htmlparser import HTMLExtractor, htmlparser
from markdown.inlinepatterns import (
    BacktickInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    dequote,
)
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from culture_hub.content_model.problems import Problem

TEXT_LIMIT = 20_000
"""Longest text between blank lines that gets inline Markdown (real ones are < 3,000)."""
MEMO_MIN = 2_000
"""Blocks shorter than this are searched as Python-Markdown does: that costs
microseconds, while keeping track of them would cost more than it saves."""
MAX_NESTING = 40
"""Lists, quotes and definitions nested deeper than this stay text (real ones: under 10).

Each level re-reads the rest of its line, so ``- - - - …`` costs its length
times the depth; Python's stack alone would allow about 300 levels."""


# --- Facts about the end of a text -------------------------------------------------


class _Tail:
    """What a processor has learnt about how a text ends.

    An inline processor sees one paragraph again and again: after each match
    Markdown puts a placeholder where the match was, so the text is a new
    string whose end is unchanged. Facts are therefore keyed by distance from
    the end (``len(text) - position``): they stay true in every later version
    that ends the same way. :meth:`bind` checks that with one comparison per
    version and starts afresh when the text is another one.
    """

    __slots__ = ("checked", "current", "facts", "text")

    def __init__(self) -> None:
        self.text = ""
        self.current: str | None = None
        self.checked = 0
        self.facts: dict[Any, Any] = {}

    def ready(self, data: str, position: int) -> bool:
        """Whether the facts already hold for ``data[position:]`` (no check needed)."""
        return data is self.current and len(data) - position <= self.checked

    def known(self, data: str, key: tuple[str, int]) -> Any:
        """A fact already learnt about this very text, or None."""
        return self.facts.get(key) if self.ready(data, len(data) - key[1]) else None

    def bind(self, data: str, position: int) -> None:
        """Make the facts true for ``data[position:]`` (forget them if it ends otherwise)."""
        need = len(data) - position
        if data is not self.current:
            self.current = data
            self.checked = len(data) if data is self.text else 0
        if need > self.checked:
            if need <= len(self.text) and self.text.endswith(data[position:]):
                self.checked = need
            else:
                self.text = data
                self.checked = len(data)
                self.facts.clear()


class _Next:
    """The first match of a pattern at or after a point, for points that only move on.

    Scanners ask "is there a ``>`` (or ``?>``, ``]]>``) after here?" at every
    ``<`` of a text; when there is none, the answer is known for every later
    point too, and when there is one, for every point up to it.
    """

    __slots__ = ("found", "pattern", "start", "text")

    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.pattern = re.compile(pattern)  # (a compiled pattern is returned as it is)
        self.text: str | None = None
        self.start = 0
        self.found: re.Match[str] | None = None

    def __call__(self, text: str, at: int) -> re.Match[str] | None:
        found = self.found
        if text is self.text and self.start <= at and (found is None or found.start() >= at):
            return found
        self.text, self.start = text, at
        self.found = self.pattern.search(text, at)
        return self.found


# --- Links and images --------------------------------------------------------------

_BRACKET = re.compile(r"[\[\]]")
_LINK_CHAR = re.compile(r"""[()'"]""")
# Most links close within a few brackets and characters: those are answered
# by a short scan, as Python-Markdown does; only longer ones use the memory.
_QUICK_BRACKETS = 64
_QUICK_LINK = 256


class _LinearBrackets(LinkInlineProcessor):
    """``getText`` and ``getLink`` of Python-Markdown, each ``[`` and ``(`` scanned once.

    A scan for one bracket's partner passes every bracket inside it; their
    partners are noted on the way, so no bracket is scanned for twice.
    """

    _tail: _Tail

    def _linear_init(self) -> None:
        self._tail = _Tail()

    def _close(self, data: str, index: int) -> int:
        """Where the ``]`` matching the ``[`` before ``index`` is, or -1."""
        known = self._tail.known(data, ("[", len(data) - index))
        if known is not None:
            return -1 if known < 0 else len(data) - known
        depth = 1
        for count, match in enumerate(_BRACKET.finditer(data, index)):
            if count == _QUICK_BRACKETS:
                break  # a long way to go: the remembered scan below
            depth += 1 if data[match.start()] == "[" else -1
            if not depth:
                return match.start()
        else:
            return -1
        tail = self._tail
        tail.bind(data, index)
        size = len(data)
        facts = tail.facts
        known = facts.get(("[", size - index))
        if known is None:
            stack = [index]
            for match in _BRACKET.finditer(data, index):
                at = match.start()
                if data[at] == "[":
                    stack.append(at + 1)
                    continue
                facts["[", size - stack.pop()] = size - at
                if not stack:
                    break
            for opened in stack:
                facts["[", size - opened] = -1
            known = facts["[", size - index]
        return -1 if known < 0 else size - known

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        close = self._close(data, index)
        if close < 0:
            return data[index:], len(data), False
        return data[index:close], close + 1, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href = ""
        title: str | None = None
        handled = False
        m = self.RE_LINK.match(data, pos=index)
        if m and m.group(1):
            href = m.group(1)[1:-1].strip()
            if m.group(2):
                title = m.group(2)[1:-1]
            index = m.end(0)
            handled = True
        elif m:
            handled, href, title, index = self._destination(data, m.start(0), m.end(0))
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(title.strip())))
        href = self.unescape(href).strip()
        return href, title, index, handled

    def _destination(self, data: str, paren: int, start: int) -> tuple[bool, str, str | None, int]:
        """The original's character loop over ``(…)``, in two remembered phases.

        Until the first quote, only brackets count: the ``)`` closing this
        ``(`` ends the link. From the first quote on, every ``(`` still open
        continues the same way whatever its start (the quote decides where a
        title closes), so that part is scanned once per quote.
        """
        first = _LINK_CHAR.search(data, start, start + _QUICK_LINK)
        if first is not None and data[first.start()] == ")":  # most links: "(address)"
            return True, data[start : first.start()], None, first.end()
        tail = self._tail
        tail.bind(data, paren)
        size = len(data)
        facts = tail.facts
        key = ("(", size - paren - 1)
        fact = facts.get(key)
        if fact is None:
            self._scan_parens(data, paren + 1)
            fact = facts[key]
        if fact[0] == "close":
            close = size - fact[1]
            return True, data[start:close], None, close + 1
        if fact[0] == "end":
            return False, "", None, size
        return self._from_quote(data, start, fact)

    def _from_quote(
        self, data: str, start: int, fact: tuple[Any, ...]
    ) -> tuple[bool, str, str | None, int]:
        """The destination of a ``(`` still open at the first quote (``fact``)."""
        size = len(data)
        facts = self._tail.facts
        quote_key = ('"', fact[1])
        after = facts.get(quote_key)
        if after is None:
            after = facts[quote_key] = self._scan_quoted(data, size - fact[1])
        if after[0] == "close":
            _, close, href_end, title_start, title_end = after
            title = data[size - title_start : size - title_end]
            return True, data[start : size - href_end], title, size - close + 1
        parens, open_count = after[1], fact[2]
        if len(parens) < open_count:
            return False, "", None, size
        at = size - parens[open_count - 1]
        if data[at] == ")":
            return True, data[start:at], None, at + 1
        return True, data[start:-2], None, -1  # sic: Python-Markdown's result

    def _scan_parens(self, data: str, start: int) -> None:
        """Note how each ``(`` from ``start`` on ends: closed, at a quote, or never."""
        size = len(data)
        facts = self._tail.facts
        stack = [start]
        for match in _LINK_CHAR.finditer(data, start):
            at = match.start()
            char = data[at]
            if char == "(":
                stack.append(at + 1)
            elif char == ")":
                facts["(", size - stack.pop()] = ("close", size - at)
                if not stack:
                    return
            else:
                height = len(stack)
                for depth, opened in enumerate(stack):
                    facts["(", size - opened] = ("quote", size - at, height - depth)
                return
        for opened in stack:
            facts["(", size - opened] = ("end",)

    @staticmethod
    def _scan_quoted(data: str, first: int) -> tuple[Any, ...]:
        """The original loop from the first quote on, with positions counted from the end."""
        size = len(data)
        quote = data[first]
        alt: str | None = None
        start_alt = exit_quote = exit_alt = -1
        parens: list[int] = []
        for match in _LINK_CHAR.finditer(data, first + 1):
            at = match.start()
            char = data[at]
            if char == "(":
                parens.append(size - at)
            elif char == ")":
                before = at - 1  # the last character other than a space, as the loop keeps it
                while before > first and data[before] == " ":
                    before -= 1
                last = data[before]
                if exit_quote >= 0 and last == quote:
                    return (
                        "close",
                        size - at,
                        size - first,
                        size - first - 1,
                        size - exit_quote + 1,
                    )
                if exit_alt >= 0 and last == alt:
                    return (
                        "close",
                        size - at,
                        size - start_alt + 1,
                        size - start_alt,
                        size - exit_alt + 1,
                    )
                parens.append(size - at)
            elif char != quote and alt is None:
                alt, start_alt = char, at + 1
            elif char == quote:
                exit_quote = at + 1
            elif char == alt:
                exit_alt = at + 1
        return ("open", parens)


class LinearLinkInlineProcessor(_LinearBrackets, LinkInlineProcessor):
    """``[text](href "title")``; the text is cut out only once the link is certain."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        start = m.end(0)
        close = self._close(data, start)
        if close < 0:
            return None, None, None
        href, title, index, handled = self.getLink(data, close + 1)
        if not handled:
            return None, None, None
        el = etree.Element("a")
        el.text = data[start:close]
        el.set("href", href)
        if title is not None:
            el.set("title", title)
        return el, m.start(0), index


class LinearImageInlineProcessor(_LinearBrackets, ImageInlineProcessor):
    """``![alt](src "title")``."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        start = m.end(0)
        close = self._close(data, start)
        if close < 0:
            return None, None, None
        src, title, index, handled = self.getLink(data, close + 1)
        if not handled:
            return None, None, None
        el = etree.Element("img")
        el.set("src", src)
        if title is not None:
            el.set("title", title)
        el.set("alt", self.unescape(data[start:close]))
        return el, m.start(0), index


class LinearReferenceInlineProcessor(_LinearBrackets, ReferenceInlineProcessor):
    """``[text][id]``; ``short`` ones are ``[id]`` alone."""

    short: ClassVar[bool] = False

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        start = m.end(0)
        close = self._close(data, start)
        if close < 0:
            return None, None, None
        if self.short:
            ident, end = data[start:close].lower(), close + 1
        else:
            found = self.RE_LINK.match(data, pos=close + 1)
            if not found:
                return None, None, None
            ident, end = found.group(1).lower(), found.end(0)
            if not ident:
                ident = data[start:close].lower()
        ident = self.NEWLINE_CLEANUP_RE.sub(" ", ident)
        if ident not in self.md.references:  # type: ignore[union-attr]
            return None, m.start(0), end
        href, title = self.md.references[ident]  # type: ignore[union-attr]
        return self.makeTag(href, title, data[start:close]), m.start(0), end


class LinearShortReferenceInlineProcessor(LinearReferenceInlineProcessor):
    short = True


class LinearImageReferenceInlineProcessor(LinearReferenceInlineProcessor):
    makeTag = ImageReferenceInlineProcessor.makeTag


class LinearShortImageReferenceInlineProcessor(LinearImageReferenceInlineProcessor):
    short = True


class _FootnoteReferences:
    """``\\[\\^([^\\]]*)\\]`` for the inline footnote processor, found without rescans.

    The regex tries every ``[^`` and runs to the next ``]``; with none left,
    each try reads to the end. Here the first ``[^`` without a ``]`` after it
    ends the search, since no later one can have one either.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def finditer(self, string: str, pos: int = 0) -> Any:
        if len(string) - pos < MEMO_MIN:  # short: the regex's own finditer is quicker
            return self.pattern.finditer(string, pos)
        return self._linear(string, pos)

    def _linear(self, string: str, pos: int) -> Any:
        at = pos
        while (start := string.find("[^", at)) >= 0:
            close = string.find("]", start + 2)
            if close < 0:
                return
            found = self.pattern.match(string, start)
            if found is not None:
                yield found
            at = close + 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


_FOOTNOTE_REFERENCE_RE = r"\[\^([^\]]*)\]"


# --- Code spans --------------------------------------------------------------------

_TICKS = re.compile(r"`+")
_QUICK_RUNS = 16  # a code span's closing among this many runs: the original's walk


class LinearBacktickInlineProcessor(BacktickInlineProcessor):
    """``find_code_spans`` answered from an index of the backtick runs after a point.

    The original walks from each run to the end of the text for a run of the
    same length, remembering the longest other one. Here the runs are listed
    once per text, with, for every run, the longest run from it on; each
    question is then two binary searches.
    """

    _tail: _Tail

    def _linear_init(self) -> None:
        self._tail = _Tail()

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opener = _TICKS.match(text, start)
        max_ticks = opener.end() - start if opener else 0
        start += max_ticks
        if self._tail.ready(text, start) and ("runs", 0) in self._tail.facts:
            return self._indexed(start, max_ticks, text)
        longest = (0, 0)  # the walk of the original, for the first few runs
        for count, run in enumerate(_TICKS.finditer(text, start)):
            if count == _QUICK_RUNS:
                break  # far away or never: answered from the index below
            span = run.end() - run.start()
            if span == max_ticks:
                return start, run.start()
            if span > longest[0]:
                longest = (span, run.start())
        else:
            if 0 < longest[0] < max_ticks:
                return start - (max_ticks - longest[0]), longest[1]
            return start + max_ticks, None
        return self._indexed(start, max_ticks, text)

    def _indexed(self, start: int, max_ticks: int, text: str) -> tuple[int, int | None]:
        """The original walk's answer, from the index of the text's runs."""
        tail = self._tail
        tail.bind(text, start)
        if not tail.facts:
            tail.facts["runs", 0] = self._index(text)
        keys, by_length, longest = tail.facts["runs", 0]
        size = len(text)
        first = bisect_left(keys, start - size)  # the first run at or after ``start``
        same = by_length.get(max_ticks, ())
        nth = bisect_left(same, first)
        if nth < len(same):
            run = same[nth]
            return start, size + keys[run]
        if first < len(keys):
            span, run = longest[first]
            if 0 < span < max_ticks:
                return start - (max_ticks - span), size + keys[run]
        return start + max_ticks, None

    @staticmethod
    def _index(text: str) -> tuple[list[int], dict[int, list[int]], list[Any]]:
        """Runs by position (as ``position - len(text)``), by length, and the longest after each."""
        size = len(text)
        keys: list[int] = []
        lengths: list[int] = []
        by_length: dict[int, list[int]] = {}
        for number, match in enumerate(_TICKS.finditer(text)):
            keys.append(match.start() - size)
            lengths.append(match.end() - match.start())
            by_length.setdefault(lengths[-1], []).append(number)
        longest: list[Any] = [None] * len(keys)
        best = (0, -1)
        for number in range(len(keys) - 1, -1, -1):
            if lengths[number] >= best[0]:  # the first of the longest, as the walk keeps it
                best = (lengths[number], number)
            longest[number] = best
        return keys, by_length, longest


# --- Raw HTML ---------------------------------------------------------------------

# Python-Markdown's start-tag pattern (3.11), taken apart: the tag name, then
# attributes. The whole is matched greedily and nothing after a part can fail,
# so matching the parts one after another ends where the whole would.
_EXPECTED_START_TAG = (
    "\n  <[a-zA-Z][^`\\t\\n\\r\\f />\\x00]*       # tag name <= added backtick here\n"
    "  (?:[\\s/]*                           # optional whitespace before attribute name\n"
    "    (?:(?<=['\"\\s/])[^`\\s/>][^\\s/=>]*  # attribute name <= added backtick here\n"
    "      (?:\\s*=+\\s*                     # value indicator\n"
    "        (?:'[^']*'                    # LITA-enclosed value\n"
    '          |"[^"]*"                    # LIT-enclosed value\n'
    "          |(?!['\"])[^`>\\s]*           # bare value <= added backtick here\n"
    "         )\n"
    "         (?:\\s*,)*                    # possibly followed by a comma\n"
    "       )?(?:\\s|/(?!>))*\n"
    "     )*\n"
    "   )?\n"
    "  \\s*                                 # trailing whitespace\n"
)
_CHECK_SOURCE = "47aa87ac4b7ea3931ae62076502d421db0fbf01c063e01c811ce9b34991f460b"
_ENDTAG_SOURCE = "b035acffd6ed02f6c37e244900b675b02647882448cce905041f525ba044f3c9"
_PI_SOURCE = "69fb2719a954c2b7083e820d56c38faa71550e1b6721db7bea6f18b28f30d5d5"
_BOGUS_SOURCE = "ef1b74f9160817e61e90867550278fb19e8a1161032266194115fadd8d263232"
_SECTION_SOURCE = "9dbf738da49458d8268c1f618c536628dd58a74492fc02e0162d2da5ac7bdd53"
_TAG_NAME_END = re.compile(r"[`\t\n\r\f />\x00]")
_BEFORE_ATTRIBUTES = re.compile(r"[\s/]*")
_ATTRIBUTE = re.compile(
    r"""(?<=['"\s/])[^`\s/>][^\s/=>]*"""
    r"""(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^`>\s]*)(?:\s*,)*)?(?:\s|/(?!>))*"""
)
_SPACES = re.compile(r"\s*")
_GREATER = re.compile(">")
_PI_CLOSE = re.compile(r"\?>")
_SECTION_CLOSE = re.compile(r"]\s*]\s*>")
_MS_SECTION_CLOSE = re.compile(r"]\s*>")


@functools.cache  # by the function object: a patched method is a new one, checked again
def _same_source(function: Callable[..., Any], digest: str) -> bool:
    """Whether ``function``'s source is the one the stand-ins copy. Reading sources
    took 70 ms per Markdown instance, three instances a build, before any reading."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return hashlib.sha256(source.encode()).hexdigest() == digest


def _html_parser_is_known() -> bool:
    """The stand-ins below copy Python 3.11's and Markdown 3.11's parser: use them only then."""
    stdlib = htmlparser.HTMLParser.__mro__[1]  # Markdown's copy of html.parser.HTMLParser
    return (
        htmlparser.locatestarttagend_tolerant.pattern == _EXPECTED_START_TAG
        and _same_source(stdlib.check_for_whole_start_tag, _CHECK_SOURCE)
        and _same_source(stdlib.parse_endtag, _ENDTAG_SOURCE)
        and _same_source(stdlib.parse_pi, _PI_SOURCE)
        and _same_source(stdlib.parse_bogus_comment, _BOGUS_SOURCE)
        and _same_source(_markupbase.ParserBase.parse_marked_section, _SECTION_SOURCE)
        and htmlparser.piclose.pattern == r"\?>"
    )


class _LinearTags(HTMLExtractor):
    """Start and end tags found in one pass over the text, not one per ``<``.

    Every ``<`` of a run like ``<a<a<a`` shares one tag-name end, and every
    attribute boundary leads to the same end of tag, so each is found once.
    """

    def reset(self) -> None:
        super().reset()
        self._marks: tuple[str | None, dict[int, int], list[int]] = (None, {}, [-1, -1])
        self._greater = _Next(_GREATER)
        self._pi_close = _Next(_PI_CLOSE)
        self._section_close = _Next(_SECTION_CLOSE)
        self._ms_section_close = _Next(_MS_SECTION_CLOSE)

    def _start_tag_end(self, rawdata: str, i: int) -> int:
        """``locatestarttagend_tolerant.match(rawdata, i).end()``, remembered."""
        if self._marks[0] is not rawdata:
            self._marks = (rawdata, {}, [-1, -1])
        _, ends, name = self._marks
        if not name[0] <= i + 2 <= name[1]:
            found = _TAG_NAME_END.search(rawdata, i + 2)
            name[:] = [i + 2, found.start() if found else len(rawdata)]
        at = _BEFORE_ATTRIBUTES.match(rawdata, name[1]).end()
        passed = []
        while at not in ends:
            passed.append(at)
            attribute = _ATTRIBUTE.match(rawdata, at)
            if attribute is None:
                ends[at] = _SPACES.match(rawdata, at).end()
                break
            at = attribute.end()
        end = ends[at]
        for boundary in passed:
            ends[boundary] = end
        return end

    def check_for_whole_start_tag(self, i: int) -> int:
        """Python 3.11's method, with the pattern match remembered."""
        rawdata = self.rawdata
        j = self._start_tag_end(rawdata, i)
        following = rawdata[j : j + 1]
        if following == ">":
            return j + 1
        if following == "/":
            if rawdata.startswith("/>", j):
                return j + 2
            return -1
        if following == "" or following in (
            "abcdefghijklmnopqrstuvwxyz=/ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        ):
            return -1
        return j if j > i else i + 1

    def parse_endtag(self, i: int) -> int:
        """Without a ``>`` after it, ``</`` is text: found once, not once per ``</``."""
        if self._greater(self.rawdata, i + 1) is None:
            self.handle_data(self.rawdata[i : i + 2])
            return i + 2
        return int(super().parse_endtag(i))

    def parse_pi(self, i: int) -> int:
        """``<?`` with no ``?>`` after it: Python's parser gives up (-1), found once."""
        if (self.at_line_start() or self.intail) and self._pi_close(self.rawdata, i + 2) is None:
            return -1
        return int(super().parse_pi(i))

    def parse_bogus_comment(self, i: int, report: int = 0) -> int:
        """``<!x`` with no ``>`` after it: -1, as Python's parser says after looking."""
        if self._greater(self.rawdata, i + 2) is None:
            return -1
        return int(super().parse_bogus_comment(i, report))

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """Python's ``<![…[`` parser, with the search for its end remembered."""
        rawdata = self.rawdata
        name, j = self._scan_name(i + 3, i)
        if j < 0:
            return int(j)
        if name in {"temp", "cdata", "ignore", "include", "rcdata"}:
            match = self._section_close(rawdata, i + 3)
        elif name in {"if", "else", "endif"}:
            match = self._ms_section_close(rawdata, i + 3)
        else:
            raise AssertionError(f"unknown status keyword {rawdata[i + 3 : j]!r} in marked section")
        if not match:
            return -1
        if report:
            self.unknown_decl(rawdata[i + 3 : match.start(0)])
        return match.end(0)


class _LinearExtractorExtra(_LinearTags, md_in_html.HTMLExtractorExtra):
    pass


class _LinearExtractor(_LinearTags, HTMLExtractor):
    pass


class LinearHtmlBlockPreprocessorExtra(md_in_html.HtmlBlockPreprocessor):
    """md_in_html's raw HTML preprocessor with the linear tag finder."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _LinearExtractorExtra(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class LinearHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML preprocessor with the linear tag finder."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _LinearExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


# --- Block parsing -----------------------------------------------------------------


class _Lineage:
    """A block, the searches that found nothing in it, and those that found nothing in a
    block it is the end of (true for it too, unless they match at its very start)."""

    __slots__ = ("failed", "pending", "text")

    def __init__(self, text: str, pending: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.failed: set[str] = set()
        self.pending = pending


class _BlockTails:
    """Searches known to find nothing in a block, kept for the rest of that block.

    Python-Markdown often takes one line (or a list marker, or a ``>``) off a
    block and goes on with the rest. A search that found nothing in a block
    finds nothing in its rest either, except at the rest's very start when
    that is not a line start: only that one place is then checked. Nested
    blocks interleave, so a few lines of descent are kept.
    """

    KEEP = 8

    def __init__(self) -> None:
        self.entries: list[_Lineage] = []

    def reset(self) -> None:
        self.entries.clear()

    def _lineage(self, block: str) -> _Lineage:
        for lineage in self.entries:
            if lineage.text is block:
                return lineage
        size = len(block)
        for number, lineage in enumerate(self.entries):
            text = lineage.text
            if size < len(text) and text.endswith(block):
                if text[-size - 1] == "\n":
                    lineage.text = block
                    self.entries.insert(0, self.entries.pop(number))
                    return lineage
                fresh = _Lineage(block, frozenset(lineage.failed | lineage.pending))
                break
        else:
            fresh = _Lineage(block)
        self.entries.insert(0, fresh)
        del self.entries[self.KEEP :]
        return fresh

    def known_to_fail(self, block: str, name: str, anchored: re.Pattern[str]) -> bool:
        """Whether the search ``name`` (``anchored`` at a start) is known to find nothing."""
        lineage = self._lineage(block)
        if name in lineage.failed:
            return True
        if name in lineage.pending and anchored.match(block) is None:
            lineage.failed.add(name)
            return True
        return False

    def note_failure(self, block: str, name: str) -> None:
        self._lineage(block).failed.add(name)


@dataclass(frozen=True)
class _Role:
    """How the careful loop treats one block processor."""

    name: str
    search: str | None = None  # "test", "quote" or "run": what searches the block
    anchor: re.Pattern[str] | None = None  # the search, anchored at a start
    container: bool = False  # nests: declined past MAX_NESTING
    linear: Any = None  # a stand-in for the processor's RE, used on long blocks


class _LinearBlockParser(BlockParser):
    """Python-Markdown's block loop, with a careful path for long or deep blocks.

    A block shorter than :data:`MEMO_MIN`, at an ordinary depth, goes
    through Python-Markdown's own loop unchanged. Otherwise each processor
    is asked as before, except that a search known to find nothing in the
    block (see :class:`_BlockTails`) is not run again, and containers past
    :data:`MAX_NESTING` are passed over.
    """

    _roles: dict[int, _Role]
    _tails: _BlockTails

    def parseBlocks(self, parent: etree.Element, blocks: list[str]) -> None:
        while blocks:
            if len(blocks[0]) < MEMO_MIN and len(self.state) < MAX_NESTING:
                for processor in self.blockprocessors:  # Python-Markdown's own loop
                    if (
                        processor.test(parent, blocks[0])
                        and processor.run(parent, blocks) is not False
                    ):
                        break
            else:
                self._careful_step(parent, blocks)

    @staticmethod
    def _run(processor: Any, role: _Role, parent: etree.Element, blocks: list[str]) -> Any:
        """``processor.run``, with its linear search in place of its RE for a long block."""
        if role.linear is None or len(blocks[0]) < MEMO_MIN:
            return processor.run(parent, blocks)
        original = processor.RE
        processor.RE = role.linear
        try:
            return processor.run(parent, blocks)
        finally:
            processor.RE = original

    def _careful_step(self, parent: etree.Element, blocks: list[str]) -> None:
        tails = self._tails
        deep = len(self.state) >= MAX_NESTING
        for processor in self.blockprocessors:
            block = blocks[0]
            role = self._roles.get(id(processor))
            if role is None:
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    return
                continue
            if role.container and deep:
                continue
            memo = role.search is not None and len(block) >= MEMO_MIN
            if memo and tails.known_to_fail(block, role.name, role.anchor):  # type: ignore[arg-type]
                continue
            if memo and role.search == "quote" and not processor.RE.search(block):
                tails.note_failure(block, role.name)
                continue  # (the quote test is a search, and a depth check not to remember)
            if not processor.test(parent, block):
                if memo and role.search == "test":
                    tails.note_failure(block, role.name)
                continue
            if self._run(processor, role, parent, blocks) is not False:
                return
            if memo and role.search == "run":
                tails.note_failure(block, role.name)  # the original took it out and put it back


class _LinearDetab(BlockProcessor):
    """``detab`` reading only the lines it takes, not splitting and joining the whole rest.

    A definition list takes one item at a time and detabs the rest of the
    block each time: the original split and rejoined all of it.
    """

    def detab(self, text: str, length: int | None = None) -> tuple[str, str]:
        if len(text) < MEMO_MIN:
            return super().detab(text, length)  # type: ignore[no-any-return]
        if length is None:
            length = self.tab_length
        indent = " " * length
        taken: list[str] = []
        start = 0
        while True:
            end = text.find("\n", start)
            line = text[start:] if end < 0 else text[start:end]
            if line.startswith(indent):
                taken.append(line[length:])
            elif not line.strip():
                taken.append("")
            else:
                return "\n".join(taken), text[start:]
            if end < 0:
                return "\n".join(taken), ""
            start = end + 1


class _LineStartSearch:
    """A compiled pattern's ``search``/``finditer``/``match``, without its rescans.

    For line-anchored patterns (footnote and abbreviation definitions) whose
    every attempt scans ahead, across lines, for a closing ``]``: the
    original rescans from each line start, the square of the block's
    length. ``possible(text, at)`` says whether an attempt whose opening ends
    at ``at`` succeeds (``None``: neither it nor any later one); only then is
    the real pattern matched there.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        opening: str,
        possible: Callable[[str, int], bool | None],
    ) -> None:
        self.pattern = pattern
        self._opening = re.compile(opening, re.MULTILINE)
        self._possible = possible

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        for opening in self._opening.finditer(string, pos):
            verdict = self._possible(string, opening.end())
            if verdict is None:
                return None
            if verdict:
                found = self.pattern.match(string, opening.start())
                if found:
                    return found
        return None

    def finditer(self, string: str, pos: int = 0) -> Any:
        found = self.search(string, pos)
        while found is not None:
            yield found
            found = self.search(string, max(found.end(), found.start() + 1))

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(string, pos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


def _footnote_search(pattern: re.Pattern[str]) -> _LineStartSearch:
    """``^[ ]{0,3}\\[\\^([^\\]]*)\\]:…``: an attempt succeeds iff its next ``]`` has a ``:``."""
    close = _Next(r"\]")

    def possible(text: str, at: int) -> bool | None:
        found = close(text, at)
        return None if found is None else text.startswith(":", found.end())

    return _LineStartSearch(pattern, r"^[ ]{0,3}\[\^", possible)


def _abbreviation_search(pattern: re.Pattern[str]) -> _LineStartSearch:
    """``^[*]\\[([^\\\\]*?)\\][ ]?:…``: succeeds iff a ``]:`` comes before any backslash."""
    close = _Next(r"\] ?:")
    backslash = _Next(r"\\")

    def possible(text: str, at: int) -> bool | None:
        found = close(text, at)
        if found is None:
            return None
        stop = backslash(text, at)
        return stop is None or stop.start() >= found.start()

    return _LineStartSearch(pattern, r"^[*]\[", possible)


_FOOTNOTE_RE = r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$"
_ABBREVIATION_RE = r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$"


class LinearSetextHeaderProcessor(SetextHeaderProcessor):
    """A Setext heading takes the block's first two lines; the rest is cut off, not re-joined.

    The original splits the whole block into lines and joins all but two
    again, for every heading: a block of many ``a`` / ``---`` pairs took the
    square of its length.
    """

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        first_end = block.find("\n")
        second_end = block.find("\n", first_end + 1)
        underline = block[first_end + 1 : second_end if second_end >= 0 else len(block)]
        level = 1 if underline.startswith("=") else 2
        heading = etree.SubElement(parent, f"h{level}")
        heading.text = block[:first_end].strip()
        if second_end >= 0:
            blocks.insert(0, block[second_end + 1 :])


class LinearTableProcessor(tables.TableProcessor):
    """The table test, reading only the lines it needs.

    The original splits and strips every line of the block each time; it
    only looks at two, unless a one-column table has to be checked row by
    row, which is now done after (not before) the separator row is checked.
    """

    def test(self, parent: etree.Element, block: str) -> bool:
        first_end = block.find("\n")
        if first_end < 0:
            return False
        second_end = block.find("\n", first_end + 1)
        header0 = block[:first_end].strip(" ")
        second = block[first_end + 1 : second_end if second_end >= 0 else len(block)].strip(" ")
        self.border = tables.PIPE_NONE
        if header0.startswith("|"):
            self.border |= tables.PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= tables.PIPE_RIGHT
        row0_len = len(self._split_row(header0))
        if row0_len <= 1 and not (row0_len == 1 and self.border):
            return False
        row = self._split_row(second)
        if not (len(row) == row0_len and set("".join(row)) <= set("|:- ")):
            return False
        if row0_len == 1:
            for line in block[first_end + 1 :].split("\n"):
                stripped = line.strip(" ")
                if not stripped.startswith("|") and self.RE_END_BORDER.search(stripped) is None:
                    return False
        self.separator = row
        return True


# --- Text too long for inline Markdown ---------------------------------------------


class TextLimitTreeprocessor(Treeprocessor):
    """Shows any text longer than :data:`TEXT_LIMIT` as it is, and reports it.

    Python-Markdown copies a text once for every inline match in it, so an
    endless paragraph costs the square of its length; no real paragraph is
    anywhere near the limit.
    """

    def run(self, root: etree.Element) -> None:
        md: Any = self.md
        if sum(map(len, md.lines)) + len(md.lines) <= TEXT_LIMIT:
            return  # no text can be longer than the whole source
        for element in root.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if (
                    isinstance(value, str)
                    and len(value) > TEXT_LIMIT
                    and not isinstance(value, util.AtomicString)
                ):
                    setattr(element, attribute, util.AtomicString(value))
                    self._report(md, value)

    @staticmethod
    def _report(md: Any, text: str) -> None:
        problems = getattr(md, "culture_problems", None)
        doc = getattr(md, "culture_document", None)
        if problems is None:
            return
        path = doc.path if doc is not None else "<markdown>"
        line = doc.body_line if doc is not None else 1
        if doc is not None:
            at = doc.body.find(text.lstrip()[:80])
            line += doc.body.count("\n", 0, at) if at >= 0 else 0
        problems.append(
            Problem(
                path,
                line,
                f"a paragraph is {len(text):,} characters long, with no blank line; "
                f"over {TEXT_LIMIT:,} it is shown as plain text",
                "split it into paragraphs with blank lines",
            )
        )


# --- The extension -----------------------------------------------------------------

_BLOCKS = (
    "table",
    "setextheader",
    "hashheader",
    "setextheader",
    "hr",
    "deflist",
    "quote",
    "footnote",
    "abbr",
    "reference",
    "indent",
    "defindent",
    "olist",
    "ulist",
    "markdown_block",
)
_INLINE = {
    "backtick": (BacktickInlineProcessor, LinearBacktickInlineProcessor),
    "reference": (ReferenceInlineProcessor, LinearReferenceInlineProcessor),
    "link": (LinkInlineProcessor, LinearLinkInlineProcessor),
    "image_link": (ImageInlineProcessor, LinearImageInlineProcessor),
    "image_reference": (ImageReferenceInlineProcessor, LinearImageReferenceInlineProcessor),
    "short_reference": (ShortReferenceInlineProcessor, LinearShortReferenceInlineProcessor),
    "short_image_ref": (
        ShortImageReferenceInlineProcessor,
        LinearShortImageReferenceInlineProcessor,
    ),
}
# (Setext headings are found with ``match``, at the block's start: cheap, and not
# true of a block's rest when false of the block, so not remembered.)
_SEARCH_TESTS = (
    HashHeaderProcessor,
    HRProcessor,
    def_list.DefListProcessor,
)
_SEARCH_RUNS = (footnotes.FootnoteBlockProcessor, abbr.AbbrBlockprocessor, ReferenceProcessor)
_CONTAINERS = (
    BlockQuoteProcessor,
    ListIndentProcessor,
    OListProcessor,  # and the unordered and sane_lists ones
    def_list.DefListIndentProcessor,
    def_list.DefListProcessor,
    md_in_html.MarkdownInHtmlProcessor,
)


_MIXED: dict[tuple[type, ...], type] = {}


# --- Inline patterns: text none of them can match -------------------------------------

# Every inline pattern Python-Markdown 3.11 registers for the extensions the reader
# uses, by its regular expression, and what a text must hold (any one of) for it to
# match there.
_INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[",),  # footnote
    r"(?<!\!)\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("[",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    (
        '(<(\\/?+[a-zA-Z][^\\s"\'<>@]*+(?:\\s+[^\\s"\'=<>]++(?:\\s*+=\\s*+(?:"[^"]*+"|'
        "'[^']*+'|[^\\s\"'=<>]++))?+)*+\\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]"
        "|!\\[CDATA\\[(?:(?!<!\\[CDATA\\[|\\]\\]>).)*\\]\\])>)"
    ): ("<",),  # html
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
}
# The two methods of Python-Markdown's inline processor the short path relies on: a
# text no pattern matches is handed back unchanged.
_HANDLE_INLINE_SOURCE = "fe27babc114aed0ad06af7b99ad449f4bcf2cadab8ee03065a61d3a1f85caa5b"
_APPLY_PATTERN_SOURCE = "8862b35197c0e6141513cea1ccb124e1d0565027073c8c84795f184ee0387596"


def _pattern_source(processor: Any) -> str | None:
    found = getattr(processor, "compiled_re", None)
    if isinstance(found, _FootnoteReferences):
        found = found.pattern
    return found.pattern if isinstance(found, re.Pattern) else None


@functools.lru_cache(maxsize=64)
def _needs_regex(needs: frozenset[str]) -> re.Pattern[str]:
    singles = "".join(sorted(n for n in needs if len(n) == 1))
    parts = [f"[{re.escape(singles)}]"] if singles else []
    parts += [re.escape(n) for n in sorted(n for n in needs if len(n) > 1)]
    return re.compile("|".join(parts) or r"(?!)")


def inline_needs(patterns: Any) -> re.Pattern[str] | None:
    """What a text must hold for any of ``patterns`` to match in it, as one regex; ``None``
    when one of them is not known here (another extension's): then every text is tried."""
    needs: set[str] = set()
    for processor in patterns:
        found = _INLINE_NEEDS.get(_pattern_source(processor) or "")
        if found is None:
            return None
        needs.update(found)
    return _needs_regex(frozenset(needs))


class LinearInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, handing back at once a text in which no
    inline pattern can match (most paragraphs: plain words), instead of trying each
    of its fifteen patterns on it: a quarter of the time spent reading a story."""

    needs: re.Pattern[str] | None = None

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.needs = inline_needs(self.inlinePatterns)  # the patterns of this document
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if (
            self.needs is not None
            and not isinstance(data, util.AtomicString)
            and self.needs.search(data) is None
        ):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


def _inline_is_known() -> bool:
    return _same_source(
        InlineProcessor._InlineProcessor__handleInline,
        _HANDLE_INLINE_SOURCE,  # type: ignore[attr-defined]
    ) and _same_source(
        InlineProcessor._InlineProcessor__applyPattern,
        _APPLY_PATTERN_SOURCE,  # type: ignore[attr-defined]
    )


def _mixed(*bases: type) -> type:
    """One class made of ``bases`` (made once, so every Markdown instance shares it)."""
    if bases not in _MIXED:
        _MIXED[bases] = type(f"Linear{bases[-1].__name__}", bases, {})
    return _MIXED[bases]


def _with(instance: Any, *mixins: type) -> None:
    """Give ``instance`` the mixins' methods, keeping its state and its own class's behaviour."""
    instance.__class__ = _mixed(*mixins, type(instance))


class LinearMarkdownExtension(Extension):
    """Swaps Python-Markdown's super-linear processors for the linear ones above.

    Load it after the extensions whose processors it replaces (``extra``,
    ``sane_lists``); only processors of exactly the known classes are
    replaced, so another extension's own processor is left alone.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tails = _BlockTails()

    def reset(self) -> None:
        self.tails.reset()

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        for name, (original, linear) in _INLINE.items():
            if name in md.inlinePatterns and type(md.inlinePatterns[name]) is original:
                processor = md.inlinePatterns[name]
                processor.__class__ = linear
                processor._linear_init()
        if "footnote" in md.inlinePatterns:
            processor = md.inlinePatterns["footnote"]
            if (
                type(processor) is footnotes.FootnoteInlineProcessor
                and processor.compiled_re.pattern == _FOOTNOTE_REFERENCE_RE
            ):
                processor.compiled_re = _FootnoteReferences(processor.compiled_re)
        if _html_parser_is_known() and "html_block" in md.preprocessors:
            current = md.preprocessors["html_block"]
            if type(current) is md_in_html.HtmlBlockPreprocessor:
                current.__class__ = LinearHtmlBlockPreprocessorExtra
            elif type(current) is HtmlBlockPreprocessor:
                current.__class__ = LinearHtmlBlockPreprocessor
        self._blocks(md)
        md.treeprocessors.register(TextLimitTreeprocessor(md), "text_limit", 25)
        processors = md.treeprocessors
        inline = processors["inline"] if "inline" in processors else None  # noqa: SIM401 - a Registry
        if type(inline) is InlineProcessor and _inline_is_known():
            inline.__class__ = LinearInlineProcessor

    def _blocks(self, md: Markdown) -> None:
        registry = md.parser.blockprocessors
        roles: dict[int, _Role] = {}
        for name in _BLOCKS:
            if name in registry:
                role = self._adjust(registry[name], name)
                if role is not None:
                    roles[id(registry[name])] = role
        for processor in registry:
            if type(processor).detab is BlockProcessor.detab:
                _with(processor, _LinearDetab)
        if type(md.parser) is BlockParser:
            md.parser.__class__ = _LinearBlockParser
            parser: Any = md.parser
            parser._roles = roles
            parser._tails = self.tails

    @staticmethod
    def _adjust(processor: Any, name: str) -> _Role | None:
        """The stand-ins for one block processor, by its exact class, and its role."""
        kind = type(processor)
        if kind is tables.TableProcessor:
            processor.__class__ = LinearTableProcessor
            return None
        if kind is SetextHeaderProcessor:
            processor.__class__ = LinearSetextHeaderProcessor
            return None
        linear = None
        if kind is footnotes.FootnoteBlockProcessor and processor.RE.pattern == _FOOTNOTE_RE:
            linear = _footnote_search(processor.RE)
        if kind is abbr.AbbrBlockprocessor and processor.RE.pattern == _ABBREVIATION_RE:
            linear = _abbreviation_search(processor.RE)
        search = (
            "test"
            if kind in _SEARCH_TESTS
            else "quote"
            if kind is BlockQuoteProcessor
            else "run"
            if kind in _SEARCH_RUNS
            else None
        )
        container = isinstance(processor, _CONTAINERS)
        if search is None and not container:
            return None
        anchor = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
        return _Role(name, search, anchor if search else None, container, linear)


def makeExtension(**kwargs: Any) -> LinearMarkdownExtension:
    return LinearMarkdownExtension(**kwargs)
