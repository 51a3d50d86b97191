"""Field converters: each turns a raw YAML value into a clean one or says why not.

A converter is a plain function ``(value) -> value`` that raises
:class:`FieldError` with the message and the fix. The schema (``schema.py``)
is a table of fields naming these converters, so adding a field is one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HASHTAG_PATTERN = re.compile(r"^#[^\W\d_]\w*$|^#\w*[^\W\d]\w*$")
COLOUR_PATTERN = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
HANDLE_PATTERN = re.compile(r"^@?[A-Za-z0-9_]{1,15}$")

Converter = Callable[[Any], Any]


class FieldError(ValueError):
    """A field's value is wrong: ``message`` says what, ``fix`` says how."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def text(value: Any) -> str:
    """A non-empty single-line-or-more text."""
    if isinstance(value, (dict, list)):
        raise FieldError("must be text, not a list or mapping", "write it on one line")
    result = str(value).strip()
    if not result:
        raise FieldError("is empty", "write some text or remove the field")
    return result


def one_line(value: Any) -> str:
    """Text without line breaks (titles, names): feeds and posts need one line."""
    result = text(value)
    if "\n" in result:
        raise FieldError("must be on one line", "remove the line breaks")
    return result


def identifier(value: Any) -> str:
    """An id as used in file names: lower-case words joined by hyphens."""
    result = one_line(value)
    if not ID_PATTERN.match(result):
        raise FieldError(
            f"'{result}' is not a valid id",
            "use lower-case letters, digits and hyphens, like 'priya-shah'",
        )
    return result


def id_list(value: Any) -> list[str]:
    """One id or a list of ids, at least one, no repeats."""
    items = value if isinstance(value, list) else [value]
    if not items or items == [None]:
        raise FieldError("needs at least one id", "write it as [first-id, second-id]")
    ids = [identifier(item) for item in items]
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise FieldError(f"lists '{item}' twice", "remove the repeat")
        seen.add(item)
    return ids


def tag_list(value: Any) -> list[str]:
    """Free-form tags: one or a list, each a non-empty one-line text."""
    items = value if isinstance(value, list) else [value]
    return [one_line(item) for item in items if item is not None]


def timestamp(value: Any) -> datetime:
    """An ISO date with optional time: ``2026-03-13`` or ``2026-03-13 09:00``."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raw = str(value).strip()
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise FieldError(
            f"'{raw}' is not a valid date",
            "write it as YYYY-MM-DD HH:MM, like 2026-03-13 09:00",
        ) from None


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(f"'{value}' is not true or false", "write true or false")


def choice(*allowed: str) -> Converter:
    def convert(value: Any) -> str:
        result = one_line(value).lower()
        if result not in allowed:
            raise FieldError(
                f"'{result}' is not one of {', '.join(allowed)}",
                f"write one of: {', '.join(allowed)}",
            )
        return result

    return convert


def hashtag(value: Any) -> str:
    result = one_line(value)
    if not result.startswith("#"):
        result = "#" + result
    if not HASHTAG_PATTERN.match(result):
        raise FieldError(
            f"'{result}' is not a valid hashtag",
            "use letters and digits only, starting with a letter, like #FinanceTeam",
        )
    return result


def colour(value: Any) -> str:
    result = one_line(value)
    if not COLOUR_PATTERN.match(result):
        raise FieldError(
            f"'{result}' is not a colour", "write a hex colour like '#1f6f5c' (in quotes)"
        )
    return result.lower()


def handle(value: Any) -> str:
    """An X handle, stored without the '@'."""
    result = one_line(value)
    if not HANDLE_PATTERN.match(result):
        raise FieldError(
            f"'{result}' is not an X handle",
            "write up to 15 letters, digits or '_', like @priya_shah",
        )
    return result.lstrip("@")


def url_or_handle(value: Any) -> str:
    """A profile address (Mastodon ``@user@host``, Bluesky ``user.bsky.social``, a URL)."""
    return one_line(value)
