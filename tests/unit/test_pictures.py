"""Inline pictures: one way to write them, resolved to {static}, checked at their line."""

from __future__ import annotations

import pytest

from culture_hub.content_model.frontmatter import split
from culture_hub.content_model.images import resolve_pictures, written_from_content

IMAGES = frozenset({"images/box.png", "images/shelf.jpg"})
SIZES = {"images/box.png": (1200, 630), "images/shelf.jpg": (800, 600)}


@pytest.mark.parametrize(
    ("src", "folder", "target"),
    [
        ("images/box.png", "stories", "images/box.png"),
        ("/images/box.png", "stories", "images/box.png"),
        ("{static}/images/box.png", "stories", "images/box.png"),
        ("{static}../images/box.png", "stories", "images/box.png"),  # Pelican's own, file-relative
        ("images/my%20box.png", "stories", "images/my box.png"),
        ("../images/box.png", "stories", None),
        ("../../images/box.png", "stories", None),
        ("./images/box.png", "stories", None),
        ("/../etc/passwd", "stories", None),
        ("{static}/../../secret.png", "stories", None),
    ],
)
def test_the_ways_to_name_a_picture(src: str, folder: str, target: str | None) -> None:
    assert written_from_content(src, folder) == target


def _page(body: str, html: str) -> tuple[str, list[tuple[int, str, str]], set[str]]:
    doc = split(f"---\ntitle: T\n---\n{body}", "content/stories/s.md")
    page, problems, used = resolve_pictures(doc, html, "stories", IMAGES, SIZES)
    return page, [(p.line, p.message, p.fix) for p in problems], used


def test_every_accepted_form_becomes_static_with_its_size() -> None:
    body = "![a](images/box.png)\n\n![b]({static}/images/shelf.jpg)\n"
    html = '<p><img alt="a" src="images/box.png"></p>\n<p><img alt="b" src="{static}/images/shelf.jpg"></p>'
    page, problems, used = _page(body, html)
    assert problems == []
    assert used == {"images/box.png", "images/shelf.jpg"}
    assert page == (
        '<p><img alt="a" src="{static}/images/box.png" width="1200" height="630"></p>\n'
        '<p><img alt="b" src="{static}/images/shelf.jpg" width="800" height="600"></p>'
    )


def test_mistakes_are_located_with_the_path_to_write() -> None:
    body = (
        "Text.\n\n![a](../../images/box.png)\n\n![b](images/shelve.jpg)\n\n"
        "![](images/box.png)\n\n![d]({index}x.png)\n"
    )
    html = (
        '<p>Text.</p><p><img alt="a" src="../../images/box.png"></p>'
        '<p><img alt="b" src="images/shelve.jpg"></p><p><img alt="" src="images/box.png"></p>'
        '<p><img alt="d" src="{index}x.png"></p>'
    )
    page, problems, used = _page(body, html)
    assert problems == [
        (
            6,
            "the picture path '../../images/box.png' is written relative to this file or page, "
            "which breaks when either moves",
            "write it as ![…](images/box.png)",
        ),
        (
            8,
            "the picture 'images/shelve.jpg' does not exist",
            "did you mean ![…](images/shelf.jpg)?",
        ),
        (
            10,
            "the picture 'images/box.png' has no alt text",
            "describe it for people who cannot see it: ![what the picture shows](…)",
        ),
        (
            12,
            "'{index}' in the picture '{index}x.png' is not a way to name a picture",
            "write a picture as ![what it shows](images/<file>), the path from the content folder",
        ),
    ]
    # the relative one still shows in the dev build; the missing one and the marker are left
    assert 'src="{static}/images/box.png"' in page
    assert 'src="images/shelve.jpg"' in page and 'src="{index}x.png"' in page
    assert used == {"images/box.png"}


@pytest.mark.parametrize("src", ["..", "../", "./", "{static}", "/", "../../"])
def test_a_path_naming_no_file_is_located(src: str) -> None:
    html = f'<p><img alt="x" src="{src}"></p>'
    page, problems, used = _page(f"![x]({src})\n", html)
    assert page == html and used == set()
    assert [line for line, _m, _f in problems] == [4]


@pytest.mark.parametrize(
    "src",
    [
        "https://pictures.example/t.png",
        "http://pictures.example/t.png",
        "//pictures.example/t.png",
        "HTTPS://pictures.example/t.png",
        "ftp://pictures.example/t.png",
    ],
)
def test_a_picture_from_another_site_is_an_error_at_its_line(src: str) -> None:
    """The site's Content-Security-Policy allows only its own pictures; a remote one
    would also tell a third party who reads a staff or preview build."""
    body = f"Text.\n\n![a]({src})\n"
    html = f'<p>Text.</p><p><img alt="a" src="{src}"></p>'
    page, problems, used = _page(body, html)
    assert problems == [
        (
            6,
            f"the picture '{src}' is loaded from another site, which the site does not allow "
            "and which tells that site who reads the page",
            "download the picture, put the file in content/images/ and write "
            "![what it shows](images/<file>)",
        )
    ]
    assert used == set()
    assert page == html  # left as written (the dev build shows it; the others refuse it)
