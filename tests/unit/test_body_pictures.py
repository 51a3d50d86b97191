"""Pictures in a story's text as responsive ``<picture>``s (``culture_hub/images/body.py``)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from culture_hub.images.body import PROSE_SIZES, responsive_body, slot_sizes
from culture_hub.images.core import Plan, Variant
from culture_hub.sanitize.policy import clean

SITE = "https://culture.example"


def _plan(source: str, widths: tuple[int, ...], height_of: float = 0.75) -> Plan:
    stem = source.rsplit("/", 1)[-1].split(".", maxsplit=1)[0]
    variants = tuple(
        Variant(f"images/r/{stem}-abc-{w}.{ext}", w, round(w * height_of), fmt)
        for w in widths
        for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg"))
    )
    return Plan(source, "abc", widths[-1], round(widths[-1] * height_of), variants, 78)


PLANS = {"images/wide.jpg": _plan("images/wide.jpg", (160, 360, 720, 1000))}


def _render(body: str, prefix: str = f"{SITE}/") -> BeautifulSoup:
    return BeautifulSoup(responsive_body(body, PLANS.get, prefix), "html.parser")


def test_a_planned_picture_becomes_a_picture_with_every_variant() -> None:
    body = clean(f'<p><img alt="Hills &amp; sky" src="{SITE}/images/wide.jpg" width="1000" '
                 'height="750"></p>')  # fmt: skip
    soup = _render(body)
    source, img = soup.select_one("p > picture").find_all(["source", "img"])
    assert source["srcset"] == ", ".join(
        f"{SITE}/images/r/wide-abc-{w}.webp {w}w" for w in (160, 360, 720, 1000)
    )
    assert img["srcset"] == source["srcset"].replace(".webp", ".jpg")
    assert img["src"] == f"{SITE}/images/r/wide-abc-1000.jpg"
    assert img["alt"] == "Hills & sky"
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == (
        "1000", "750", "lazy", "async"
    )  # fmt: skip
    assert img["sizes"] == source["sizes"] == PROSE_SIZES


@pytest.mark.parametrize(
    ("width", "height", "shown"),
    [
        (None, None, ("1000", "750")),  # no size given: the plan's
        ("400", None, ("400", "300")),  # one side given: the other in proportion
        (None, "150", ("200", "150")),
        ("500", "100", ("500", "100")),  # both given: the writer's, as written
        ("0", "x", ("1000", "750")),  # nonsense: the plan's
    ],
)
def test_width_and_height(width: str | None, height: str | None, shown: tuple[str, str]) -> None:
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")
    img = _render(f'<img src="{SITE}/images/wide.jpg" alt="a"{size}>').find("img")
    assert (img["width"], img["height"]) == shown


@pytest.mark.parametrize(
    ("width", "sizes"),
    [
        (1000, PROSE_SIZES),
        (672, PROSE_SIZES),
        (300, "(min-width: 332px) 300px, calc(100vw - 2rem)"),
    ],
)
def test_sizes_fit_the_prose_column(width: int, sizes: str) -> None:
    assert slot_sizes(width) == sizes


@pytest.mark.parametrize(
    "body",
    [
        '<p><img src="https://elsewhere.example/images/wide.jpg" alt="a"></p>',  # another site
        f'<p><img src="{SITE}/images/missing.jpg" alt="a"></p>',  # no plan
        f'<p><img src="{SITE}/images/wide.jpg.evil" alt="a"></p>',
        "<p>No pictures at all.</p>",
        f"<pre><code>&lt;img src=&quot;{SITE}/images/wide.jpg&quot;&gt;</code></pre>",
    ],
)
def test_anything_else_is_left_exactly_as_it_was(body: str) -> None:
    assert responsive_body(body, PLANS.get, f"{SITE}/") == body


def test_a_site_at_the_root_of_its_host() -> None:
    img = _render('<img src="/images/wide.jpg" alt="a">', prefix="/").find("img")
    assert img["src"] == "/images/r/wide-abc-1000.jpg"


def test_hostile_attribute_values_stay_inert() -> None:
    """Values come back escaped: a quote in the alt text cannot open an attribute."""
    body = clean(
        f'<img src="{SITE}/images/wide.jpg" alt=\'x" onerror="alert(1)\' '
        'title=\'&lt;script&gt;\' onload="alert(2)" class="wide">'
    )
    out = responsive_body(body, PLANS.get, f"{SITE}/")
    img = BeautifulSoup(out, "html.parser").find("img")
    assert img["alt"] == 'x" onerror="alert(1)' and img["title"] == "<script>"
    assert img["class"] == ["wide"]
    assert not [name for name in img.attrs if name.startswith("on")]
    assert "<script" not in out
    assert set(img.attrs) == {
        "src", "srcset", "sizes", "width", "height", "alt", "title", "class", "loading", "decoding"
    }  # fmt: skip
