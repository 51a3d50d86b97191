"""Unfinished work: scaffold text nobody replaced, or no story at all. No Pelican import.

``invoke new-story`` (``workflow.py``) writes a placeholder summary and a note
in the body, and ``--create-person`` a placeholder bio. Left in, they would
publish on the home page, in the feeds and in share previews, so each is an
error at its line (the dev build shows it as a warning, so a story in
progress can be previewed). So is a story with no words: an empty body, only
the scaffold's note, or only headings. A story marked ``status: draft`` is
never published, so for it these are warnings (the reader lowers them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .frontmatter import Document
from .problems import Problem

# Shared with the scaffold, which writes them (workflow.py imports these).
SUMMARY_PLACEHOLDER = "TODO: one or two sentences for cards, feeds and share previews."
BIO_PLACEHOLDER = "A sentence or two about you."
ROLE_PLACEHOLDER = "Contributor"
NOTE_START = "<!-- new-story:"
NOTE_END = "-->"
# The note's text, line by line, between NOTE_START and NOTE_END: the scaffold
# writes exactly these, and any of them left in the body is unfinished work
# (a writer who deletes only the '<!--' and '-->' lines would otherwise
# publish the example quote to the social feeds).
NOTE_LINES = (
    "delete this note, then write your story below it in Markdown:",
    "plain paragraphs, ## headings, *emphasis*, [links](https://example.com),",
    "pictures as ![what it shows](images/your-picture.jpg). Mark one sentence people",
    "might share: [inlinetweet]A sentence worth posting on its own[/inlinetweet]",
    "Then run `.venv/bin/invoke check` and `.venv/bin/invoke serve`, and open a",
    "pull request. `invoke check` reports this note until you delete it.",
)
# The note's examples, found even inside a line the writer changed around them.
NOTE_EXAMPLES = ("A sentence worth posting on its own", "images/your-picture.jpg")
_NOTE_TEXT = frozenset(NOTE_LINES)
TODO = re.compile(r"^\s*(?:TODO|TBD|FIXME)\b", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)?[^<>]*>")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def placeholder_fields(doc: Document, values: dict[str, Any]) -> Iterator[Problem]:
    """A field whose text is still a placeholder (``TODO: …``, the scaffold's own)."""
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        if TODO.match(value) or value == SUMMARY_PLACEHOLDER:
            yield Problem(
                doc.path,
                doc.line_of(key),
                f"'{key}' is still the placeholder '{value[:40]}'",
                f"write the real {key}, or remove the line",
            )


def placeholder_body(doc: Document) -> Iterator[Problem]:
    """The scaffold's note (whole, or lines of it) or placeholder bio, still in the body."""
    at = doc.body.find(NOTE_START)
    if at < 0:
        yield from _note_leftovers(doc)
    else:
        start = doc.body_line + doc.body.count("\n", 0, at)
        end_at = doc.body.find(NOTE_END, at)
        end = doc.body_line + doc.body.count("\n", 0, end_at if end_at >= 0 else len(doc.body))
        yield Problem(
            doc.path,
            start,
            "the note from `invoke new-story` is still in the story",
            f"delete lines {start}-{end}, from '<!--' to '-->', once you have read them",
        )
    at = doc.body.find(BIO_PLACEHOLDER)
    if at >= 0:
        yield Problem(
            doc.path,
            doc.body_line + doc.body.count("\n", 0, at),
            f"the text '{BIO_PLACEHOLDER}' is still the placeholder",
            "write a sentence or two about yourself",
        )


def _note_leftovers(doc: Document) -> Iterator[Problem]:
    """Lines of the scaffold's note left after its '<!--' line was deleted (one problem)."""
    if not any(text in doc.body for text in (*NOTE_LINES, *NOTE_EXAMPLES)):
        return  # the usual case: a few scans of the body, no split into lines
    found = []
    for number, line in enumerate(doc.body.split("\n"), doc.body_line):
        text = line.strip().removesuffix(NOTE_END).rstrip() or line.strip()
        if text in _NOTE_TEXT or text == NOTE_END or any(e in text for e in NOTE_EXAMPLES):
            found.append(number)
    if not found:
        return
    shown = ", ".join(str(n) for n in found[:8]) + (", …" if len(found) > 8 else "")
    yield Problem(
        doc.path,
        found[0],
        "text from the `invoke new-story` note is still in the story; its example quote "
        "and picture would be published",
        f"delete line{'s' if len(found) > 1 else ''} {shown}, then write your own words",
    )


def empty_body(doc: Document, page: str) -> Iterator[Problem]:
    """A story with no words below its headings (``page`` is its sanitized HTML)."""
    depth = 0  # inside how many headings (one walk over the tags: linear on any page)
    at = 0
    headings = False
    for tag in _TAG.finditer(page):
        if depth == 0 and page[at : tag.start()].strip():
            return
        at = tag.end()
        if (tag.group(2) or "").lower() in _HEADINGS:
            headings = True
            depth = max(0, depth + (-1 if tag.group(1) else 1))
    if depth == 0 and page[at:].strip():
        return
    yield Problem(
        doc.path,
        doc.body_line,
        "the story has only headings, no text" if headings else "the story has no text yet",
        "write the story below the front matter, after the second '---' line",
    )
