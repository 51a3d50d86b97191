"""What a visitor does, in Debian's Chromium: navigate, search, read on a phone.

axe-core (shipped inside axe-playwright-python) checks accessibility; every
page is also checked for console errors, requests off the site, horizontal
scrolling at 375 px, and its weight. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from importlib.resources import files

import pytest
from conftest import ARTIFACTS

AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
PAGES = {
    "home": "/",
    "story": "/stories/what-our-accountants-taught-us-about-retweets/",
    "leadership": "/leadership/why-we-asked-everyone-to-write/",
    "stories": "/stories/",
    "department": "/departments/finance/",
    "departments": "/departments/",
    "person": "/people/priya-shah/",
    "person-with-photo": "/people/sofia-marin/",
    "people": "/people/",
    "tag": "/tags/social-media/",
    "tags": "/tags/",
    "contributions": "/contributions/",
    "feeds": "/feeds/",
    "page": "/about/",
    "search": "/search/",
    "404": "/404.html",
}
WIDTHS = (375, 768, 1280)
IMAGE_TYPES = ("image/",)


def _axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, not as a <script> tag: the site's
    # Content-Security-Policy (BROWSER_SERVER=nginx) allows no inline script.
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']})"
    )
    return [  # every violation, whatever its impact
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_with_no_errors_or_offsite_requests(
    page, served_site: str, name: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(served_site + PAGES[name], wait_until="networkidle")
    assert _axe_violations(page) == []
    assert page.console_errors == []
    assert page.offsite_requests == []


@pytest.mark.parametrize("name", list(PAGES))
def test_every_width_fits_and_every_picture_is_sized_with_screenshots(
    browser, served_site: str, name: str
) -> None:
    """At a phone's, a tablet's and a laptop's width: no horizontal scroll, and every
    picture has its size (no layout shift) and, when responsive, its ``sizes``."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served_site + PAGES[name], wait_until="networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px: {overflow}px of horizontal scroll"
        unsized = page.evaluate(
            """() => [...document.images].filter(img =>
                !img.getAttribute('width') || !img.getAttribute('height')
                || (img.srcset && !img.sizes)).map(img => img.currentSrc || img.src)"""
        )
        assert unsized == [], f"{name} at {width}px: pictures without a size: {unsized}"
        # The picture downloaded fits its slot: never more than twice (a 2x screen) its width.
        oversized = page.evaluate(
            """() => [...document.images].filter(img => img.complete && img.naturalWidth
                && img.naturalWidth > 2 * Math.max(img.clientWidth, 80) * devicePixelRatio)
                .map(img => `${img.currentSrc} ${img.naturalWidth} for ${img.clientWidth}`)"""
        )
        assert oversized == [], f"{name} at {width}px: {oversized}"
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        context.close()


def _menu_links_reachable_by_keyboard(page) -> list[str]:
    """Tab from the top of the page, opening the menu with Enter if it is closed."""
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.tagName") == "SUMMARY":
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
    reached = []
    for _ in range(8):
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        page.keyboard.press("Tab")
    return reached


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("width", [375, 1280])
def test_menu_works_by_keyboard_with_and_without_javascript(
    browser, served_site: str, width: int, javascript: bool
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(served_site + PAGES["story"])
    summary = page.locator(".menu > summary")
    assert summary.is_visible() == (width < 960)  # a button on phones, links on laptops
    if width < 960:
        assert not page.get_by_role("link", name="Leadership").is_visible()  # closed at first
    reached = _menu_links_reachable_by_keyboard(page)
    assert reached == ["Stories", "Leadership", "Departments", "People", "Contributions",
                       "Tags", "About", "Search"]  # fmt: skip
    for _ in range(3):
        page.keyboard.press("Shift+Tab")  # back past "Search" and "About" to "Tags"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Tags"
    page.keyboard.press("Enter")
    page.wait_for_url("**/tags/")
    context.close()


def test_navigation_home_story_department_person_tag(page, served_site: str) -> None:
    page.goto(served_site + "/")
    page.locator(".home-main .card-title a").first.click()
    page.wait_for_load_state()
    story_title = page.locator("h1").inner_text()
    assert "/stories/" in page.url and story_title
    page.locator("header .badge").first.click()
    page.wait_for_load_state()
    assert "/departments/" in page.url
    assert story_title in page.locator(".card-title").all_inner_texts()
    page.locator(".lead .person-name a").click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    page.goto(served_site + PAGES["story"])
    page.get_by_role("link", name="social-media").click()
    page.wait_for_load_state()
    assert page.url.endswith("/tags/social-media/")
    assert (
        "What our accountants taught us about retweets"
        in page.locator(".card-title").all_inner_texts()
    )
    assert page.console_errors == [] and page.offsite_requests == []


def test_keyboard_reaches_the_skip_link_first(page, served_site: str) -> None:
    page.goto(served_site + PAGES["story"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_search_finds_a_story_by_a_word_in_its_body(page, served_site: str) -> None:
    page.goto(served_site + "/search/", wait_until="networkidle")
    box = page.get_by_label("Search stories, people and pages")
    box.fill("kettle")  # only in the body of "The whiteboard of kind words"
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    assert (
        "The whiteboard of kind words"
        in page.locator(".pagefind-ui__result-link").all_inner_texts()
    )
    assert page.console_errors == [] and page.offsite_requests == []


def test_search_over_an_index_in_parts_finds_stories_in_every_part(
    page, served_split_site: str
) -> None:
    page.goto(served_split_site + "/search/", wait_until="networkidle")
    box = page.get_by_label("Search stories, people and pages")
    links = page.locator(".pagefind-ui__result-link")
    for word, title in (
        ("stadiums", "About"),  # about/index.html: the first part
        ("kettle", "The whiteboard of kind words"),  # stories/t...: a later part
    ):
        box.fill(word)
        links.first.wait_for(timeout=10_000)
        page.wait_for_function(
            "t => [...document.querySelectorAll('.pagefind-ui__result-link')]"
            ".some(a => a.textContent.includes(t))",
            arg=title,
            timeout=10_000,
        )
    assert page.console_errors == []


def test_search_page_without_javascript_says_so(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/search/")
    message = page.locator(".search-nojs")
    assert "needs JavaScript" in message.inner_text()
    assert page.get_by_role("link", name="stories by department").is_visible()
    context.close()


@pytest.mark.parametrize(("name", "limit"), [("home", 200_000), ("story", 100_000)])
def test_page_weight(browser, served_site: str, name: str, limit: int) -> None:
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}

    def record(response) -> None:
        kind = response.headers.get("content-type", "")
        if not kind.startswith(IMAGE_TYPES):
            sizes[response.url] = len(response.body())

    page.on("response", record)
    page.goto(served_site + PAGES[name], wait_until="networkidle")
    context.close()
    assert sum(sizes.values()) < limit, sizes


def test_home_has_everything_in_the_first_laptop_screen(browser, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(served_site + "/")
    for selector in (
        ".hero-title",
        ".hero-cover img",
        ".home-main .cards .card",
        ".department-strip .badge",
        "#leadership-heading",
    ):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] < 768, f"{selector} is below the first screen: {box}"
    context.close()
