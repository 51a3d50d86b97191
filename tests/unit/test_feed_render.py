"""The feeds' bytes are feedgen's own, though each item's XML is made once per format.

``feeds/render.py`` copies a cached element per item into the frame feedgen
makes for the feed (its ``_create_atom``/``_create_rss``, the one private
call). Here every document is compared with what feedgen's public
``atom_str``/``rss_str`` write for the same items: a feedgen upgrade that
changes either path fails this test, never the site's feeds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from feedgen.entry import FeedEntry
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pelican.utils import SafeDatetime

from culture_hub.feeds import render
from culture_hub.feeds.items import FeedItem, FeedMeta, Image, xml_text

SITE = "https://culture.example"
META = FeedMeta(
    key="site",
    title="Culture & <stories>",
    description="Every story, newest first",
    path="feeds/all",
    home=f"{SITE}/",
    language="en",
    hub="https://hub.example/",
)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))])
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@st.composite
def items(draw: st.DrawFn) -> FeedItem:
    when = draw(st.datetimes(datetime(2001, 1, 1), datetime(2030, 1, 1), timezones=ZONES))
    if draw(st.booleans()):  # as Pelican gives them
        when = SafeDatetime.combine(when.date(), when.timetz())
    image = draw(
        st.none()
        | st.builds(
            Image, st.just(f"{SITE}/cards/a.png"), st.just("image/png"), st.integers(1, 10**6)
        )
    )
    guid = draw(st.sampled_from(["urn:uuid:1#quote-2", f"{SITE}/stories/a/", "tag:x,2020:3"]))
    return FeedItem(
        guid=guid,
        title=draw(TEXT.filter(xml_text)),  # every story has a title
        link=f"{SITE}/stories/a/",
        summary=draw(TEXT),
        content=draw(TEXT) + "<p>a &amp; b</p>\n<p>two</p>",
        published=when,
        updated=when + timedelta(minutes=draw(st.integers(0, 10**5))),
        authors=tuple(draw(st.lists(TEXT, max_size=2))),
        categories=tuple(draw(st.lists(TEXT.filter(str.strip), max_size=3))),
        image=image,
        permalink=guid.startswith("https"),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(items(), max_size=5), st.booleans())
def test_documents_are_feedgens_own_bytes(found: list[FeedItem], hub: bool) -> None:
    meta = META if hub else FeedMeta(**{**META.__dict__, "hub": ""})
    for fmt, document, own in (
        ("atom", render.atom, "atom_str"),
        ("rss", render.rss, "rss_str"),
    ):
        expected = getattr(render._generator(meta, found, SITE, fmt), own)(pretty=True)
        assert document(meta, found, SITE) == expected
        assert document(meta, found, SITE) == expected  # again, from the kept elements


def test_an_item_in_two_feeds_is_made_once_per_format() -> None:
    """The second feed copies the first's element; neither feed shares a node with the other."""
    when = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    item = FeedItem("urn:x:1", "A title", f"{SITE}/a/", "Sum", "<p>Body</p>", when, when)
    render._made.cache_clear()
    first = render.rss(META, [item], SITE)
    second = render.rss(FeedMeta(**{**META.__dict__, "path": "feeds/other"}), [item], SITE)
    info = render._made.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert first.count(b"<item>") == second.count(b"<item>") == 1
    assert b"Wed, 01 May 2024 09:30:00 +0000" in first


def test_rss_dates_of_pelicans_datetimes_are_written_as_plain_ones() -> None:
    """Pelican's SafeDatetime formats in Python; the item's date reads the same either way."""
    plain = datetime(2023, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=2)))
    pelicans = SafeDatetime.combine(plain.date(), plain.timetz())
    make = lambda when: FeedItem("urn:x:2", "T", f"{SITE}/b/", "S", "<p>B</p>", when, when)  # noqa: E731
    assert render.rss(META, [make(pelicans)], SITE) == render.rss(META, [make(plain)], SITE)
    assert b"Sun, 31 Dec 2023 23:59:00 +0200" in render.rss(META, [make(pelicans)], SITE)


def test_the_same_moment_in_two_zones_is_written_in_each_zone() -> None:
    """Equal datetimes (one instant) in different zones are still written as given."""
    utc = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    paris = utc.astimezone(timezone(timedelta(hours=2)))
    make = lambda when: FeedItem("urn:x:3", "T", f"{SITE}/c/", "S", "<p>C</p>", when, when)  # noqa: E731
    assert make(utc) == make(paris)
    for when, written in ((utc, b"09:30:00+00:00"), (paris, b"11:30:00+02:00")):
        entry = render.atom(META, [make(when)], SITE).partition(b"<entry>")[2]
        assert entry.count(b"2024-05-01T" + written) == 2  # published and updated


def test_extensions_registered_by_class_write_what_loading_them_by_name_writes() -> None:
    """feedgen's ``load_extension("media")`` imports a module that does not exist on
    every call; the feeds register the same classes directly. The bytes are the same."""
    when = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    item = FeedItem(
        "urn:x:4", "T", f"{SITE}/d/", "S", "<p>D</p>", when, when, authors=("Ana",),
        image=Image(f"{SITE}/cards/d.png", "image/png", 1234),
    )  # fmt: skip
    for fmt in ("atom", "rss"):
        by_name = FeedEntry()
        for namespace, *_ in render.EXTENSIONS:
            by_name.load_extension(namespace)
        render._fill(by_name, item, fmt)
        element = by_name.atom_entry() if fmt == "atom" else by_name.rss_entry()
        written = etree.tostring(render._made(item, fmt, "by class"))
        assert etree.tostring(element) == written
        assert b"http://search.yahoo.com/mrss/" in written
        assert b"dc:creator" in written
        document = (render.atom if fmt == "atom" else render.rss)(META, [item], SITE)
        assert b'xmlns:media="http://search.yahoo.com/mrss/"' in document
