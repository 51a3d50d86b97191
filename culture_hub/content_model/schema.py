"""What each kind of source file must and may carry.

One table per kind. The folder a file sits in decides its kind; the checker
and the build both read fields through :func:`read_fields`, so they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import fields as f
from .frontmatter import Document
from .problems import Problem, did_you_mean


@dataclass(frozen=True)
class Field:
    name: str
    convert: f.Converter
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """A kind of source file: where it lives and what its front matter holds."""

    name: str
    folder: str
    fields: tuple[Field, ...]
    label: str = ""

    def field(self, name: str) -> Field | None:
        return next((fl for fl in self.fields if fl.name == name), None)


_ARTICLE_FIELDS = (
    Field("title", f.one_line, required=True),
    Field("date", f.timestamp, required=True),
    Field("authors", f.id_list, required=True),
    Field("departments", f.id_list, required=True),
    Field("summary", f.text, required=True),
    Field("tags", f.tag_list),
    Field("image", f.one_line),
    Field("image_alt", f.one_line),
    Field("audience", f.choice("public", "staff")),
    Field("status", f.choice("published", "draft")),
    Field("id", f.identifier),
    Field("slug", f.identifier),
    Field("modified", f.timestamp),
    Field("featured", f.flag),
    Field("share_text", f.one_line),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("story", "stories", _ARTICLE_FIELDS, label="Stories"),
        Kind("leadership", "leadership", _ARTICLE_FIELDS, label="Leadership"),
        Kind(
            "page",
            "pages",
            (
                Field("title", f.one_line, required=True),
                Field("summary", f.text),
                Field("slug", f.identifier),
                Field("status", f.choice("published", "draft")),
                Field("audience", f.choice("public", "staff")),
            ),
        ),
        Kind(
            "department",
            "departments",
            (
                Field("name", f.one_line, required=True),
                Field("hashtag", f.hashtag, required=True),
                Field("lead", f.identifier, required=True),
                Field("colour", f.colour),
            ),
        ),
        Kind(
            "person",
            "people",
            (
                Field("name", f.one_line, required=True),
                Field("role", f.one_line, required=True),
                Field("department", f.identifier, required=True),
                Field("x", f.handle),
                Field("mastodon", f.mastodon_handle),
                Field("bluesky", f.bluesky_handle),
                Field("linkedin", f.url_or_handle),
                Field("github", f.identifier),
                Field("avatar", f.one_line),
            ),
        ),
    )
}

ARTICLE_KINDS = ("story", "leadership")


def kind_for_folder(folder: str) -> Kind | None:
    return next((k for k in KINDS.values() if k.folder == folder), None)


QUOTES = "\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


def _unknown_field(doc: Document, key: str, kind: Kind, known: list[str]) -> Problem:
    """An unknown field is an error (its value would be lost), named in plain words."""
    bare = key.strip(QUOTES + " ")
    if bare != key and (bare in known or bare.lower() in known):
        return Problem(
            doc.path,
            doc.line_of(key),
            f"the field name {key} has quotes around it, so it is not the field '{bare.lower()}'"
            " (word processors turn quotes into curly ones)",
            f"remove the quotes: write {bare.lower()}: …",
        )
    if key.lower() in known:
        return Problem(
            doc.path,
            doc.line_of(key),
            f"field names are lower case: '{key}' is not a field",
            f"write {key.lower()}: …",
        )
    hint = did_you_mean(key.lower(), known)
    return Problem(
        doc.path,
        doc.line_of(key),
        f"unknown field '{key}' for a {kind.name}",
        hint if hint.startswith("did you mean") else f"the fields are: {', '.join(known)}",
    )


# [inlinetweet] and [/inlinetweet], as share_tweet's shortcode reads them: only
# the story's body is rendered with quotes, so in a field the tag is raw text.
_QUOTE_TAG = re.compile(r"\[/?inlinetweet\b", re.IGNORECASE)


def _has_quote_tag(value: Any) -> bool:
    """Whether a field's value (text, or a list of texts) holds an [inlinetweet] tag."""
    if isinstance(value, str):
        return _QUOTE_TAG.search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(_has_quote_tag(item) for item in value)
    return False


def read_fields(doc: Document, kind: Kind) -> tuple[dict[str, Any], list[Problem]]:
    """Convert every known field; report missing, invalid, unknown and repeated ones."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    invalid: set[str] = set()
    known = [fl.name for fl in kind.fields]
    for key, line in doc.duplicates:
        problems.append(Problem(doc.path, line, f"'{key}' is given twice", "keep only one of them"))
    for key, raw in doc.meta.items():
        spec = kind.field(key)
        if spec is None:
            problems.append(_unknown_field(doc, key, kind, known))
            continue
        if raw is None:
            continue  # an empty value means "not set"; required fields are caught below
        try:
            values[key] = spec.convert(raw)
        except f.FieldError as exc:
            invalid.add(key)
            problems.append(Problem(doc.path, doc.line_of(key), f"'{key}' {exc.message}", exc.fix))
            continue
        if _has_quote_tag(values[key]):
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of(key),
                    f"'{key}' has an [inlinetweet] tag, which a field shows as it is written",
                    "remove [inlinetweet] and [/inlinetweet] from the field; mark quotes in "
                    "the story's text below the front matter",
                )
            )
    for spec in kind.fields:
        if spec.required and spec.name not in values and spec.name not in invalid:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of(spec.name),
                    f"required field '{spec.name}' is missing",
                    f"add a line '{spec.name}: …' to the front matter",
                )
            )
    return values, problems
