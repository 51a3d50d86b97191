"""Field converters: each turns a raw YAML value into a clean one or says why not.

A converter is a plain function ``(value) -> value`` that raises
:class:`FieldError` with the message and the fix. The schema (``schema.py``)
is a table of fields naming these converters, so adding a field is one line.

Values come from pull requests, so a converter never turns a list or mapping
into text (``str()`` of a large structure is slow and its message useless),
text has a length limit, and messages quote at most a short piece of the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A hashtag is '#' and word characters, at least one of them not a digit. (As
# one regex, ``#\w*[^\W\d]\w*``, it backtracks quadratically on long input.)
HASHTAG_PATTERN = re.compile(r"#\w+")
_NOT_DIGIT = re.compile(r"[^\W\d]")
COLOUR_PATTERN = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
HANDLE_PATTERN = re.compile(r"^@?[A-Za-z0-9_]{1,15}$")

Converter = Callable[[Any], Any]

MAX_TEXT = 1_000
"""Longest text a field may hold; cards cut summaries at 300 characters anyway."""
_SCALARS = (str, bool, int, float, date)  # what YAML gives for one value (datetime is a date)


class FieldError(ValueError):
    """A field's value is wrong: ``message`` says what, ``fix`` says how."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def _kind(value: Any) -> str:
    """What a non-scalar value is, in the writer's words."""
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    return "binary data" if isinstance(value, (bytes, bytearray)) else "a structure"


def _shown(value: str, limit: int = 60) -> str:
    """The start of a value for a message: a long value is cut, not printed whole."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text(value: Any) -> str:
    """A non-empty single-line-or-more text, at most :data:`MAX_TEXT` characters."""
    if not isinstance(value, _SCALARS):
        raise FieldError(f"must be text, not {_kind(value)}", "write it on one line")
    result = str(value).strip()
    if not result:
        raise FieldError("is empty", "write some text or remove the field")
    if len(result) > MAX_TEXT:
        raise FieldError(
            f"is {len(result):,} characters long; at most {MAX_TEXT:,} are allowed",
            "shorten it; long text belongs in the story itself",
        )
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
        suggested = suggest_id(result)
        raise FieldError(
            f"'{_shown(result)}' is not a valid id: ids are lower-case letters, digits "
            "and hyphens, as in the file names",
            f"write '{suggested}'" if suggested else "use an id like 'priya-shah'",
        )
    return result


def suggest_id(text: str) -> str:
    """``text`` as an id, for a fix: ``Finance Team`` becomes ``finance-team``."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:60].strip("-")


def id_list(value: Any) -> list[str]:
    """One id or a list of ids, at least one, no repeats."""
    items = value if isinstance(value, list) else [value]
    if not items or items == [None]:
        raise FieldError("needs at least one id", "write it as [first-id, second-id]")
    ids = [identifier(item) for item in items]
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise FieldError(f"lists '{_shown(item)}' twice", "remove the repeat")
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
    if not isinstance(value, _SCALARS):
        raise FieldError(
            f"must be a date, not {_kind(value)}",
            "write it as YYYY-MM-DD HH:MM, like 2026-03-13 09:00",
        )
    raw = str(value).strip()
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise FieldError(
            f"'{_shown(raw)}' is not a valid date",
            "write it as YYYY-MM-DD HH:MM, like 2026-03-13 09:00",
        ) from None


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if not isinstance(value, _SCALARS):
        raise FieldError(f"must be true or false, not {_kind(value)}", "write true or false")
    raise FieldError(f"'{_shown(str(value))}' is not true or false", "write true or false")


def choice(*allowed: str) -> Converter:
    def convert(value: Any) -> str:
        result = one_line(value).lower()
        if result not in allowed:
            raise FieldError(
                f"'{_shown(result)}' is not one of {', '.join(allowed)}",
                f"write one of: {', '.join(allowed)}",
            )
        return result

    return convert


def hashtag(value: Any) -> str:
    result = one_line(value)
    if not result.startswith("#"):
        result = "#" + result
    if not HASHTAG_PATTERN.fullmatch(result) or not _NOT_DIGIT.search(result, 1):
        raise FieldError(
            f"'{_shown(result)}' is not a valid hashtag",
            "use letters and digits only, starting with a letter, like #FinanceTeam",
        )
    return result


def colour(value: Any) -> str:
    result = one_line(value)
    if not COLOUR_PATTERN.match(result):
        raise FieldError(
            f"'{_shown(result)}' is not a colour", "write a hex colour like '#1f6f5c' (in quotes)"
        )
    return result.lower()


def handle(value: Any) -> str:
    """An X handle, stored without the '@'."""
    result = one_line(value)
    if not HANDLE_PATTERN.match(result):
        raise FieldError(
            f"'{_shown(result)}' is not an X handle",
            "write up to 15 letters, digits or '_', like @priya_shah",
        )
    return result.lstrip("@")


# Mastodon: @user@server (or the profile address https://server/@user);
# Bluesky: a domain handle like name.bsky.social (or https://bsky.app/profile/<handle>).
MASTODON_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,30})@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})$")
MASTODON_URL = re.compile(
    r"^https://((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})/@([A-Za-z0-9_]{1,30})/?$"
)
BLUESKY_HANDLE = re.compile(
    r"^@?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)
BLUESKY_URL = re.compile(r"^https://bsky\.app/profile/([^/?#\s]+)/?$")


def mastodon_handle(value: Any) -> str:
    """A Mastodon account, stored as ``@user@server``: the only form every server
    resolves to the same person (a bare ``@user`` mentions whoever has that name
    on the server that posts)."""
    result = one_line(value)
    if found := MASTODON_HANDLE.match(result):
        return f"@{found[1]}@{found[2].lower()}"
    if found := MASTODON_URL.match(result):
        return f"@{found[2]}@{found[1].lower()}"
    raise FieldError(
        f"'{_shown(result)}' is not a Mastodon account",
        "write the user and the server, like @amara@social.example "
        "(or the profile address https://social.example/@amara)",
    )


def bluesky_handle(value: Any) -> str:
    """A Bluesky handle, stored as a domain without '@' (``name.bsky.social``)."""
    result = one_line(value)
    found = BLUESKY_URL.match(result)
    handle_text = found[1] if found else result
    if (handle_found := BLUESKY_HANDLE.match(handle_text)) and len(handle_found[1]) <= 253:
        return handle_found[1].lower()
    raise FieldError(
        f"'{_shown(result)}' is not a Bluesky handle",
        "write the handle with its domain, like sofia.bsky.social "
        "(or the profile address https://bsky.app/profile/sofia.bsky.social)",
    )


def url_or_handle(value: Any) -> str:
    """A profile address (Mastodon ``@user@host``, Bluesky ``user.bsky.social``, a URL)."""
    return one_line(value)
