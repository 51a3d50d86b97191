"""The content folder's inventory: what may sit where, decided on real files."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from culture_hub.content_model.frontmatter import split
from culture_hub.content_model.inventory import Layout, image_problem, scan
from culture_hub.content_model.references import content_file, read_references

LAYOUT = Layout(
    text_folders=("stories", "leadership", "pages", "departments", "people"),
    image_folders=("images",),
    root_files=("feed-ledger.json",),
    max_source_bytes=1_000,
    max_image_bytes=5_000,
)


def _image_of(width: int, height: int) -> bytes:
    data = io.BytesIO()
    Image.new("1", (width, height)).save(data, format="PNG")  # a few KB, many pixels
    return data.getvalue()


def _image(fmt: str) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(data, format=fmt)
    return data.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.jpeg", "JPEG"), ("a.webp", "WEBP"),
     ("a.gif", "GIF"), ("a.avif", "AVIF"), ("UPPER.PNG", "PNG")],
)  # fmt: skip
def test_real_images_of_every_allowed_type_pass(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(_image(fmt))
    assert image_problem(path, name, 100_000) is None


def test_checking_a_picture_loads_only_the_readers_of_the_allowed_formats(
    tmp_path: Path,
) -> None:
    """Asked for a format it has not loaded, Pillow imports all its forty-odd readers,
    20 ms of every build; the check names the five it needs. (A fresh interpreter:
    this one has saved pictures of every kind.)"""
    for name, fmt in (("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.webp", "WEBP")):
        (tmp_path / name).write_bytes(_image(fmt))
    script = (
        "import sys; from pathlib import Path\n"
        "from culture_hub.content_model.inventory import image_problem\n"
        f"for path in sorted(Path({str(tmp_path)!r}).iterdir()):\n"
        "    assert image_problem(path, path.name, 100_000) is None, path\n"
        "print(sorted(m for m in sys.modules if m.endswith('ImagePlugin')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(ast.literal_eval(done.stdout))
    assert "PIL.PngImagePlugin" in loaded
    assert "PIL.BlpImagePlugin" not in loaded  # one of the readers it never needs
    assert len(loaded) < 10


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.png", b"<html><form></form></html>", "named like a PNG image, but its bytes"),
        ("a.jpg", _image("PNG"), "named like a JPEG image, but its bytes"),
        ("a.gif", b"GIF89a", "named like a GIF image, but its bytes"),  # a header, no image
        ("a.svg", b"<svg onload='x'/>", "SVG files are not published"),
        ("sw.js", b"self.onfetch=1", "'sw.js' is not an image"),
        ("a.html", b"<p>", "'a.html' is not an image"),
        ("a", b"\x89PNG", "'a' is not an image"),
        ("big.png", _image("PNG") + b"\0" * 200_000, "the image is 0.2 MB; the limit is 0.1 MB"),
        ("cut.png", _image("PNG")[:-20], "named like a PNG image, but its bytes are not one"),
        ("huge.png", _image_of(9_000, 9_000), "the image has 81 megapixels; the limit is 40"),
        # so many that Pillow refuses it from its header: its count is not known
        (
            "vast.png",
            _image_of(20_000, 20_000),
            "the image has far more megapixels; the limit is 40",
        ),
    ],
)
def test_anything_else_is_refused_with_the_reason(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    problem = image_problem(path, f"content/images/{name}", 100_000)
    assert problem is not None and problem.is_error
    assert message in problem.message
    assert problem.path == f"content/images/{name}" and problem.line == 1
    assert problem.fix


def _tree(root: Path) -> Path:
    content = root / "content"
    for folder in ("stories", "pages", "people", "images"):
        (content / folder).mkdir(parents=True)
    (content / "stories" / "a.md").write_text("---\n---\n")
    (content / "stories" / "2026").mkdir()
    (content / "stories" / "2026" / "b.md").write_text("---\n---\n")
    (content / "people" / "p.md").write_text("---\n---\n")
    (content / "images" / "x.png").write_bytes(_image("PNG"))
    (content / "images" / ".gitkeep").write_text("")
    (content / "feed-ledger.json").write_text("{}")
    return content


def test_a_clean_folder_is_all_accounted_for(tmp_path: Path) -> None:
    inventory = scan(_tree(tmp_path), LAYOUT)
    assert inventory.problems == ()
    assert inventory.markdown == {"stories/a.md", "stories/2026/b.md", "people/p.md"}
    assert inventory.images == {"images/x.png"}
    assert inventory.files == inventory.markdown | inventory.images


def test_links_are_reported_never_entered_and_never_listed(tmp_path: Path) -> None:
    content = _tree(tmp_path)
    (tmp_path / "secret").write_text("x")
    (content / "images" / "s.png").symlink_to(tmp_path / "secret")
    (content / "images" / "loop").symlink_to(".")
    (content / "stories" / "loop").symlink_to("..")
    (content / "stories" / "dangling.md").symlink_to("nowhere.md")
    inventory = scan(content, LAYOUT)
    linked = sorted(Path(p.path).name for p in inventory.problems)
    assert linked == ["dangling.md", "loop", "loop", "s.png"]
    assert all("symbolic link" in p.message for p in inventory.problems)
    assert "images/s.png" not in inventory.images
    assert not any("loop" in name for name in inventory.files)


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("pages/about.rst", "'about.rst' is not a Markdown file"),
        ("stories/Loud.MD", "'Loud.MD' is not a Markdown file ending in '.md'"),
        ("stories/long.markdown", "'long.markdown' is not a Markdown file ending in '.md'"),
        ("stories/.hidden.md", "'.hidden.md' is a hidden file"),
        ("stories/note.txt", "'note.txt' is not a Markdown file"),
        ("people/sub/x.md", "files in people/ must sit directly in it"),
        ("extra/robots.txt", "'extra/' is not one of the site's folders"),
        ("README.md", "not part of any content folder"),
        ("stories/long.md", "the file is 1,001 bytes; the limit is 1,000"),
    ],
)
def test_every_other_file_is_an_error_at_that_file(
    tmp_path: Path, relative: str, message: str
) -> None:
    content = _tree(tmp_path)
    (content / relative).parent.mkdir(parents=True, exist_ok=True)
    (content / relative).write_text("x" * 1_001 if "long.md" in relative else "x")
    inventory = scan(content, LAYOUT)
    assert [message in p.message for p in inventory.problems] == [True]
    assert relative not in inventory.files


@pytest.mark.parametrize(
    ("value", "expected"),
    [("images/a.png", "images/a.png"), ("/images/a.png", "images/a.png"),
     ("{static}/images/a.png", "images/a.png"), ("images/../images/a.png", "images/a.png"),
     ("../secret", None), ("images/../../secret", None), ("https://x.example/a.png", None)],
)  # fmt: skip
def test_content_file(value: str, expected: str | None) -> None:
    assert content_file(value) == expected


def test_links_resolve_inside_the_content_folder_only() -> None:
    body = (
        "[a]({filename}other.md) [b]({static}/images/x.png) ![c](../../images/x.png)\n"
        "[d]({filename}../../../etc/passwd) [e]({static}/../secret) [f]({filename}gone.md)\n"
        "[g](https://example.com/images/x.png)\n"
    )
    doc = split(f"---\ntitle: T\n---\n{body}", "content/stories/s.md")
    page = (
        '<p><a href="{filename}other.md">a</a> <a href="{static}/images/x.png">b</a> '
        '<img alt="c" src="../../images/x.png">\n<a href="{filename}../../../etc/passwd">d</a> '
        '<a href="{static}/../secret">e</a> <a href="{filename}gone.md">f</a>\n'
        '<a href="https://example.com/images/x.png">g</a></p>'
    )
    files = frozenset({"stories/other.md", "images/x.png"})
    problems, found = read_references(doc, page, "stories", files)
    # the <img> is read by content_model.images (test_pictures.py), not here
    assert [(r.line, r.target) for r in found] == [
        (4, "stories/other.md"), (4, "images/x.png")
    ]  # fmt: skip
    assert [(p.line, p.message.split("' ")[-1]) for p in problems] == [
        (5, "points outside the content folder"),
        (5, "points outside the content folder"),
        (5, "does not exist"),
    ]


@pytest.mark.parametrize(
    "page",
    [
        '<p>src="images/x.png" is text, not a link</p>',  # text the sanitizer keeps
        '<pre><code>&lt;img src="images/x.png"&gt;</code></pre>',  # code, escaped
        "<p>nothing here</p>",  # a comment the sanitizer removed
    ],
)
def test_only_real_links_use_files(page: str) -> None:
    doc = split("---\ntitle: T\n---\nbody\n", "content/stories/s.md")
    assert read_references(doc, page, "stories", frozenset({"images/x.png"})) == ([], [])


@pytest.mark.parametrize(
    "url", ["{alert(2)}javascript:0", "|filename|s.md", "{index}", "{tag}x", "{author}y"]
)
def test_any_other_link_marker_is_an_error(url: str) -> None:
    doc = split(f"---\ntitle: T\n---\n[x]({url})\n", "content/stories/s.md")
    problems, found = read_references(doc, f'<a href="{url}">x</a>', "stories", frozenset())
    assert found == []
    assert len(problems) == 1 and "is not a link the site knows" in problems[0].message
    assert problems[0].line == 4
