"""Split a Markdown file into YAML front matter and body, keeping line numbers.

PyYAML's ``safe_load`` loses positions, so the mapping is composed first (its
nodes carry marks) to learn on which line each key sits; errors then point at
the writer's line, not at "the header".

Front matter comes from pull requests, so the work spent on it is bounded
before YAML builds anything: the header has a size limit, YAML anchors and
aliases (the "billion laughs" expansion) are refused, and so is nesting deeper
than a few levels (libyaml composes nested collections recursively in C; a
deep enough ``[[[[`` crashes the whole process). Every refusal is a located
:class:`Problem` like any other mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

MAX_HEADER_CHARS = 16_384
"""Front matter longer than this is refused (the longest real one is about 500)."""
MAX_DEPTH = 10
"""Lists and mappings nested deeper than this are refused (a story needs 2)."""
_MAX_NUMBER_CHARS = 100
"""A longer number is kept as the text typed: ``int()`` of thousands of digits
is slow (CPython refuses more than 4300), and no field wants such a number."""

# An anchor (&a) or alias (*a) can only start a node: at the start of a line, or
# after an indicator (: - ? [ , {) and blanks. Text such as "a *bold* word" in a
# plain value does not match, so ordinary headers skip the event scan.
_NODE_PROPERTY = re.compile(r"(?:^|[:\-?\[,{])[ \t]*[&*]", re.MULTILINE)
# Without an event scan, nesting is bounded by these: at most this many flow
# brackets, and no line indented (spaces, '- ', '? ', ': ') further than this.
# Together they allow at most 3 flow and 4 block levels, below MAX_DEPTH.
_FLOW_BUDGET = 3
_LEAD_BUDGET = 3


class FrontMatterError(ValueError):
    """The front matter cannot be read at all; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Document:
    """A parsed source file: metadata, the line of each key, and the body."""

    path: str
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    duplicates: tuple[tuple[str, int], ...] = field(default=())

    def line_of(self, key: str) -> int:
        """The line a key is on, or the opening fence when the key is absent."""
        return self.lines.get(key, 1)


# libyaml (shipped in PyYAML's wheels) parses several times faster; same results.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps timestamps as the strings the writer typed.

    Dates are validated and parsed by our own rules (with the site time zone),
    so YAML's partial timestamp support must not turn some into datetimes and
    leave others as strings. Very long integers stay strings too (see
    ``_MAX_NUMBER_CHARS``).
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        value = self.construct_scalar(node)
        if len(value) > _MAX_NUMBER_CHARS:
            return str(value)
        return super().construct_yaml_int(node)  # type: ignore[no-any-return]


_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)


_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split(text: str, path: str) -> Document:
    """Parse ``text`` (a whole file) into a :class:`Document`.

    Raises :class:`FrontMatterError` when there is no front matter, it is not
    closed, is not valid YAML, or is not a mapping; and, to bound the work a
    hostile file can cause, when it is longer than :data:`MAX_HEADER_CHARS`,
    uses YAML anchors or aliases, or nests deeper than :data:`MAX_DEPTH`.
    """
    if text.startswith("\ufeff"):
        raise FrontMatterError(
            Problem(
                path,
                1,
                "the file starts with an invisible byte-order mark (BOM), so its first "
                "'---' is not seen",
                "save the file as 'UTF-8' without BOM; in VS Code: click 'UTF-8 with BOM' "
                "at the bottom, then 'Save with Encoding', 'UTF-8'",
            )
        )
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE.match(lines[start].rstrip("\r\n")):
        raise FrontMatterError(
            Problem(
                path,
                start + 1 if start < len(lines) else 1,
                "the file does not start with YAML front matter",
                "begin the file with a line '---', the fields, then another '---'",
            )
        )
    end = next(
        (i for i in range(start + 1, len(lines)) if _END_FENCE.match(lines[i].rstrip("\r\n"))),
        None,
    )
    if end is None:
        raise FrontMatterError(
            Problem(
                path,
                start + 1,
                "the front matter is never closed",
                "add a line '---' after the last field",
            )
        )
    header = "".join(lines[start + 1 : end])
    if len(header) > MAX_HEADER_CHARS:
        raise FrontMatterError(
            Problem(
                path,
                start + 1,
                f"the front matter is {len(header):,} characters long; "
                f"at most {MAX_HEADER_CHARS:,} are allowed",
                "keep the fields short and put long text in the story itself",
            )
        )
    offset = start + 2  # 1-based line of the first header line
    if _needs_event_scan(header):
        _check_structure(header, path, offset)
    meta, key_lines, duplicates = _load_mapping(header, path, offset, start + 1)
    return Document(
        path=path,
        meta=meta,
        lines=key_lines,
        body="".join(lines[end + 1 :]),
        body_line=end + 2,
        duplicates=tuple(duplicates),
    )


def _needs_event_scan(header: str) -> bool:
    """Whether the header could hold an anchor, an alias or deep nesting.

    Plain ``in``/``count`` checks, so an ordinary header costs nothing more;
    only a header that passes them all is loaded without the event scan.
    """
    if ("&" in header or "*" in header) and ("!" in header or _NODE_PROPERTY.search(header)):
        return True
    if header.count("[") + header.count("{") > _FLOW_BUDGET:
        return True
    # splitlines: YAML also breaks lines at \r, NEL and the Unicode separators.
    return any(
        len(line) - len(line.lstrip(" \t-?:")) > _LEAD_BUDGET for line in header.splitlines()
    )


def _check_structure(header: str, path: str, offset: int) -> None:
    """Refuse anchors, aliases and deep nesting, reading only YAML's events.

    libyaml's event parser keeps its own stack, so this walk is safe on any
    nesting; it stops at the first refusal. Syntax errors are left to the
    loader, which reports them with its own messages.
    """
    depth = 0
    try:
        for event in yaml.parse(header, Loader=_Base):
            if getattr(event, "anchor", None) is not None:  # AliasEvent has one too
                raise FrontMatterError(
                    Problem(
                        path,
                        offset + event.start_mark.line,
                        "the front matter uses a YAML anchor or alias (&name / *name), "
                        "which is not allowed",
                        "write each value out in full; if a value starts with '&' or '*', "
                        "put it in quotes",
                    )
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FrontMatterError(
                        Problem(
                            path,
                            offset + event.start_mark.line,
                            f"the front matter puts lists or groups inside each other more "
                            f"than {MAX_DEPTH} levels deep",
                            "write each field as 'field: value' or 'field: [first, second]'",
                        )
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return


# What PyYAML's constructors raise for a tag with a value it cannot hold.
_VALUE_ERRORS = (yaml.YAMLError, ValueError, TypeError, LookupError, AttributeError, OverflowError)


def _bad_value(node: yaml.Node | None) -> tuple[int, str]:
    """0-based header line and key of the first top-level value that cannot be built."""
    if not isinstance(node, yaml.MappingNode):
        return 0, ""
    for key_node, value_node in node.value:
        loader = _LineLoader("")
        try:
            loader.construct_object(value_node, deep=True)
        except _VALUE_ERRORS:
            return int(key_node.start_mark.line), _shorten(str(key_node.value), 40)
        finally:
            loader.dispose()
    return 0, ""


def _tab_line(header: str, exc: yaml.MarkedYAMLError) -> int | None:
    """The 0-based header line of a tab that broke the YAML, if a tab did."""
    if "\t" not in header:
        return None
    mark = exc.problem_mark
    lines = header.splitlines()
    if "'\\t'" in str(exc.problem) and mark is not None:
        return int(mark.line)
    near = [mark.line] if mark is not None else []
    near += [exc.context_mark.line] if exc.context_mark is not None else []
    for line in sorted(set(near)):
        for at in (line - 1, line):
            if 0 <= at < len(lines) and "\t" in lines[at]:
                return at
    return None


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load_mapping(
    header: str, path: str, offset: int, fence_line: int
) -> tuple[dict[str, Any], dict[str, int], list[tuple[str, int]]]:
    node: yaml.Node | None = None
    try:
        loader = _LineLoader(header)
        try:
            node = loader.get_single_node()  # keeps marks: the line of every key
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        char = exc.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or " ")
        raise FrontMatterError(
            Problem(
                path,
                offset + header.count("\n", 0, exc.position),
                f"the front matter contains an invisible control character (#x{code:04x}), "
                "which is not allowed",
                "delete the character, or retype the line",
            )
        ) from exc
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed
        # quote, say); the problem mark is often the end of the header.
        tab = _tab_line(header, exc)
        if tab is not None:
            raise FrontMatterError(
                Problem(
                    path,
                    offset + tab,
                    "this line of the front matter has a tab character; YAML allows only "
                    "spaces there",
                    "replace the tab with spaces",
                )
            ) from exc
        mark = exc.context_mark or exc.problem_mark
        line = offset + (mark.line if mark else 0)
        reason = " ".join(part for part in (exc.problem, exc.context) if part) or "invalid YAML"
        raise FrontMatterError(
            Problem(
                path,
                line,
                f"invalid YAML in the front matter: {reason}",
                "check the indentation, and put values containing ':' or '#' in quotes",
            )
        ) from exc
    except _VALUE_ERRORS as exc:
        # A tag with a value it cannot hold (``!!int abc``, ``!!timestamp x``).
        line, key = _bad_value(node)
        what = f"the value of '{key}'" if key else "a value"
        raise FrontMatterError(
            Problem(
                path,
                offset + line,
                f"invalid YAML in the front matter: {what} does not fit the type "
                "written before it with '!!'",
                "remove the '!!…' before the value, or put the value in quotes",
            )
        ) from exc
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise FrontMatterError(
            Problem(
                path,
                fence_line,
                "the front matter is not a list of 'field: value' lines",
                "write one 'field: value' per line between the '---' lines",
            )
        )
    key_lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key = str(key_node.value)
            line = offset + key_node.start_mark.line
            if key in key_lines:
                duplicates.append((key, line))
            else:
                key_lines[key] = line
    return {str(k): v for k, v in data.items()}, key_lines, duplicates
