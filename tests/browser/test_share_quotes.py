"""A visitor clicks a quote's share link in a real Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from test_visitor import _axe_violations


def test_clicking_a_quotes_x_link_opens_the_intent(page, served_site: str) -> None:
    story = f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/"
    page.goto(story)
    quote = page.locator("#quote-1")
    assert quote.inner_text() == "every department has a voice"
    link = page.get_by_role("link", name="Share this quote on X").first
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    opened = urlsplit(page.url)
    assert (opened.netloc, opened.path) == ("x.com", "/intent/tweet")
    assert parse_qs(opened.query) == {
        "text": ["every department has a voice"],
        # the quote's own page, with campaign tags: the network, social, the department,
        # the quote
        "url": [
            f"{story}quote-1/?utm_source=x&utm_medium=social&utm_campaign=finance"
            "&utm_content=quote-1"
        ],
        "hashtags": ["SocialMediaCulture"],
        "via": ["priya_counts"],
    }
    # the only request that left the site is the one the visitor asked for
    assert [urlsplit(u).netloc for u in page.offsite_requests] == ["x.com"]
    assert page.console_errors == []


def test_quote_anchor_is_the_link_target(page, served_site: str) -> None:
    story = f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/#quote-1"
    page.goto(story)
    assert page.evaluate("document.querySelector(':target').id") == "quote-1"


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            // a scrolled-to element may sit a fraction of a pixel above the top
            return box.top > -1 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


def test_a_quote_page_lands_on_the_quote_in_its_story_with_its_tags(page, served_site: str) -> None:
    story = f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/"
    tags = "utm_source=mastodon&utm_medium=social&utm_campaign=finance&utm_content=quote-1"
    page.goto(f"{story}quote-1/?{tags}")
    page.wait_for_url(f"{story}?{tags}#quote-1")
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector(':target').id") == "quote-1"
    assert _in_view(page, "#quote-1")
    assert page.evaluate("window.scrollY") > 0  # the quote is further down the story
    assert page.console_errors == []
    assert page.offsite_requests == []


def test_without_javascript_a_quote_page_shows_the_quote_and_a_link_to_it_in_the_story(
    browser, served_site: str
) -> None:
    """No script, no redirect: a crawler (Facebook, LinkedIn) or a reader without
    JavaScript stays on the quote's page, sees the quote, and follows a prominent
    link to the quote in its story."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 700})
    page = context.new_page()
    story = f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/"
    page.goto(f"{story}quote-1/?utm_source=x")
    page.wait_for_timeout(1500)  # long enough for any refresh to have fired
    assert page.url == f"{story}quote-1/?utm_source=x"  # stayed: nothing sent it on
    assert page.locator("main blockquote").inner_text() == "every department has a voice"
    link = page.get_by_role("link", name="Read the story")
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 700  # in the first screen
    assert box["height"] >= 40  # a button-sized target, not a line of small text
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state("load")
    assert page.url == f"{story}#quote-1"
    assert _in_view(page, "#quote-1")
    assert page.locator("#quote-1").inner_text() == "every department has a voice"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_quote_page_itself_passes_axe(page, served_site: str, scheme: str) -> None:
    """What a visitor sees when its script cannot run (blocked): the quote, its author
    and a link to the story, as accessible as any page of the site."""
    page.route("**/quote-page.*.js", lambda route: route.abort())
    page.emulate_media(color_scheme=scheme)
    story = f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/"
    page.goto(f"{story}quote-1/", wait_until="networkidle")
    assert page.url == f"{story}quote-1/"  # stayed: the script did not run
    assert page.get_by_role("link", name="Read the story").get_attribute("href") == (
        f"{story}#quote-1"
    )
    assert _axe_violations(page) == []


def test_a_quotes_card_is_a_small_thumbnail_that_downloads_the_card(page, served_site: str) -> None:
    page.goto(f"{served_site}/stories/what-our-accountants-taught-us-about-retweets/")
    link = page.get_by_role("link", name="Download the card for this quote")
    assert link.count() == 1  # the story's one quote
    link.scroll_into_view_if_needed()
    thumbnail = link.locator("img")
    thumbnail.evaluate("img => img.decode()")  # lazy: loaded once it is near the screen
    shown = thumbnail.evaluate(
        "img => [img.clientWidth, img.clientHeight, img.naturalWidth, img.currentSrc]"
    )
    assert 48 <= shown[0] <= 80 and abs(shown[0] / shown[1] - 1200 / 630) < 0.1, shown
    assert shown[2] <= 320 and "/cards/r/" in shown[3]  # a thumbnail, not the whole card
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == (
        "what-our-accountants-taught-us-about-retweets-quote-1.png"
    )
    with Image.open(download.path()) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))
    assert page.offsite_requests == [] and page.console_errors == []
