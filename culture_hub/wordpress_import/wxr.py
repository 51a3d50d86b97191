"""Read a WXR file and turn each post into a story file. No Pelican import.

WordPress stores post bodies without paragraph tags (it adds them on display,
"autop"), so paragraphs are restored before HTML becomes Markdown. Images are
pointed at ``images/<name>`` (the way a story names a picture) and listed for
the writer to fetch. ``[caption]`` becomes a ``<figure>`` with its
``<figcaption>``; ``[inlinetweet]`` stays as it is; any other shortcode
(``[gallery]``, ``[embed]``…) is left in place, listed in the report with its
line, and is an error there for ``invoke check`` (the page never shows it as
text). The post's WordPress id becomes ``id: wp-<id>``, so it keeps one
identity in the feeds. Every post is either written or reported with the
reason; nothing is dropped silently: an ``<iframe>``, ``<script>`` or other
embed Markdown cannot keep is named under its post. A title another story
already has gets ``-2`` (``-3``…); a post already imported is left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from lxml import etree
from markdownify import markdownify
from markupsafe import escape

from culture_hub.content_model.frontmatter import FrontMatterError, split
from culture_hub.content_model.unfinished import SUMMARY_PLACEHOLDER
from culture_hub.content_model.workflow import slugify
from culture_hub.share_tweet.shortcode import other_shortcodes

BLOCK = re.compile(r"^\s*<(p|div|h[1-6]|ul|ol|blockquote|pre|table|figure|hr|img)\b", re.IGNORECASE)
SUMMARY_LENGTH = 200
_SHORTCODE_START = re.compile(r"\[/?inlinetweet")


def _without_shortcodes(text: str) -> str:
    """``re.sub(r"\\[/?inlinetweet[^\\]]*\\]", "", text)`` in one pass.

    The regex looks for a ``]`` after every ``[inlinetweet``: with none left,
    each of them is scanned to the end (the square of an export's length).
    Here the first ``[inlinetweet`` without a ``]`` after it ends the search.
    """
    pieces: list[str] = []
    at = 0
    while (start := _SHORTCODE_START.search(text, at)) is not None:
        close = text.find("]", start.end())
        if close < 0:
            break
        pieces.append(text[at : start.start()])
        at = close + 1
    pieces.append(text[at:])
    return "".join(pieces)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _child(element: etree._Element, name: str) -> str:
    """Text of the first child with this local name, whatever the WXR version's namespace."""
    for child in element:
        if _local(child) == name:
            return (child.text or "").strip()
    return ""


@dataclass
class Post:
    wp_id: str
    title: str
    date: str
    status: str
    author: str
    categories: list[tuple[str, str]]
    tags: list[str]
    excerpt: str
    html: str


class ExportError(ValueError):
    """The export file cannot be read; the message says why and what to do."""


def read_posts(path: Path) -> tuple[list[Post], dict[str, str], list[str]]:
    """Posts, author login → display name, and notes on items that are not posts.

    Raises ``ExportError`` (one plain line) when the file is missing or is not
    a WordPress export, so the task never shows a traceback.
    """
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise ExportError(
            f"{path}: the file {what}; give the export file from WordPress "
            "(Tools → Export → All content), e.g. --export ~/Downloads/blog.xml"
        )
    parser = etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else error.lineno
        raise ExportError(
            f"{path}:{line}: this is not a readable WordPress export ({error.msg}); "
            "export again from WordPress (Tools → Export → All content) and give that file"
        ) from None
    except OSError as error:
        raise ExportError(
            f"{path}: cannot be read ({error.strerror or error}); "
            "check the file and its permissions"
        ) from None
    channel = tree.getroot().find("channel")
    if channel is None:
        raise ExportError(
            f"{path}: this XML file is not a WordPress export (no <channel>); "
            "export again from WordPress (Tools → Export → All content) and give that file"
        )
    authors = {
        _child(a, "author_login"): _child(a, "author_display_name") or _child(a, "author_login")
        for a in channel
        if _local(a) == "author"
    }
    posts, notes = [], []
    for item in channel.iter("item"):
        kind = _child(item, "post_type")
        if kind != "post":
            if kind not in ("attachment", "nav_menu_item"):
                title = _child(item, "title")
                notes.append(f"skipped {kind or 'an item'} '{title}': only posts become stories")
            continue
        categories = [
            (c.get("nicename", ""), (c.text or "").strip()) for c in _terms(item, "category")
        ]
        tags = [(c.text or "").strip() for c in _terms(item, "post_tag")]
        excerpt, html = _encoded(item, "excerpt"), _encoded(item, "content")
        posts.append(
            Post(
                wp_id=_child(item, "post_id"),
                title=_child(item, "title"),
                date=_child(item, "post_date"),
                status=_child(item, "status"),
                author=_child(item, "creator"),
                categories=categories,
                tags=tags,
                excerpt=excerpt,
                html=html,
            )
        )
    return posts, authors, notes


def _terms(item: etree._Element, domain: str) -> list[etree._Element]:
    """An item's categories or tags (``<category domain="post_tag">``)."""
    return [c for c in item.iter("category") if c.get("domain") == domain]


def _encoded(item: etree._Element, which: str) -> str:
    """``content:encoded`` or ``excerpt:encoded``: same local name, told apart by namespace."""
    return next(
        ((c.text or "").strip() for c in item if _local(c) == "encoded" and which in c.tag), ""
    )


def autop(html: str) -> str:
    """WordPress' paragraphs: blank-line-separated text becomes <p> blocks."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", html.replace("\r\n", "\n")) if b.strip()]
    return "\n".join(b if BLOCK.match(b) else f"<p>{b}</p>" for b in blocks)


@dataclass
class Imported:
    path: Path
    title: str
    images: list[tuple[str, str]]
    unknown: list[str]


@dataclass
class Report:
    imported: list[Imported] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        for item in self.imported:
            yield f"imported {item.path} ({item.title})"
            for problem in item.unknown:
                yield f"  check: {problem}"
            for url, target in item.images:
                yield f"  fetch image: {url} -> {target}"
        for note in self.notes:
            yield f"note: {note}"
        for failure in self.failed:
            yield f"NOT IMPORTED: {failure}"
        yield (
            f"{len(self.imported)} imported, {len(self.failed)} not imported, "
            f"{len(self.notes)} other items skipped; run `invoke check` next"
        )


_CAPTION_OPEN = re.compile(r"\[caption\b[^\]\n]*\]", re.IGNORECASE)
_CAPTION_CLOSE = "[/caption]"
_CAPTION_ATTR = re.compile(r"""caption=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
FIGURE_TOKEN = "CULTUREHUBFIGURE{}END"
FIGURE = re.compile(r"CULTUREHUBFIGURE\d+END")


def _captions(html: str) -> tuple[str, list[tuple[str, str, str]]]:
    """``html`` with each ``[caption]…[/caption]`` replaced by a token on its own
    paragraph, and (image src, alt, caption) for each. One forward pass."""
    figures: list[tuple[str, str, str]] = []
    pieces: list[str] = []
    at = 0
    while (opening := _CAPTION_OPEN.search(html, at)) is not None:
        close = html.lower().find(_CAPTION_CLOSE, opening.end())
        if close < 0:
            break
        inner = BeautifulSoup(html[opening.end() : close], "html.parser")
        img = inner.find("img")
        src, alt = (str(img.get("src", "")), str(img.get("alt", ""))) if img else ("", "")
        attr = _CAPTION_ATTR.search(opening.group(0))
        for tag in inner.find_all("img"):
            tag.decompose()
        caption = " ".join(inner.get_text(" ").split())
        if not caption and attr:
            caption = attr.group(1) or attr.group(2) or ""
        pieces.append(html[at : opening.start()])
        if src:
            pieces.append(f"\n\n{FIGURE_TOKEN.format(len(figures))}\n\n")
            figures.append((src, alt or caption, caption))
        else:
            pieces.append(f"\n\n{caption}\n\n")
        at = close + len(_CAPTION_CLOSE)
    pieces.append(html[at:])
    return "".join(pieces), figures


def _image_name(source: str) -> str:
    return PurePosixPath(urlsplit(source).path).name


def _figure(src: str, alt: str, caption: str) -> str:
    """A figure as raw HTML in the Markdown (Markdown passes HTML blocks through)."""
    name = _image_name(src)
    img = f'<img src="{escape(f"images/{name}")}" alt="{escape(alt)}">'
    return f"<figure>\n{img}\n<figcaption>{escape(caption)}</figcaption>\n</figure>"


# Markdown has no equivalent for these: Markdownify drops them (or keeps only a
# fallback text), so each one is named in the report instead of vanishing.
LEFT_OUT = {
    "iframe": "an embed",
    "embed": "an embed",
    "object": "an embedded object",
    "video": "a video",
    "audio": "a sound clip",
    "script": "a script",
    "form": "a form",
}


def _left_out(soup: BeautifulSoup) -> list[str]:
    """One report line per element the story cannot keep, with its address."""
    problems = []
    for tag in soup.find_all(list(LEFT_OUT)):
        if tag.find_parent(list(LEFT_OUT)) is not None:
            continue  # reported with its outer element
        source = tag.get("src") or tag.get("data") or tag.get("action") or ""
        if not source and (inner := tag.find("source")) is not None:
            source = inner.get("src", "")
        shown = f" ({source})" if source else ""
        if tag.name == "script":
            fix = "scripts never run on this site: add what it showed by hand, if anything"
        else:
            fix = "add a link to it by hand, e.g. [watch it](the address), or leave it out"
        problems.append(
            f"the post's <{tag.name}>{shown}, {LEFT_OUT[tag.name]}, is left out of the story; {fix}"
        )
        tag.decompose()
    return problems


def _body(html: str, content: Path) -> tuple[str, list[tuple[str, str]], list[str]]:
    html, figures = _captions(html)
    soup = BeautifulSoup(autop(html), "html.parser")
    left_out = _left_out(soup)
    images = []
    for img in soup.find_all("img"):
        source = img.get("src", "")
        name = _image_name(source)
        if not name:
            continue
        images.append((source, str(content / "images" / name)))
        img["src"] = f"images/{name}"
    for src, _alt, _caption in figures:
        if _image_name(src):
            images.append((src, str(content / "images" / _image_name(src))))
    text = markdownify(str(soup), heading_style="ATX", bullets="-").strip() + "\n"
    for number, figure in enumerate(figures):
        text = text.replace(FIGURE_TOKEN.format(number), _figure(*figure), 1)
    return text, images, left_out


def _summary(post: Post) -> str:
    """The excerpt, or the start of the text: never a caption or a shortcode."""
    source = post.excerpt or FIGURE.sub(" ", _captions(post.html)[0])
    text = BeautifulSoup(source, "html.parser").get_text(" ")
    text = _without_shortcodes(text)
    for match in reversed(other_shortcodes(text)):
        text = text[: match.start()] + text[match.end() :]
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text or SUMMARY_PLACEHOLDER
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def imported_text(
    *,
    title: str,
    when: datetime,
    authors: list[str],
    departments: list[str],
    tags: list[str],
    summary: str,
    ident: str,
    draft: bool,
    slug: str = "",
) -> str:
    """The front matter of an imported story: plain fields, no scaffold notes."""
    lines = [
        "---",
        f"title: {_yaml(title)}",
        *([f"slug: {slug}"] if slug else []),
        f"date: {when:%Y-%m-%d %H:%M}",
        f"authors: [{', '.join(authors)}]",
        f"departments: [{', '.join(departments)}]",
        f"tags: [{', '.join(_yaml(t) for t in tags)}]",
        f"summary: {_yaml(summary)}",
        f"id: {ident}",
    ]
    if draft:
        lines.append("status: draft")
    return "\n".join([*lines, "---", ""])


def _existing(stories: Path) -> tuple[dict[str, Path], set[str]]:
    """Ids (→ file) and slugs of the stories already there, from their front matter.

    A story whose front matter cannot be read is skipped here: ``invoke
    check`` reports it at its line, and the import only has to avoid clashes.
    """
    known: dict[str, Path] = {}
    slugs: set[str] = set()
    for path in sorted(stories.glob("**/*.md")) if stories.is_dir() else []:
        try:
            meta = split(path.read_text(encoding="utf-8"), str(path)).meta
        except (FrontMatterError, OSError, UnicodeDecodeError):
            continue
        if meta.get("id"):
            known[str(meta["id"])] = path
        slug = meta.get("slug") or slugify(str(meta.get("title") or path.stem))
        slugs.add(str(slug))
    return known, slugs


def _free_name(content: Path, when: datetime, slug: str, slugs: set[str]) -> tuple[str, Path]:
    """The slug and file for a new story: ``-2``, ``-3``… when either is taken."""
    stories = content / "stories"
    candidate, number = slug, 1
    while candidate in slugs or (stories / f"{when:%Y-%m-%d}-{candidate}.md").exists():
        number += 1
        candidate = f"{slug}-{number}"
    return candidate, stories / f"{when:%Y-%m-%d}-{candidate}.md"


def convert(
    posts: list[Post],
    authors: dict[str, str],
    content: Path,
    departments: set[str],
    people: set[str],
) -> Report:
    """Write one story per post under ``content/stories``; report what needs a human.

    A post already imported (its ``id: wp-<id>`` is in a story) is left alone,
    so running the import again is safe. A post whose title another story
    already has gets ``-2`` (``-3``…) in its file name and its ``slug:``, so
    both keep their own page.
    """
    report = Report()
    known, slugs = _existing(content / "stories")
    for post in posts:
        label = f"post {post.wp_id} '{post.title or '(no title)'}'"
        try:
            when = datetime.fromisoformat(post.date)
        except ValueError:
            report.failed.append(f"{label}: its date '{post.date}' cannot be read")
            continue
        if not post.title:
            report.failed.append(f"{label}: it has no title")
            continue
        ident = f"wp-{post.wp_id}" if post.wp_id else ""
        if ident and ident in known:
            report.notes.append(f"{label} is already imported as {known[ident]}: left as it is")
            continue
        slug, target = _free_name(content, when, slugify(post.title), slugs)
        ident = ident or f"{when:%Y-%m}-{slug}"
        known[ident] = target
        slugs.add(slug)
        person = slugify(authors.get(post.author, post.author))
        dept_ids = [nice or slugify(name) for nice, name in post.categories]
        unknown = [
            f"author '{person}' is not in content/people/" for _ in [0] if person not in people
        ]
        unknown += [f"category '{d}' is not a department" for d in dept_ids if d not in departments]
        if not dept_ids:
            unknown.append("the post has no category: add its departments")
        body, images, left_out = _body(post.html, content)
        unknown += left_out
        text = imported_text(
            title=post.title,
            when=when,
            authors=[person],
            departments=dept_ids,
            tags=post.tags,
            summary=_summary(post),
            ident=ident,
            draft=post.status != "publish",
            slug=slug if slug != slugify(post.title) else "",
        )
        if _summary(post) == SUMMARY_PLACEHOLDER:
            unknown.append("the post has no text for a summary: write 'summary:'")
        first_body_line = text.count("\n") + 1
        for match in other_shortcodes(body):
            line = first_body_line + body.count("\n", 0, match.start())
            if not match["close"]:
                unknown.append(
                    f"line {line}: the shortcode [{match['name']}] has no equivalent here; "
                    "replace it by hand (`invoke check` reports it until you do)"
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + body, encoding="utf-8")
        report.imported.append(Imported(target, post.title, images, unknown))
    return report
