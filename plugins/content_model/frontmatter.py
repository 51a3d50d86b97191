"""Split a Markdown file into YAML front matter and body, keeping line numbers.

PyYAML's ``safe_load`` loses positions, so the mapping is composed first (its
nodes carry marks) to learn on which line each key sits; errors then point at
the writer's line, not at "the header".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


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
    leave others as strings.
    """


_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split(text: str, path: str) -> Document:
    """Parse ``text`` (a whole file) into a :class:`Document`.

    Raises :class:`FrontMatterError` when there is no front matter, it is not
    closed, is not valid YAML, or is not a mapping.
    """
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
    offset = start + 2  # 1-based line of the first header line
    meta, key_lines, duplicates = _load_mapping(header, path, offset, start + 1)
    return Document(
        path=path,
        meta=meta,
        lines=key_lines,
        body="".join(lines[end + 1 :]),
        body_line=end + 2,
        duplicates=tuple(duplicates),
    )


def _load_mapping(
    header: str, path: str, offset: int, fence_line: int
) -> tuple[dict[str, Any], dict[str, int], list[tuple[str, int]]]:
    try:
        loader = _LineLoader(header)
        try:
            node = loader.get_single_node()  # keeps marks: the line of every key
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed
        # quote, say); the problem mark is often the end of the header.
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
