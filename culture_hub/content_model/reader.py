"""The Markdown reader for culture-hub content: YAML front matter, kinds by folder.

It replaces Pelican's Markdown reader for ``.md`` files. Every rule runs here,
while the file's line numbers are known; problems go to the build's report.
Markdown extensions (share-tweet quotes) may contribute, per document,
``md.culture_metadata`` (merged into the metadata) and ``md.culture_problems``.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from markdown import Markdown
from markupsafe import escape
from pelican.contents import Author, Category, Tag
from pelican.readers import BaseReader
from pelican.utils import slugify

from culture_hub.sanitize import clean, unsafe_parts
from culture_hub.share_tweet.linear_markdown import LinearMarkdownExtension

from .build import BuildState
from .frontmatter import Document, FrontMatterError, split
from .images import resolve_pictures
from .inline import inline_html
from .problems import Level, Problem
from .references import MARKER, content_file, read_references, urls
from .registry import display_path, real_folder, real_path
from .rules import check_article
from .schema import ARTICLE_KINDS, KINDS, Kind, kind_for_folder, read_fields
from .unfinished import empty_body, placeholder_body, placeholder_fields
from .unsafe import unsafe_problems

SKIP: dict[str, Any] = {"status": "skip"}


@dataclass
class RawRead:
    """One file read: HTML, plain metadata and problems; ``skip`` if it cannot be built."""

    content: str
    meta: dict[str, Any]
    problems: list[Problem]
    skip: bool = False

    @classmethod
    def skipped(cls, problems: list[Problem]) -> RawRead:
        return cls("", {}, problems, skip=True)


def relative_to_content(source: Path, content: Path) -> PurePosixPath | None:
    """The file's path inside the content folder, or ``None`` if it is not in it."""
    try:
        return PurePosixPath(real_path(source).relative_to(real_folder(str(content))).as_posix())
    except ValueError:
        return None


class CultureReader(BaseReader):
    """Reads ``content/<kind folder>/*.md`` with YAML front matter."""

    enabled = True
    # One spelling, as the inventory and the registries expect: ".md", lower case.
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        md_settings = copy.deepcopy(self.settings["MARKDOWN"])
        md_settings["extensions"] = [
            ext for ext in md_settings.get("extensions", []) if ext != "markdown.extensions.meta"
        ]
        self._md = Markdown(**md_settings)
        # Summaries get the same linear-time stand-ins as bodies (hostile input).
        self._inline_md = Markdown(extensions=[LinearMarkdownExtension()])

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Pelican's entry point: the read (done now, or earlier by a worker process)
        turned into Pelican's objects, and the build's decision to show it or not."""
        state = BuildState.of(self.settings)
        raw = state.take_preread(source_path) or self.read_raw(source_path)
        state.report(raw.problems)
        if raw.skip:
            return "", dict(SKIP)
        metadata = self._with_objects(raw.meta, state)
        if not self._is_visible(metadata, state):
            return "", dict(SKIP)
        return raw.content, metadata

    def read_raw(self, source_path: str) -> RawRead:
        """Parse, check and render one file into plain, picklable values.

        Everything slow happens here, and nothing here touches Pelican's objects
        or prints, so worker processes can run it for many files at once.
        """
        state = BuildState.of(self.settings)
        source = Path(source_path)
        shown = display_path(source)
        relative = relative_to_content(source, state.config.content)
        if relative is None or str(relative) not in state.inventory.markdown:
            # Reported by the inventory (a link, too large, not in a content folder).
            return RawRead.skipped([])
        kind = (len(relative.parts) > 1 and kind_for_folder(relative.parts[0])) or KINDS["page"]
        try:
            doc = split(source.read_text(encoding="utf-8"), shown)
        except UnicodeDecodeError:
            return RawRead.skipped(
                [Problem(shown, 1, "the file is not UTF-8 text", "save it as UTF-8")]
            )
        except FrontMatterError as exc:
            return RawRead.skipped([exc.problem])

        values, problems = read_fields(doc, kind)
        problems += self._address_problems(doc, values, source)
        if kind.name in ARTICLE_KINDS:
            problems += check_article(doc, values, state.site)
        if any(fl.required and fl.name not in values for fl in kind.fields):
            return RawRead.skipped(problems)

        content, extra, body_problems = self._render(doc)
        content, picture_problems, pictures = resolve_pictures(
            doc, content, str(relative.parent), state.inventory.images, state.inventory.sizes
        )
        problems += picture_problems
        unfinished = [*placeholder_fields(doc, values), *placeholder_body(doc)]
        if kind.name in ARTICLE_KINDS:
            unfinished += empty_body(doc, content)
        if values.get("status") == "draft":  # unfinished is what a draft is: never published
            unfinished = [replace(p, level=Level.WARNING) for p in unfinished]
        problems += unfinished
        link_problems, references = read_references(
            doc, content, str(relative.parent), state.inventory.files
        )
        problems += link_problems
        meta = self._plain_metadata(kind, values, doc, body_problems)
        meta.update(extra)
        # What the page uses (its images are published with it) and the
        # pages it links to (each must be published too).
        used = {r.target for r in references} | pictures
        if "image" in values and (image := content_file(values["image"])):
            used.add(image)
        meta["uses"] = sorted(used)
        meta["links_to"] = sorted(
            (r.line, r.target) for r in references if r.target in state.inventory.markdown
        )
        return RawRead(content, meta, problems + body_problems)

    def _address_problems(
        self, doc: Document, values: dict[str, Any], source: Path
    ) -> list[Problem]:
        """A title or tag that makes an empty address would overwrite a site page
        (``stories//index.html`` is the stories listing), so it is an error; the
        preview still builds, with the file's name as the address and without the tag."""
        problems = []
        subs = self.settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        title = values.get("title")
        if title is not None and "slug" not in values and not slugify(title, regex_subs=subs):
            values["slug"] = slugify(source.stem, regex_subs=subs) or "untitled"
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of("title"),
                    "the title has no letters or digits, so the page would have no address",
                    "add a word to the title, or a line 'slug: a-short-name'",
                )
            )
        tag_subs = self.settings.get("TAG_REGEX_SUBSTITUTIONS", subs)
        empty = [tag for tag in values.get("tags", []) if not slugify(tag, regex_subs=tag_subs)]
        problems.extend(
            Problem(
                doc.path,
                doc.line_of("tags"),
                f"the tag '{tag}' has no letters or digits, so it would have no page",
                "use a tag with a word in it",
            )
            for tag in empty
        )
        if empty:
            values["tags"] = [tag for tag in values["tags"] if tag not in empty]
        return problems

    def _render(self, doc: Document) -> tuple[str, dict[str, Any], list[Problem]]:
        """Markdown to sanitized HTML, with what extensions found and what was unsafe."""
        md = self._md.reset()
        md.culture_document = doc  # type: ignore[attr-defined]
        md.culture_metadata = {}  # type: ignore[attr-defined]
        md.culture_problems = []  # type: ignore[attr-defined]
        html = md.convert(doc.body)
        problems = list(md.culture_problems)  # type: ignore[attr-defined]
        cleaned = clean(html)
        if cleaned != html:  # only then is it worth explaining what was removed
            problems += unsafe_problems(doc.path, doc.body, doc.body_line, html)
        return cleaned, md.culture_metadata, problems  # type: ignore[attr-defined]

    def _inline(self, text: str, doc: Document, problems: list[Problem]) -> str:
        """Render the summary as sanitized inline HTML; note what was unsafe."""
        try:
            html = inline_html(self._inline_md, text)
        except RecursionError:  # nested deeper than Python can follow: shown as typed
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of("summary"),
                    "the summary is nested too deeply to read (lists or emphasis in lists)",
                    "write the summary as one or two plain sentences",
                )
            )
            return str(escape(text))
        cleaned = clean(html)
        if cleaned != html:
            problems.extend(
                Problem(
                    doc.path,
                    doc.line_of("summary"),
                    f"unsafe HTML in the summary: {part.what} is not allowed and was removed",
                    "write the summary as plain text, with Markdown emphasis at most",
                )
                for part in unsafe_parts(html)
            )
        return cleaned

    def _plain_metadata(
        self, kind: Kind, values: dict[str, Any], doc: Document, problems: list[Problem]
    ) -> dict[str, Any]:
        meta: dict[str, Any] = dict(values)
        meta["kind"] = kind.name
        meta["audience"] = values.get("audience", "public")
        meta["status"] = values.get("status", "published")
        meta["internal"] = meta["audience"] == "staff"
        meta["source_lines"] = dict(doc.lines)
        # Identifies the text across renames (feeds' GUID ledger), cheaply.
        meta["source_digest"] = hashlib.sha256(doc.body.encode()).hexdigest()[:20]
        if "summary" in values:
            meta["summary"] = self._inline(values["summary"], doc, problems)
            meta["summary_text"] = values["summary"]
            if any(MARKER.match(url) for url in urls(meta["summary"])):
                problems.append(
                    Problem(
                        doc.path,
                        doc.line_of("summary"),
                        "the summary links with a {…} marker; Pelican would rewrite it "
                        "on every card and feed",
                        "link only to web addresses in the summary, or put the link in the story",
                    )
                )
        if kind.name in ARTICLE_KINDS:
            meta["author_ids"] = meta.pop("authors")
            meta["department_ids"] = meta.pop("departments")
        return meta

    def _with_objects(self, plain: dict[str, Any], state: BuildState) -> dict[str, Any]:
        """Pelican's objects (category, tags, authors) and the registry records."""
        meta = dict(plain)
        if meta["kind"] not in ARTICLE_KINDS:
            return meta
        registry = state.registry
        meta["category"] = Category(KINDS[meta["kind"]].label, self.settings)
        meta["tags"] = [Tag(tag, self.settings) for tag in plain.get("tags", [])]
        people = [registry.people[i] for i in plain["author_ids"] if i in registry.people]
        meta["people"] = people
        if people:  # Pelican needs at least one author when the key is present
            meta["authors"] = [self._author(person.name, person.id) for person in people]
        meta["departments"] = [
            registry.departments[i] for i in plain["department_ids"] if i in registry.departments
        ]
        return meta

    def _author(self, name: str, ident: str) -> Author:
        author = Author(name, self.settings)
        author.slug = ident
        return author

    def _is_visible(self, meta: dict[str, Any], state: BuildState) -> bool:
        """Whether this build shows the document at all (audience, draft, schedule)."""
        config = state.config
        if not config.includes_audience(meta["audience"]):
            return False
        if "date" in meta:
            zone = ZoneInfo(self.settings.get("TIMEZONE", "UTC"))
            when = meta["date"]
            aware = when if when.tzinfo else when.replace(tzinfo=zone)
            meta["scheduled"] = aware > datetime.now(zone)
            if meta["scheduled"]:
                state.note_scheduled(aware)
            if meta["scheduled"] and not config.preview_unpublished:
                return False
        if meta["status"] == "draft":
            if not config.preview_unpublished:
                return False
            # Shown, clearly marked, at its normal URL in the preview only.
            meta["status"] = "published"
            meta["draft"] = True
        return True
