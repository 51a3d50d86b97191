"""The published site through nginx, with its Content-Security-Policy, in Chromium.

A policy that blocked Pagefind's WebAssembly, the search script or the
stylesheet would leave search dead or the pages unstyled with no build
error; here a real browser loads the pages under the generated config and
every policy violation fails the test.
"""

from __future__ import annotations

VIOLATIONS = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation",
    (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
}"""


def _watch(page) -> None:
    page.add_init_script(f"({VIOLATIONS})()")


def test_search_works_under_the_content_security_policy(page, nginx_site: str) -> None:
    _watch(page)
    response = page.goto(nginx_site + "/search/", wait_until="networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    box = page.get_by_label("Search stories, people and pages")
    box.fill("kettle")  # only in the body of "The whiteboard of kind words"
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    assert "The whiteboard of kind words" in (
        page.locator(".pagefind-ui__result-link").all_inner_texts()
    )
    assert page.evaluate("window.__violations") == []
    assert page.console_errors == [] and page.offsite_requests == []


def test_pages_are_styled_and_break_no_policy_through_nginx(page, nginx_site: str) -> None:
    _watch(page)
    for path in ("/", "/stories/a-ledger-of-small-wins/", "/contributions/", "/no-such-page/"):
        page.goto(nginx_site + path, wait_until="networkidle")
        sheets = page.evaluate(
            "[...document.styleSheets].filter(s => s.href && s.href.includes('/theme/css/'))"
            ".map(s => s.cssRules.length)"
        )
        assert sheets and sheets[0] > 10, f"{path}: the hashed stylesheet did not load"
        assert page.evaluate("window.__violations") == [], path
    assert page.console_errors == [
        e for e in page.console_errors if "404" in e
    ]  # the missing page's own 404 status is the one error allowed
    assert page.offsite_requests == []


def test_an_old_address_lands_on_the_story(page, nginx_site: str) -> None:
    page.goto(nginx_site + "/old/small-wins/")
    assert page.url == nginx_site + "/stories/a-ledger-of-small-wins/"
    assert page.locator("h1").first.inner_text().strip() != ""
