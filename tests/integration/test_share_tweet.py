"""Share-tweet snippets in real builds: quotes, anchors and share links."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import FIXTURES, Build, build_site

from culture_hub.share_tweet.compose import X_LIMIT, weighted_length

SITE = "https://culture.lanternfield.example"


def _x_params(link) -> dict[str, list[str]]:
    parts = urlsplit(link["href"])
    assert (parts.netloc, parts.path) == ("x.com", "/intent/tweet")
    return parse_qs(parts.query)


def test_quotes_are_highlighted_with_anchors(quotes_build: Build) -> None:
    page = quotes_build.soup("stories/quotes-worth-sharing/index.html")
    marks = page.select("mark.inline-quote")
    assert [m["id"] for m in marks] == ["quote-1", "quote-2"]
    assert marks[0].find("em").get_text() == "ledger"
    assert marks[0].find("a") is None  # a link inside a quote is an error (README)
    assert page.find("a", href="https://example.com/ledgers") is not None
    assert "[inlinetweet" not in page.select_one(".prose").get_text().replace(
        "[inlinetweet]not a quote[/inlinetweet]", ""
    )
    assert page.select_one(".prose code").get_text() == "[inlinetweet]not a quote[/inlinetweet]"


def test_share_links_follow_each_quote(quotes_build: Build) -> None:
    page = quotes_build.soup("stories/quotes-worth-sharing/index.html")
    first = page.select_one("#quote-1").find_next_sibling("span", class_="quote-share")
    links = first.select("a.share")
    assert [a.select_one("svg use")["href"] for a in links] == [
        f"#icon-{network}" for network in ("x", "linkedin", "mastodon", "bluesky")
    ]
    assert not first.get_text().strip()  # icons only, named by aria-label
    # The sentence's own punctuation follows the links with no stray space.
    second = page.select_one("#quote-2").find_next_sibling("span", class_="quote-share")
    assert str(second.next_sibling).startswith(".")
    assert not second.decode_contents().endswith(" ")
    assert [a["aria-label"] for a in links] == [
        f"Share this quote on {name}" for name in ("X", "LinkedIn", "Mastodon", "Bluesky")
    ]
    # the link shared is the quote's own page (its link preview is the quote's card),
    # with campaign tags, the department's included; the page's own address is clean
    anchor = (
        f"{SITE}/stories/quotes-worth-sharing/quote-1/?utm_source=x&utm_medium=social"
        "&utm_campaign=finance&utm_content=quote-1"
    )
    assert _x_params(links[0]) == {
        "text": ["Ada says: every ledger tells a story"],
        "url": [anchor],
        "hashtags": ["Ledgers,SmallWins"],
        "via": ["ada_quill"],  # tweeter="null" means unset: the first author's handle
    }
    assert [s.get("type") for s in page.find_all("script")] == [
        "application/ld+json"
    ]  # data, no JS


def test_defaults_come_from_author_and_department(quotes_build: Build) -> None:
    page = quotes_build.soup("stories/quotes-worth-sharing/index.html")
    link = page.select_one("#quote-2").find_next_sibling("span").select_one("a.share-x")
    assert _x_params(link) == {
        "text": ["defaults come from the author and department"],
        "url": [
            f"{SITE}/stories/quotes-worth-sharing/quote-2/?utm_source=x&utm_medium=social"
            "&utm_campaign=finance&utm_content=quote-2"
        ],
        "hashtags": ["FinanceVoices"],
        "via": ["ada_quill"],
    }


def test_whole_story_share_bar(quotes_build: Build) -> None:
    page = quotes_build.soup("stories/quotes-worth-sharing/index.html")
    bar = page.select_one("nav.share-bar")
    x = bar.select_one("a.share-x")
    assert x["aria-label"] == "Share this story on X"
    assert _x_params(x) == {
        "text": ["Quotes worth sharing"],
        "url": [
            f"{SITE}/stories/quotes-worth-sharing/?utm_source=x&utm_medium=social"
            "&utm_campaign=finance"
        ],
        "hashtags": ["FinanceVoices,SocialMedia"],
        "via": ["ada_quill"],
    }


def test_overlong_quote_is_shortened_and_warned(quotes_build: Build) -> None:
    stderr = quotes_build.stderr
    assert "content/stories/long.md:9: warning: quote 1 is too long for X" in stderr
    assert "content/stories/long.md:7: warning: the story's share text is too long" in stderr
    page = quotes_build.soup("stories/a-very-long-quote/index.html")
    params = _x_params(page.select_one("#quote-1").find_next_sibling("span").select_one("a"))
    text = params["text"][0]
    assert text.endswith("…")
    assert params["hashtags"] == ["WarehouseLife"]
    composed = f"{text} #WarehouseLife https://example.com/ via @ben"
    assert weighted_length(composed) <= X_LIMIT
    # the highlighted quote on the page is the whole sentence, not the shortened one
    assert page.select_one("#quote-1").get_text().endswith("running through the night")


def test_staff_quotes_have_no_public_share_links(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    result = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path, AUDIENCE="staff")
    assert result.returncode == 0, result.log
    page = result.soup("stories/internal-quote/index.html")
    assert page.select_one("#quote-1").get_text() == "this stays inside the company"
    assert not page.select("a.share")
    assert page.select_one(".mark-internal").get_text() == "Internal — do not share"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Text [inlinetweet]never closed.\n", 9, "an [inlinetweet] is never closed"),
        (
            "[inlinetweet]one\n\ntwo[/inlinetweet]\n",
            9,
            "an [inlinetweet] quote runs across paragraphs",
        ),
        (
            "Before.\n\n[inlinetweet]a [inlinetweet]b[/inlinetweet][/inlinetweet]\n",
            11,
            "an [inlinetweet] inside another [inlinetweet]",
        ),
        ("[inlinetweet][/inlinetweet]\n", 9, "an empty [inlinetweet]"),
    ],
)
def test_broken_shortcodes_fail_publish_and_never_show_raw(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    story = tmp_path / "content" / "stories" / "broken.md"
    story.write_text(
        "---\ntitle: Broken\ndate: 2025-08-01\nauthors: [ada-quill]\ndepartments: [finance]\n"
        "summary: Broken quote.\n---\n\n" + body
    )
    published = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert published.returncode == 1
    assert f"content/stories/broken.md:{line}: error: {message}" in published.stderr
    assert "Traceback" not in published.log

    dev = build_site(
        tmp_path / "content", tmp_path / "dev", settings="pelicanconf.py", cwd=tmp_path
    )
    assert dev.returncode == 0, dev.log
    assert f"content/stories/broken.md:{line}: warning: {message}" in dev.stderr
    html = (tmp_path / "dev" / "stories" / "broken" / "index.html").read_text()
    assert "inlinetweet" not in html


def test_a_prefix_that_crowds_out_the_quote_on_x_fails_the_publish_build(tmp_path: Path) -> None:
    """The share button never posts just "…" and hashtags: as in the feeds, fewer than 20
    characters of the quote kept is an error at the quote's line, naming the prefix."""
    shutil.copytree(FIXTURES / "quotes", tmp_path / "content")
    story = tmp_path / "content" / "stories" / "crowded.md"
    prefix = "Ada, who has closed the books every month for eleven years, " * 4
    story.write_text(
        "---\ntitle: Crowded\ndate: 2025-08-01\nauthors: [ada-quill]\ndepartments: [finance]\n"
        "summary: A long prefix.\n---\n\n"
        f'Before. [inlinetweet prefix="{prefix}"]every ledger tells a story[/inlinetweet].\n'
    )
    refused = build_site(tmp_path / "content", tmp_path / "out", cwd=tmp_path)
    assert refused.returncode == 1, refused.log
    assert (
        "content/stories/crowded.md:9: error: quote 1 cannot be shared on X: its share button "
        "would post only 0 of its 26 characters, because the prefix, hashtags and 'via @…' take "
        "the rest of X's 280"
    ) in refused.stderr
    assert "(shorten the prefix (it has 239 characters), its hashtags or the quote" in (
        refused.stderr
    )
    assert "Traceback" not in refused.log

    dev = build_site(tmp_path / "content", tmp_path / "dev", settings="pelicanconf.py",
                     cwd=tmp_path)  # fmt: skip
    assert dev.returncode == 0, dev.log
    assert "content/stories/crowded.md:9: warning: quote 1 cannot be shared on X" in dev.stderr

    story.write_text(story.read_text().replace(prefix, "Ada, on eleven years of closes:"))
    fixed = build_site(tmp_path / "content", tmp_path / "fixed", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.log
    page = fixed.soup("stories/crowded/index.html")
    params = _x_params(page.select_one("#quote-1").find_next_sibling("span").select_one("a"))
    assert params["text"] == ["Ada, on eleven years of closes: every ledger tells a story"]
