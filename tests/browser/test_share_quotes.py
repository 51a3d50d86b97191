"""A visitor clicks a quote's share link in a real Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


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
        # campaign tags before the anchor: the network, social, the department, the quote
        "url": [
            f"{story}?utm_source=x&utm_medium=social&utm_campaign=finance"
            "&utm_content=quote-1#quote-1"
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
