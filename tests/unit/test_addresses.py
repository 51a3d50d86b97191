"""Who keeps a file that two pages would be written to."""

from __future__ import annotations

from types import SimpleNamespace

from culture_hub.content_model.addresses import Claim, reserved, settle


def _page(name: str) -> SimpleNamespace:
    return SimpleNamespace(source_path=f"/site/pages/{name}", source_lines={"title": 2})


def test_the_sites_own_page_keeps_its_file_whichever_comes_first() -> None:
    search = Claim.of("search/index.html", SimpleNamespace(name="search.html"), {})
    page = Claim.of("search/index.html", None, {"page": _page("search.md")})
    for first, second, first_keeps in ((search, page, True), (page, search, False)):
        settled = settle(first, second)
        assert settled is not None
        assert settled[0] is first_keeps
        problem = settled[1]
        assert (problem.path, problem.line) == ("/site/pages/search.md", 2)
        assert "/search/ is where the site's own search page goes" in problem.message


def test_of_two_pages_the_first_keeps_the_file_and_two_site_pages_are_left_alone() -> None:
    first = Claim.of("about/index.html", None, {"page": _page("a.md")})
    second = Claim.of("about/index.html", None, {"article": _page("b.md")})
    settled = settle(first, second)
    assert settled is not None
    first_keeps, problem = settled
    assert first_keeps and problem.path == "/site/pages/b.md"
    assert problem.message == "this page has the same address /about/ as /site/pages/a.md"
    tag, index = SimpleNamespace(name="tag.html"), SimpleNamespace(name="index.html")
    assert settle(Claim.of("x.html", tag, {}), Claim.of("x.html", index, {})) is None


def test_a_page_under_the_publishers_reserved_folder_is_refused_in_any_case() -> None:
    story = {"article": _page("s.md")}
    for name in ("_culture-hub/index.html", "stories/_Culture-Hub/index.html"):
        problem = reserved(Claim.of(name, None, story))
        assert problem is not None, name
        assert (problem.path, problem.line) == ("/site/pages/s.md", 2)
        assert "uses '_culture-hub', a name the site keeps for its own publishing" in (
            problem.message
        )
    for name in ("culture-hub/index.html", "stories/_culture-hubs/index.html", "index.html"):
        assert reserved(Claim.of(name, None, story)) is None, name
    # The site's own pages (content None) are the site's business, not a writer's.
    assert reserved(Claim.of("_culture-hub/index.html", SimpleNamespace(name="x.html"), {})) is None
