"""The contributor workflow: invoke check, new-story, calendar, codeowners."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, build_site

DEFECTS = FIXTURES / "defects"
# file → (line, level, words): exactly one problem each
EXPECTED = {
    "stories/bad-yaml.md": (2, "error", "invalid YAML in the front matter"),
    "stories/missing-title.md": (1, "error", "required field 'title' is missing"),
    "stories/bad-date.md": (3, "error", "'13/03/2026' is not a valid date"),
    "stories/unknown-author.md": (
        4,
        "error",
        "unknown author 'ada-quil' (did you mean 'ada-quill'?",
    ),
    "stories/unknown-department.md": (
        5,
        "error",
        "unknown department 'finanse' (did you mean 'finance'?)",
    ),
    "stories/duplicate-slug.md": (
        2,
        "error",
        "the same address /stories/counting-the-first-thing/",
    ),
    "stories/duplicate-id-b.md": (7, "error", "the id 'shared-id' is already used"),
    "stories/missing-image.md": (7, "error", "image 'images/nope.png' does not exist"),
    "stories/no-alt.md": (7, "error", "the image has no alt text"),
    "stories/broken-link.md": (8, "error", "the link target '{filename}nope.md' does not exist"),
    "stories/markdown-link.md": (8, "error", "points at a Markdown file"),
    "stories/bad-quote.md": (8, "error", "an [inlinetweet] is never closed"),
    "stories/long-quote.md": (8, "warning", "quote 1 is too long for X"),
    "stories/long-summary.md": (6, "warning", "the summary is 439 characters long"),
    "stories/unsafe.md": (8, "error", "unsafe HTML: the <script> element"),
    "stories/not-utf8.md": (1, "error", "the file is not UTF-8 text"),
    "stories/unknown-field.md": (
        3,
        "error",
        "unknown field 'tittle' for a story (did you mean 'title'?)",
    ),
    "people/no-role.md": (1, "error", "required field 'role' is missing"),
    # issue 16: what passes the check is finished and renders as written
    "stories/picture-missing.md": (
        10,
        "error",
        "the picture '{static}/images/nope.png' does not exist (did you mean ![…](images/box.png)?",
    ),
    "stories/picture-relative.md": (
        10,
        "error",
        "'../../images/box.png' is written relative to this file or page, which breaks when either moves (write it as ![…](images/box.png)",
    ),
    "stories/picture-no-alt.md": (10, "error", "the picture 'images/box.png' has no alt text"),
    "stories/placeholder-summary.md": (6, "error", "'summary' is still the placeholder"),
    "stories/empty-body.md": (8, "error", "the story has no text yet"),
    "stories/headings-only.md": (8, "error", "the story has only headings, no text"),
    "stories/scaffold-note.md": (
        10,
        "error",
        "the note from `invoke new-story` is still in the story (delete lines 10-11",
    ),
    "people/placeholder-bio.md": (
        6,
        "error",
        "'A sentence or two about you.' is still the placeholder",
    ),
    "stories/notes.txt": (1, "error", "'notes.txt' is not a Markdown file ending in '.md'"),
    "stories/shouting.MD": (1, "error", "(rename it 'shouting.md')"),
    "stories/My Story.md": (
        1,
        "error",
        "the file name 'My Story.md' has capitals, spaces or other signs; it becomes the page's address and the id other files use (rename it 'my-story.md'",
    ),
    "stories/tab.md": (
        3,
        "error",
        "this line of the front matter has a tab character; YAML allows only spaces there",
    ),
    "stories/bom.md": (1, "error", "the file starts with an invisible byte-order mark (BOM)"),
    "stories/smart-quotes.md": (
        7,
        "error",
        "the field name “tags” has quotes around it, so it is not the field 'tags'",
    ),
    "stories/capital-field.md": (
        7,
        "error",
        "field names are lower case: 'Tags' is not a field (write tags: …)",
    ),
    "stories/capital-department.md": (
        5,
        "error",
        "'Finance' is not a valid id: ids are lower-case letters, digits and hyphens, as in the file names (write 'finance')",
    ),
    "stories/quote-heading.md": (10, "error", "an [inlinetweet] inside a heading"),
    "stories/quote-link-text.md": (8, "error", "an [inlinetweet] inside a link's text"),
    "stories/quote-alt.md": (10, "error", "an [inlinetweet] inside a picture's alt text"),
    "stories/quote-list-marker.md": (
        10,
        "error",
        "an [inlinetweet] holds a list item's '-' or '1.'",
    ),
    "stories/quote-with-link.md": (8, "error", "a link inside an [inlinetweet] quote"),
    "stories/quote-mention.md": (
        8,
        "error",
        "quote 1 holds “@sam”: posted, it would mention and notify whoever has that name on "
        "each network, not who you mean (write the name without the @ (“sam”)",
    ),
    "stories/quote-domain.md": (
        8,
        "error",
        "quote 1 holds “ledgers.example.com”: posted, X and Bluesky turn it into a link the post "
        "did not mean to carry (put the address in the story, before or after the quote",
    ),
    # The whole story's share buttons post its share_text, else its title, as a quote.
    "stories/share-title-mention.md": (
        2,
        "error",
        "the title (the words the story's share buttons post) holds “@sam”: posted, it would "
        "mention and notify whoever has that name on each network, not who you mean (write the "
        "name without the @ (“sam”); the author's own handle is added to each post as 'via @…'; "
        "or add a line 'share_text: …' with the words to post instead of the title)",
    ),
    "stories/share-text-domain.md": (
        7,
        "error",
        "'share_text' holds “ledgers.example.com”: posted, X and Bluesky turn it into a link the "
        "post did not mean to carry (leave the address out of the share_text: the post already "
        "links the story)",
    ),
    # A prefix that leaves no room: the X share button would post "…" and hashtags.
    "stories/quote-long-prefix.md": (
        10,
        "error",
        "quote 1 cannot be shared on X: its share button would post only 0 of its 46 characters, "
        "because the prefix, hashtags and 'via @…' take the rest of X's 280",
    ),
    "people/quote-bio.md": (
        6,
        "error",
        "[inlinetweet] quotes belong in stories; a bio has no share links",
    ),
    "stories/wordpress-gallery.md": (
        10,
        "error",
        "the WordPress shortcode [gallery] does not work here",
    ),
    "departments/orphans.md": (
        4,
        "error",
        "department 'orphans' has an unknown lead 'nobody-here'",
    ),
    # the scaffold's note with its '<!--' and '-->' lines deleted
    "stories/scaffold-note-lines.md": (
        10,
        "error",
        "text from the `invoke new-story` note is still in the story; its example quote and "
        "picture would be published (delete lines 10, 11, 12, 13, then write your own words)",
    ),
    "stories/picture-remote.md": (
        10,
        "error",
        "the picture 'https://pictures.example/bay.png' is loaded from another site",
    ),
    "stories/picture-remote-html.md": (
        10,
        "error",
        "the picture '//pictures.example/pixel.gif' is loaded from another site, which the site "
        "does not allow and which tells that site who reads the page (download the picture, put "
        "the file in content/images/ and write ![what it shows](images/<file>))",
    ),
    "stories/quote-in-title.md": (2, "error", "'title' has an [inlinetweet] tag"),
    "stories/quote-in-alt.md": (
        8,
        "error",
        "'image_alt' has an [inlinetweet] tag, which a field shows as it is written (remove "
        "[inlinetweet] and [/inlinetweet] from the field",
    ),
}
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<message>.+)$")


def invoke(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def defects_check(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    base = tmp_path_factory.mktemp("defects")
    shutil.copytree(DEFECTS, base / "content")
    return invoke("check", "--content", "content", cwd=base)


def test_every_rule_reports_its_file_and_line(defects_check) -> None:
    assert defects_check.returncode == 1
    assert "Traceback" not in defects_check.stdout + defects_check.stderr
    found: dict[str, list[tuple[int, str, str]]] = {}
    for line in defects_check.stdout.splitlines():
        parsed = LINE.match(line)
        assert parsed, f"not path:line: level: message — {line!r}"
        relative = parsed["path"].removeprefix("content/")
        found.setdefault(relative, []).append(
            (int(parsed["line"]), parsed["level"], parsed["message"])
        )
    assert set(found) == set(EXPECTED), set(found) ^ set(EXPECTED)
    for path, (line, level, words) in EXPECTED.items():
        assert len(found[path]) == 1, found[path]
        got_line, got_level, message = found[path][0]
        assert (got_line, got_level) == (line, level), (path, found[path])
        assert words in message, (path, message)
        assert message.endswith(")"), f"{path}: every message says how to fix it: {message}"


def test_the_clean_sample_content_passes(tmp_path: Path) -> None:
    done = invoke("check", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "0 error(s), 0 warning(s)" in done.stderr


def test_github_format_is_workflow_annotations(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    done = invoke("check", "--content", "content", "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == len(EXPECTED)
    annotation = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,title=[^:,]+::[^\n]+$")
    assert all(annotation.match(line) for line in lines), lines
    assert (
        "::error file=content/stories/bad-date.md,line=3,title=Culture hub check::'date' '13/03/2026' is not a valid date"
        in done.stdout
    )


def test_checking_given_files_only(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    done = invoke(
        "check", "--content", "content", "--file", "content/stories/bad-date.md",
        "--file", "content/stories/first.md", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == [
        "content/stories/bad-date.md"
    ]


def test_what_passes_the_check_builds_and_what_fails_it_fails_publish(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 1
    errors = {
        line.split(":")[0].removeprefix("content/")
        for line in built.stderr.splitlines()
        if ": error: " in line
    }
    assert errors == {path for path, (_l, level, _w) in EXPECTED.items() if level == "error"}


def test_new_story_with_flags_passes_check_and_builds(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke(
        "new-story", "--content", "content", "--title", "Our first café crème",
        "--author", "ada-quill", "--department", "finance", "--tag", "coffee",
        "--summary", "Coffee, counted.", "--date", "2025-10-01 09:00", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    story = tmp_path / "content" / "stories" / "2025-10-01-our-first-cafe-creme.md"
    assert story.is_file()
    text = story.read_text()
    assert "id: 2025-10-our-first-cafe-creme" in text
    # Unfinished: the scaffold's note and no words yet. The check says so at
    # its lines, and the publish build refuses it.
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 1
    note_line = text.splitlines().index(next(x for x in text.splitlines() if "<!--" in x)) + 1
    assert checked.stdout.splitlines() == [
        f"content/stories/{story.name}:{note_line}: error: the note from `invoke new-story` is "
        f"still in the story (delete lines {note_line}-{note_line + 5}, from '<!--' to '-->', "
        "once you have read them)",
        f"content/stories/{story.name}:{note_line}: error: the story has no text yet (write the "
        "story below the front matter, after the second '---' line)",
    ]
    refused = build_site(tmp_path / "content", tmp_path / "refused", cwd=tmp_path)
    assert refused.returncode == 1 and not (tmp_path / "refused").exists()
    story.write_text(text[: text.index("<!--")] + "We counted the coffee.\n")
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    page = built.soup("stories/our-first-cafe-creme/index.html")
    assert page.h1.get_text() == "Our first café crème"
    assert not page.select("mark.inline-quote")  # the guide's example quote is a comment
    again = invoke(
        "new-story", "--content", "content", "--title", "Our first café crème",
        "--author", "ada-quill", "--department", "finance", "--summary", "S.",
        "--date", "2025-10-01 09:00", cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_deleting_only_the_note_markers_leaves_it_unfinished(tmp_path: Path) -> None:
    """A writer who deletes the note's '<!--' and '-->' lines but not its text would
    publish the example quote to the social feeds: the check names every line left."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke(
        "new-story", "--content", "content", "--title", "Half a note",
        "--author", "ada-quill", "--department", "finance",
        "--summary", "Coffee, counted.", "--date", "2025-10-01 09:00", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    story = tmp_path / "content" / "stories" / "2025-10-01-half-a-note.md"
    lines = story.read_text().splitlines()
    first = next(i for i, x in enumerate(lines) if x.startswith("<!--"))
    # the first line goes, the last keeps its text without '-->'; real words above
    lines[first] = "We counted the coffee."
    lines[first + 5] = lines[first + 5].removesuffix("-->").rstrip()
    story.write_text("\n".join(lines) + "\n")
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 1
    left = ", ".join(str(first + n) for n in range(2, 7))
    assert (
        f"content/stories/{story.name}:{first + 2}: error: text from the `invoke new-story` "
        "note is still in the story; its example quote and picture would be published "
        f"(delete lines {left}, then write your own words)"
    ) in checked.stdout.splitlines()
    refused = build_site(tmp_path / "content", tmp_path / "refused", cwd=tmp_path)
    assert refused.returncode == 1 and not (tmp_path / "refused").exists()
    assert f"{story.name}:{first + 2}: error: text from the `invoke new-story` note" in (
        refused.stderr
    )
    story.write_text("\n".join(lines[: first + 1]) + "\n")
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_new_story_interactive_creates_a_new_person(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    answers = "Night shift notes\nzed-new\nwarehouse\nnight, logistics\nHow the night goes.\n"
    done = invoke("new-story", "--content", "content", "--create-person", "--date", "2025-10-02",
                  cwd=tmp_path, stdin=answers)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "content" / "people" / "zed-new.md").is_file()
    text = (tmp_path / "content" / "stories" / "2025-10-02-night-shift-notes.md").read_text()
    assert 'tags: ["night", "logistics"]' in text
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    errors = [line.split(": error: ")[1] for line in checked.stdout.splitlines()]
    assert errors == [
        "the text 'A sentence or two about you.' is still the placeholder "
        "(write a sentence or two about yourself)",
        *[e for e in errors[1:] if "new-story" in e or "no text yet" in e],
    ], errors
    assert len(errors) == 3  # the bio, the note, no text


def test_new_story_suggests_ids(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke("new-story", "--content", "content", "--title", "T", "--author", "ada-quil",
                  "--department", "finanse", "--summary", "S.", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    assert "unknown department 'finanse': did you mean 'finance'?" in done.stderr
    assert "unknown author 'ada-quil': did you mean 'ada-quill'?" in done.stderr
    assert list((tmp_path / "content" / "stories").glob("*-t.md")) == []


def test_calendar_lists_drafts_and_scheduled(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "audiences", tmp_path / "content")
    done = invoke("calendar", "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[2] for line in lines] == ["draft", "scheduled"]
    assert "Title ZZFUTUREMARKER" in lines[1] and "2099-01-01" in lines[1]


def test_codeowners_is_current_and_routes_to_leads() -> None:
    done = invoke("codeowners", "--check", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (ROOT / ".github" / "CODEOWNERS").read_text()
    assert "/content/stories/2026-03-13-accountants-retweets.md @teriksen @amara-okafor" in text


def test_import_wordpress(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    export = FIXTURES / "wordpress" / "export.xml"
    done = invoke("import-wordpress", str(export), "--content", "content", cwd=tmp_path)
    assert done.returncode == 1  # one post could not be converted, and it says so
    out = done.stdout
    assert "NOT IMPORTED: post 104 'A post with a broken date'" in out
    assert "note: skipped page 'About the old blog'" in out
    assert "fetch image: https://old-blog.example/wp-content/uploads/2024/04/loading-bay.jpg" in out
    assert "check: category 'logistics' is not a department" in out
    stories = tmp_path / "content" / "stories"
    first = (stories / "2024-03-05-closing-the-books-before-lunch.md").read_text()
    assert "authors: [ada-quill]" in first and "departments: [finance]" in first
    assert 'tags: ["ways-of-working"]' in first
    assert 'summary: "A quarter of early closes in Finance."' in first
    assert (
        "[inlinetweet prefix=“” tweeter=“null” suffix=“#FinanceVoices”]an early close is a calm close[/inlinetweet]"
        in first
    )
    assert "## What changed" in first
    draft = (stories / "2024-05-01-unfinished-thoughts-on-budgets.md").read_text()
    assert "\nstatus: draft" in draft
    bay = (stories / "2024-04-10-the-new-loading-bay-in-pictures.md").read_text()
    assert "![Trucks backed up to a new loading bay](images/loading-bay.jpg)" in bay
    assert "id: wp-102" in bay and "#" not in bay.split("---")[1]  # no scaffold notes
    # the checker then names what a human must finish: the missing image, the unknown department
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    problems = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert all("2024-04-10-the-new-loading-bay" in line for line in problems), problems
    assert any("unknown department 'logistics'" in line for line in problems)
    assert any("the picture 'images/loading-bay.jpg' does not exist" in line for line in problems)
    (stories / "2024-04-10-the-new-loading-bay-in-pictures.md").unlink()
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    page = built.soup("stories/closing-the-books-before-lunch/index.html")
    assert page.select_one("#quote-1").get_text() == "an early close is a calm close"
    assert "hashtags=FinanceVoices" in page.select_one("a.share-x")["href"]


ISSUE_16 = [
    path
    for path in EXPECTED
    if list(EXPECTED).index(path) >= list(EXPECTED).index("stories/picture-missing.md")
]


@pytest.mark.parametrize("path", ISSUE_16)
def test_each_mistake_alone_stops_the_publish_build_at_its_line(path: str, tmp_path: Path) -> None:
    """One mistake in an otherwise good site: the publish build names it and writes nothing."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    shutil.copy(DEFECTS / path, tmp_path / "content" / path)
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    line, _level, words = EXPECTED[path]
    assert built.returncode == 1, built.log
    assert f"content/{path}:{line}: error: " in built.stderr, built.log
    assert words in built.stderr
    assert not (tmp_path / "out").exists()  # nothing published
    assert "Traceback" not in built.log


def test_the_dev_build_shows_every_mistake_as_a_warning_and_builds(tmp_path: Path) -> None:
    shutil.copytree(DEFECTS, tmp_path / "content")
    built = build_site(tmp_path / "content", tmp_path / "out", "pelicanconf.py", cwd=tmp_path)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    for path in ISSUE_16:
        line, _level, words = EXPECTED[path]
        assert f"content/{path}:{line}: warning: " in built.log, path
        assert words in built.log, path
    # and the page shows what the writer meant, without raw markup
    page = built.soup("stories/picture-relative/index.html")
    shown = page.select_one(".prose picture img")  # the published picture, responsive
    assert shown["src"].startswith("../../images/r/box-") and shown["width"] == "1200"
    gallery = built.soup("stories/wordpress-gallery/index.html")
    assert "[gallery" not in gallery.get_text()
    heading = built.soup("stories/quote-heading/index.html").select_one(".prose h2")
    assert heading.get_text() == "A heading quote" and not heading.select("a, mark")


def test_import_wordpress_captions_galleries_and_unknown_shortcodes(tmp_path: Path) -> None:
    """[caption] becomes a figure, [inlinetweet] stays, anything else is reported with its
    line, is an error there for the check and the publish build, and never shows as text."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    export = FIXTURES / "wordpress_shortcodes" / "export.xml"
    done = invoke("import-wordpress", str(export), "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    story = tmp_path / "content" / "stories" / "2024-06-03-shelves-that-count-themselves.md"
    text = story.read_text()
    gallery_line = text.splitlines().index('[gallery ids="12,13,14" columns="3"]') + 1
    form_line = text.splitlines().index('[contact-form-7 id="55" title="Tell us"]') + 1
    assert f"  check: line {gallery_line}: the shortcode [gallery] has no equivalent" in done.stdout
    assert f"  check: line {form_line}: the shortcode [contact-form-7] has no equivalent" in (
        done.stdout
    )
    assert "fetch image: https://old-blog.example/wp-content/uploads/2024/06/box.png" in done.stdout
    assert "id: wp-201" in text and "[caption" not in text and "<!--" not in text
    assert '[inlinetweet prefix="" tweeter="" suffix="#FinanceVoices"]' in text
    assert "CULTUREHUB" not in text and "caption" not in text.split("---")[1]
    words = tmp_path / "content" / "stories" / "2024-06-04-a-caption-without-a-picture.md"
    assert "\nOnly words in this caption.\n" in words.read_text()

    checked = invoke("check", "--content", "content", cwd=tmp_path)
    shown = f"content/stories/{story.name}"
    assert checked.stdout.splitlines() == [
        f"{shown}:{gallery_line}: error: the WordPress shortcode [gallery] does not work here; "
        "it is left out of the page (replace it with Markdown, e.g. a picture as "
        "![what it shows](images/<file>), or delete it)",
        f"{shown}:{form_line}: error: the WordPress shortcode [contact-form-7] does not work "
        "here; it is left out of the page (replace it with Markdown, e.g. a picture as "
        "![what it shows](images/<file>), or delete it)",
    ]
    refused = build_site(tmp_path / "content", tmp_path / "refused", cwd=tmp_path)
    assert refused.returncode == 1 and not (tmp_path / "refused").exists()

    # The dev build shows the page without the shortcodes; once replaced, it publishes.
    dev = build_site(tmp_path / "content", tmp_path / "dev", "pelicanconf.py", cwd=tmp_path)
    page = dev.soup("stories/shelves-that-count-themselves/index.html")
    assert "[gallery" not in page.get_text() and "[contact-form" not in page.get_text()
    story.write_text(
        text.replace('[gallery ids="12,13,14" columns="3"]', "More words.").replace(
            '[contact-form-7 id="55" title="Tell us"]', "Write to us."
        )
    )
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    page = built.soup("stories/shelves-that-count-themselves/index.html")
    figure = page.select_one(".prose figure")
    assert figure.picture.img["src"].startswith(
        "https://culture.lanternfield.example/images/r/box-"
    )
    assert figure.img["alt"] == "A cardboard box on a steel shelf"
    assert figure.figcaption.get_text() == "The first shelf with a weight sensor under it."
    assert page.select_one("#quote-1").get_text() == "a shelf that counts itself never loses a box"
    assert "[" not in page.select_one(".prose").get_text()


def test_an_unfinished_draft_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """A draft is never published, so the scaffold's text in it does not stop the site."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    draft = (
        (DEFECTS / "stories" / "empty-body.md")
        .read_text()
        .replace("---\n", "---\nstatus: draft\n", 1)
    )
    (tmp_path / "content" / "stories" / "draft.md").write_text(draft)
    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines() == [
        "content/stories/draft.md:9: warning: the story has no text yet (write the story below "
        "the front matter, after the second '---' line)"
    ]
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log


def _one_plain_line(done: subprocess.CompletedProcess[str]) -> str:
    """The writer sees exactly one line on stderr, exit code 1, no traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "tomorrow"])
def test_new_story_with_an_impossible_date_says_how_to_write_one(date: str, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    done = invoke("new-story", "--content", "content", "-t", "T", "-a", "ada-quill",
                  "-d", "finance", "-s", "S.", "-e", date, cwd=tmp_path)  # fmt: skip
    assert _one_plain_line(done) == (
        f"--date '{date}' is not a real date in the form YYYY-MM-DD [HH:MM]; "
        "write e.g. --date 2026-03-14 or --date '2026-03-14 09:30'"
    )
    assert sorted(p.name for p in (tmp_path / "content" / "stories").iterdir()) == sorted(
        p.name for p in (FIXTURES / "basic" / "stories").iterdir()
    )


@pytest.mark.parametrize("task", ["build", "calendar"])
def test_a_missing_content_folder_is_one_line(task: str, tmp_path: Path) -> None:
    done = invoke(task, "--content", str(tmp_path / "nonexist"), cwd=tmp_path)
    assert _one_plain_line(done) == (
        f"--content {tmp_path / 'nonexist'}: the folder does not exist; give the folder that "
        "holds your stories, e.g. --content content (run from the project's folder)"
    )
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        (None, "{path}: the file does not exist; give the export file from WordPress "
               "(Tools → Export → All content), e.g. --export ~/Downloads/blog.xml"),
        ("garbage\n", "{path}:1: this is not a readable WordPress export (Start tag expected, "
                      "'<' not found, line 1, column 1); export again from WordPress "
                      "(Tools → Export → All content) and give that file"),
        ('<?xml version="1.0"?><rss><item/></rss>', "{path}: this XML file is not a WordPress "
         "export (no <channel>); export again from WordPress (Tools → Export → All content) "
         "and give that file"),
    ],
)  # fmt: skip
def test_import_wordpress_of_an_unreadable_export_is_one_line(
    contents: str | None, expected: str, tmp_path: Path
) -> None:
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    export = tmp_path / "export.xml"
    if contents is not None:
        export.write_text(contents)
    done = invoke("import-wordpress", "--export", str(export), "--content", "content", cwd=tmp_path)
    assert _one_plain_line(done) == expected.format(path=export)
    assert done.stdout == ""


def test_import_wordpress_names_left_out_embeds_and_numbers_repeated_titles(
    tmp_path: Path,
) -> None:
    """An <iframe> or <script> is listed with its post, never dropped silently; a title that
    is already taken gets -2, -3 in its file name and slug; importing again changes nothing."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    export = FIXTURES / "wordpress_embeds" / "export.xml"
    done = invoke("import-wordpress", "--export", str(export), "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    stories = Path("content") / "stories"
    assert done.stdout.splitlines() == [
        f"imported {stories / '2024-07-01-inventory-day.md'} (Inventory day)",
        "  check: the post's <iframe> (https://video.old-blog.example/embed/inventory-walkthrough)"
        ", an embed, is left out of the story; add a link to it by hand, e.g. [watch it](the "
        "address), or leave it out",
        "  check: the post's <script>, a script, is left out of the story; scripts never run on "
        "this site: add what it showed by hand, if anything",
        f"imported {stories / '2024-07-01-inventory-day-2.md'} (Inventory day)",
        f"imported {stories / '2024-08-01-inventory-day-3.md'} (Inventory day)",
        "3 imported, 0 not imported, 0 other items skipped; run `invoke check` next",
    ]
    first = (tmp_path / stories / "2024-07-01-inventory-day.md").read_text()
    assert "iframe" not in first and "countBoxes" not in first and "slug:" not in first
    assert (
        "\nslug: inventory-day-2\n"
        in (tmp_path / stories / "2024-07-01-inventory-day-2.md").read_text()
    )
    before = {p: p.read_text() for p in (tmp_path / stories).iterdir()}
    again = invoke(
        "import-wordpress", "--export", str(export), "--content", "content", cwd=tmp_path
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "note: post 302 'Inventory day' is already imported as " in again.stdout
    assert again.stdout.splitlines()[-1].startswith("0 imported, 0 not imported, 3 ")
    assert {p: p.read_text() for p in (tmp_path / stories).iterdir()} == before

    checked = invoke("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert built.returncode == 0, built.log
    for slug, words in [
        ("inventory-day", "The count matched the books to the box."),
        ("inventory-day-2", "The second count, on the same day, for the front shop."),
        ("inventory-day-3", "A month later we counted again"),
    ]:
        page = built.soup(f"stories/{slug}/index.html")
        assert words in page.select_one(".prose").get_text()
        assert not page.select(".prose iframe, .prose script")
