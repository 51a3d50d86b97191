"""Parse WordPress Inline Tweet Sharer shortcodes in a Markdown body.

``[inlinetweet prefix="" tweeter="" suffix="#Tag"]quote[/inlinetweet]`` becomes
``<mark class="inline-quote" id="quote-N">quote</mark>`` so Markdown still
renders emphasis and links inside the quote; the attributes are kept as data.
Broken markup is reported with its line and the markers are removed, so raw
shortcode text never reaches a page. No Pelican or Markdown import here.

Bodies come from pull requests, so every scan here is linear in the body's
length: code spans are found from the list of backtick runs (the regex
``(`+)(?:(?!\1).)+?\1`` took minutes on a line of backticks), attributes are
read word by word, and protected ranges and line numbers are looked up by
binary search.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from culture_hub.content_model.problems import Level, Problem

ATTRIBUTES = ("prefix", "tweeter", "suffix")
DOUBLE_QUOTES = '"“”″„'
TOKEN = re.compile(r"\[(?P<close>/)?inlinetweet\b(?P<attrs>[^\[\]\n]*)(?P<end>\])?", re.IGNORECASE)
ATTRIBUTE = re.compile(
    rf"(?P<name>[A-Za-z_][\w-]*)\s*=\s*"
    rf"(?:'(?P<single>[^'\n]*)'|[{DOUBLE_QUOTES}](?P<double>[^{DOUBLE_QUOTES}\n]*)[{DOUBLE_QUOTES}]"
    rf"|(?P<bare>[^\s'{DOUBLE_QUOTES}]+))"
)
_NAME_START = re.compile(r"[A-Za-z_]")
_NAME_REST = re.compile(r"[\w-]*")
FENCED = re.compile(r"^[ \t]{0,3}(```|~~~).*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_TICKS = re.compile(r"`+")
INDENTED = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t).*(?:\n|\Z))+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Another WordPress shortcode: ``[name attr="…"]``, ``[/name]``, or a bare ``[name]`` of
# a shortcode WordPress ships (a bare ``[word]`` is otherwise ordinary Markdown text).
OTHER_SHORTCODE = re.compile(
    r"\[(?P<close>/)?(?P<name>[A-Za-z][\w-]{0,40})"
    r"(?P<attrs>(?:[ \t]+[\w-]{1,40}=(?:\"[^\"\]\n]*\"|'[^'\]\n]*'|[^\s\]'\"]+))*)[ \t]*/?\]"
    r"(?![(\[:])"
)
WORDPRESS_SHORTCODES = frozenset(
    {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist", "wp_video"}
)
# A list item's or heading's marker at the start of a line (Markdown's own shapes).
BLOCK_MARKER = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)]|#{1,6})(?:[ \t]|$)")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@dataclass(frozen=True)
class ParsedQuote:
    """One well-formed shortcode: its number on the page, line, and attributes."""

    number: int
    line: int
    prefix: str = ""
    tweeter: str = ""
    suffix: str = ""

    @property
    def anchor(self) -> str:
        return f"quote-{self.number}"


@dataclass
class Parsed:
    text: str
    quotes: list[ParsedQuote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _inline_code(body: str) -> list[tuple[int, int]]:
    """The code spans of ``(`+)(?:(?!\\1).)+?\\1`` (DOTALL), as ``finditer`` finds them.

    An attempt at a backtick with ``k`` of them up to the run's end closes at
    the first later run of at least ``k2`` backticks, for the largest ``k2``
    above ``k / 2`` that some later run reaches (with fewer, the opening's own
    rest would start a closing). So a suffix maximum of run lengths answers
    each attempt at once, and the forward scan for the closing is never
    repeated: the span it crosses is consumed.
    """
    runs = [m.span() for m in _TICKS.finditer(body)]
    longest = [0] * (len(runs) + 1)  # longest[r]: the longest run from run r on
    for number in range(len(runs) - 1, -1, -1):
        longest[number] = max(longest[number + 1], runs[number][1] - runs[number][0])
    spans: list[tuple[int, int]] = []
    cursor = 0
    number = 0
    while number < len(runs):
        run_start, run_end = runs[number]
        later = longest[number + 1]
        for start in range(max(run_start, cursor), run_end):
            ticks = min(run_end - start, later)
            if 2 * ticks > run_end - start:
                closing = number + 1
                while runs[closing][1] - runs[closing][0] < ticks:
                    closing += 1
                cursor = runs[closing][0] + ticks
                spans.append((start, cursor))
                number = closing
                break
        else:
            number += 1
    return spans


def _protected(body: str) -> list[tuple[int, int]]:
    """Ranges of code (fenced, indented, inline) and HTML comments: shortcodes there are text."""
    spans = [m.span() for m in FENCED.finditer(body)]
    spans += [m.span() for m in INDENTED.finditer(body)]
    spans += _inline_code(body)
    spans += [m.span() for m in HTML_COMMENT.finditer(body)]
    return spans


class _Ranges:
    """Whether an offset lies in any of some (possibly overlapping) ranges, in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []  # the furthest end among the ranges up to each one
        furthest = 0
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def __contains__(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and self.reach[index] > offset


def _attribute_matches(raw: str) -> list[re.Match[str]]:
    """``ATTRIBUTE.finditer(raw)``, without retrying from every letter of a long word.

    A name runs to the end of its run of word characters, so when the rest
    of an attribute does not follow, no start later in that run can succeed:
    the regex would try each one, this skips to the run's end.
    """
    found: list[re.Match[str]] = []
    at = 0
    while (start := _NAME_START.search(raw, at)) is not None:
        match = ATTRIBUTE.match(raw, start.start())
        if match is None:
            at = _NAME_REST.match(raw, start.end()).end()
            continue
        found.append(match)
        at = match.end()
    return found


def _attribute_value(raw: str) -> str:
    """Empty and ``null`` (any case, any quotes) mean "not set"."""
    value = raw.strip()
    return "" if value.lower() == "null" else value


@dataclass
class _Open:
    start: int
    end: int
    line: int
    attrs: dict[str, str]
    failed: bool = False
    markers: list[tuple[int, int]] = field(default_factory=list)


class _Scanner:
    """Walks the shortcode tokens of one body, collecting edits and problems."""

    def __init__(self, body: str, path: str, first_line: int) -> None:
        self.body = body
        self.path = path
        self.first_line = first_line
        self.edits: list[tuple[int, int, str]] = []
        self.quotes: list[ParsedQuote] = []
        self.problems: list[Problem] = []
        self.open: _Open | None = None
        self.depth = 0
        self._newlines: list[int] | None = None

    def line_at(self, offset: int) -> int:
        if self._newlines is None:  # only bodies with problems pay for the index
            self._newlines = [m.start() for m in re.finditer("\n", self.body)]
        return self.first_line + bisect_right(self._newlines, offset - 1)

    def error(self, offset: int, message: str, fix: str, level: Level = Level.ERROR) -> None:
        self.problems.append(Problem(self.path, self.line_at(offset), message, fix, level))

    def remove(self, start: int, end: int) -> None:
        self.edits.append((start, end, ""))

    def attributes(self, raw: str, offset: int) -> tuple[dict[str, str], bool]:
        values: dict[str, str] = {}
        ok = True
        matches = _attribute_matches(raw)
        ends = [0] + [m.end() for m in matches]
        starts = [m.start() for m in matches] + [len(raw)]
        rest = " ".join(raw[end:start] for end, start in zip(ends, starts, strict=True)).strip()
        if rest:
            ok = False
            self.error(
                offset,
                f"cannot read the [inlinetweet] attributes near '{rest[:30]}'",
                'write them as name="value", for example suffix="#FinanceVoices"',
            )
        for match in matches:
            name = match["name"].lower()
            raw_value = next(
                v for v in (match["single"], match["double"], match["bare"]) if v is not None
            )
            if name not in ATTRIBUTES:
                self.error(
                    offset,
                    f"unknown [inlinetweet] attribute '{name}'",
                    f"use only {', '.join(ATTRIBUTES)}",
                    Level.WARNING,
                )
                continue
            values[name] = _attribute_value(raw_value)
        return values, ok

    def on_open(self, match: re.Match[str]) -> None:
        start, end = match.span()
        if not match["end"]:
            self.error(
                start, "the [inlinetweet] tag is missing its closing ']'", "end the tag with ']'"
            )
        if self.depth:
            self.depth += 1
            assert self.open is not None
            if not self.open.failed:
                self.error(
                    start,
                    "an [inlinetweet] inside another [inlinetweet]",
                    "close the first quote with [/inlinetweet] before starting the next",
                )
            self.open.failed = True
            self.open.markers.append((start, end))
            return
        attrs, ok = self.attributes(match["attrs"], start)
        self.depth = 1
        self.open = _Open(start, end, self.line_at(start), attrs, failed=not ok or not match["end"])
        self.open.markers.append((start, end))

    def on_close(self, match: re.Match[str]) -> None:
        start, end = match.span()
        if not self.depth:
            self.error(
                start,
                "a [/inlinetweet] without an opening [inlinetweet]",
                "add [inlinetweet] before the quote or remove this tag",
            )
            self.remove(start, end)
            return
        assert self.open is not None
        self.depth -= 1
        self.open.markers.append((start, end))
        if self.depth:
            return
        self.finish(self.open, start, end)
        self.open = None

    def finish(self, opened: _Open, close_start: int, close_end: int) -> None:
        inner = self.body[opened.end : close_start]
        if not opened.failed:
            if not inner.strip():
                self.error(
                    opened.start,
                    "an empty [inlinetweet]",
                    "put the sentence to share between the tags",
                )
                opened.failed = True
            elif PARAGRAPH_BREAK.search(inner):
                self.error(
                    opened.start,
                    "an [inlinetweet] quote runs across paragraphs",
                    "keep the quote inside one paragraph, or close it before the blank line",
                )
                opened.failed = True
            elif self._takes_a_marker(opened, inner):
                self.error(
                    opened.start,
                    "an [inlinetweet] holds a list item's '-' or '1.', or a heading's '#': "
                    "the list or heading would become plain text",
                    "start the quote after the marker, and keep it inside one list item",
                )
                opened.failed = True
        if opened.failed:
            for start, end in opened.markers:
                self.remove(start, end)
            return
        quote = ParsedQuote(len(self.quotes) + 1, opened.line, **opened.attrs)
        self.quotes.append(quote)
        self.edits.append(
            (opened.start, opened.end, f'<mark class="inline-quote" id="{quote.anchor}">')
        )
        self.edits.append((close_start, close_end, "</mark>"))

    def _takes_a_marker(self, opened: _Open, inner: str) -> bool:
        """Whether the quote starts a line with a block marker, or holds a line that does."""
        line_start = self.body.rfind("\n", 0, opened.start) + 1
        at_line_start = not self.body[line_start : opened.start].strip()
        lines = inner.split("\n")
        if at_line_start and BLOCK_MARKER.match(lines[0]):
            return True
        return any(BLOCK_MARKER.match(line) for line in lines[1:])

    def unclosed(self) -> None:
        if self.depth and self.open is not None:
            self.error(
                self.open.start,
                "an [inlinetweet] is never closed",
                "add [/inlinetweet] at the end of the quote, in the same paragraph",
            )
            for start, end in self.open.markers:
                self.remove(start, end)


def other_shortcodes(body: str) -> list[re.Match[str]]:
    """WordPress shortcodes other than ``[inlinetweet]`` (see ``OTHER_SHORTCODE``)."""
    found = []
    for match in OTHER_SHORTCODE.finditer(body):
        name = match["name"].lower()
        if name == "inlinetweet":
            continue
        if match["close"] or match["attrs"] or name in WORDPRESS_SHORTCODES:
            found.append(match)
    return found


def parse(body: str, path: str = "<text>", first_line: int = 1) -> Parsed:
    """Replace shortcodes in ``body``; report broken ones at ``path:line``.

    Any other WordPress shortcode (``[gallery]``, ``[embed]``…, left by an
    import or pasted) is an error at its line and is taken out of the text,
    so it never shows on a page as raw text.
    """
    tokens = list(TOKEN.finditer(body))
    others = other_shortcodes(body) if "]" in body else []
    if not tokens and not others:  # most stories: nothing to parse, and no code to find
        return Parsed(body)
    protected = _Ranges(_protected(body))
    scanner = _Scanner(body, path, first_line)
    reported: set[str] = set()
    for match in others:
        if match.start() in protected:
            continue
        name = match["name"].lower()
        scanner.remove(*match.span())
        if match["close"] and name in reported:
            continue  # the opening tag is reported already
        reported.add(name)
        scanner.error(
            match.start(),
            f"the WordPress shortcode [{name}] does not work here; it is left out of the page",
            "replace it with Markdown, e.g. a picture as ![what it shows](images/<file>), "
            "or delete it",
        )
    for match in tokens:
        if match.start() in protected:
            continue
        if match["close"]:
            scanner.on_close(match)
        else:
            scanner.on_open(match)
    scanner.unclosed()
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(scanner.edits):
        pieces += [body[cursor:start], replacement]
        cursor = end
    pieces.append(body[cursor:])
    return Parsed("".join(pieces), scanner.quotes, scanner.problems)
