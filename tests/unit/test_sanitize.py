"""The sanitizer: hostile HTML is removed, ordinary Markdown output is not touched."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from xss_vectors import LIVE, VECTORS, live_parts

from culture_hub.sanitize import clean, plain_text, unsafe_parts
from culture_hub.share_tweet.render import mark_quotes

ORDINARY = """\
# A heading

Some *emphasis*, **strong**, `code`, a [link](https://example.com/a?b=1&c=2 "Title"),
a [relative link](../other/), an [internal one]({filename}other.md) and mail to
<mailto:people@example.com>.

![A whiteboard](images/board.png "Board")

| Left | Right |
|:-----|------:|
| 1    | 2     |

```python
print("<not a tag>")
```

> A quotation.

1. one
2. two

Term
:   Definition

Text with a footnote[^note].

[^note]: The note, with a [link](https://example.com/).

*[HTML]: HyperText Markup Language

<mark class="inline-quote" id="quote-1">A highlighted quote</mark> and HTML.
"""

MARKDOWN = markdown.Markdown(
    extensions=["markdown.extensions.extra", "markdown.extensions.toc"], output_format="html5"
)


def _shape(html: str) -> list[tuple]:
    """The DOM as comparable data (style declarations normalised)."""
    soup = BeautifulSoup(html, "html.parser")
    shape = []
    for element in soup.descendants:
        if element.name is None:
            shape.append(("text", str(element)))
            continue
        attrs = {
            k: re.sub(r"\s|;$", "", v) if k == "style" else v for k, v in element.attrs.items()
        }
        shape.append((element.name, sorted(attrs.items())))
    return shape


def test_ordinary_markdown_output_is_unchanged() -> None:
    html = MARKDOWN.reset().convert(ORDINARY)
    assert _shape(clean(html)) == _shape(html)
    assert unsafe_parts(html) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_nothing_live_survives(vector: str) -> None:
    html = MARKDOWN.reset().convert(f"Before.\n\n{vector}\n\nAfter.")
    cleaned = clean(html)
    assert not LIVE.search(cleaned), cleaned
    assert "Before." in cleaned and "After." in cleaned


@pytest.mark.parametrize("vector", [v for v in VECTORS if "kept" not in v and "<!--" not in v])
def test_each_vector_is_explained_to_the_writer(vector: str) -> None:
    """Whatever the sanitizer removes, the writer is told (comments are not content)."""
    html = MARKDOWN.reset().convert(vector)
    assert clean(html) != html
    assert unsafe_parts(html), html


@pytest.mark.parametrize("vector", [v for v in VECTORS if "kept" not in v and "<!--" not in v])
def test_the_independent_oracle_sees_each_raw_vector(vector: str) -> None:
    """live_parts (used on built sites) must flag the raw vectors, or it proves nothing."""
    html = MARKDOWN.reset().convert(vector)
    assert live_parts(BeautifulSoup(html, "html.parser")), html
    assert live_parts(BeautifulSoup(clean(html), "html.parser")) == []


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("great<!-- > . Actually, layoffs start Monday -->", "great"),
        ("a <em>b</em> &amp; c", "a b & c"),
        ("x<script>alert(1)</script>y", "xy"),
        ('<a href="https://e.example">link</a> text', "link text"),
    ],
)
def test_plain_text_is_what_a_reader_sees(html: str, text: str) -> None:
    assert plain_text(html) == text


def test_a_quotes_share_text_never_holds_what_the_page_hides() -> None:
    html = '<mark class="inline-quote" id="quote-1">We are great<!-- > . Layoffs --></mark>'
    _, texts = mark_quotes(html)
    assert texts == {"quote-1": "We are great"}
