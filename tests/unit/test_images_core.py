"""The images capability's pure parts: widths, cache keys, plans, initials, settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from culture_hub.images.core import (
    HEADERS,
    MADE,
    Headers,
    ImageError,
    cache_key,
    cached,
    make,
    plan,
    publish,
    variant_widths,
)
from culture_hub.images.people import initials
from culture_hub.images.settings import ImageSettings, ImageSettingsError

WIDTHS = (160, 360, 720, 1080, 1440)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (4000, [160, 360, 720, 1080, 1440]),  # never wider than the widest setting
        (1440, [160, 360, 720, 1080, 1440]),
        (1200, [160, 360, 720, 1080, 1200]),  # the source's own width, not enlarged
        (400, [160, 360, 400]),
        (100, [100]),  # smaller than every width: just itself
        (160, [160]),
    ],
)
def test_variant_widths(source: int, expected: list[int]) -> None:
    assert variant_widths(source, WIDTHS) == expected


def test_cache_key_changes_with_bytes_and_every_parameter() -> None:
    base = cache_key(b"abc", WIDTHS, 78)
    assert base == cache_key(b"abc", WIDTHS, 78)
    assert len({base, cache_key(b"abd", WIDTHS, 78), cache_key(b"abc", (160,), 78),
                cache_key(b"abc", WIDTHS, 79)}) == 4  # fmt: skip


def test_plan_and_make(tmp_path: Path) -> None:
    source = tmp_path / "wide.png"
    Image.new("RGBA", (800, 400), (10, 20, 30, 128)).save(source)
    chosen = plan(source, "images/wide.png", WIDTHS, 70)
    assert (chosen.width, chosen.height) == (800, 400)
    assert chosen.fallback == "PNG"  # transparency kept
    assert chosen.srcset("WEBP", "/").split(", ")[0].startswith("/images/r/wide-")
    cache = tmp_path / "cache"
    assert not cached(chosen, cache)
    make(chosen, source, cache)
    assert cached(chosen, cache)
    assert not list(cache.rglob("*.part"))  # nothing half-written left behind
    for variant in chosen.variants:
        with Image.open(cache / chosen.key / variant.cache_name) as made:
            assert (made.format, made.size) == (variant.format, (variant.width, variant.height))


def test_a_link_planted_in_the_cache_is_never_published_as_a_variant(tmp_path: Path) -> None:
    """A pull request can commit files under cache/: a link named as a variant, with a
    record that guesses the size and time of the file it points to (a system file of a
    known build image), must neither count as made nor be linked into the output."""
    source = tmp_path / "wide.png"
    Image.new("RGB", (800, 400), "blue").save(source)
    chosen = plan(source, "images/wide.png", WIDTHS, 70)
    cache = tmp_path / "cache"
    folder = cache / chosen.key
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("the build machine's file")
    found = secret.stat()
    record = {}
    for variant in chosen.variants:
        (folder / variant.cache_name).symlink_to(secret)
        record[variant.cache_name] = [found.st_size, found.st_mtime_ns, variant.height]
    (folder / MADE).write_text(json.dumps(record))
    assert not cached(chosen, cache)
    make(chosen, source, cache)
    output = tmp_path / "output"
    publish(chosen, cache, output)
    for variant in chosen.variants:
        published = output / variant.name
        assert not published.is_symlink()
        assert not published.samefile(secret)
        with Image.open(published) as made:
            assert made.size == (variant.width, variant.height)
    assert secret.read_text() == "the build machine's file"


def test_exif_rotation_swaps_the_size(tmp_path: Path) -> None:
    source = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    Image.new("RGB", (600, 300), "red").save(source, exif=exif)
    chosen = plan(source, "images/turned.jpg", WIDTHS, 70)
    assert (chosen.width, chosen.height) == (300, 600)
    make(chosen, source, tmp_path / "cache")
    widest = chosen.variants[-1]
    with Image.open(tmp_path / "cache" / chosen.key / widest.cache_name) as made:
        assert made.size == (300, 600)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_planned_size_is_the_size_shown_for_every_orientation(
    tmp_path: Path, fmt: str, orientation: int
) -> None:
    """The plan reads the orientation from the header; the picture, once turned, agrees."""
    source = tmp_path / f"p.{fmt.lower()}"
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.new("RGB", (120, 40), "teal").save(source, fmt, exif=exif)
    with Image.open(source) as image:
        shown = ImageOps.exif_transpose(image).size
    chosen = plan(source, f"images/{source.name}", WIDTHS, 70)
    assert (chosen.width, chosen.height) == shown


def test_a_truncated_picture_is_reported_when_its_variants_are_made(tmp_path: Path) -> None:
    """The plan reads only the header; making the variants decodes, and finds the cut."""
    source = tmp_path / "cut.jpg"
    Image.new("RGB", (900, 600), "navy").save(source, quality=95)
    source.write_bytes(source.read_bytes()[:2000])  # the header, then the data stops
    chosen = plan(source, "images/cut.jpg", WIDTHS, 70)
    with pytest.raises(ImageError, match="cannot be read"):
        make(chosen, source, tmp_path / "cache")


def test_a_picture_too_tall_for_webp_is_an_image_error_not_a_crash(tmp_path: Path) -> None:
    """600 by 20,000 is 12 megapixels, under the limit, but its 600-wide variant would
    be 20,000 tall, past WebP's 16,383: Pillow's ValueError was a traceback."""
    source = tmp_path / "tall.jpg"
    Image.new("RGB", (600, 20_000), "navy").save(source, quality=50)
    with pytest.raises(ImageError, match="more than the 16383 a WebP can hold"):
        plan(source, "images/tall.jpg", WIDTHS, 70)


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"not a picture"])
def test_unreadable_pictures_raise_image_error(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "bad.png"
    source.write_bytes(data)
    with pytest.raises(ImageError, match="cannot be read"):
        plan(source, "images/bad.png", WIDTHS, 70)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Priya Shah", "PS"),
        ("Zoë van der Berg", "ZB"),
        ("Jun", "J"),
        ("ana (she/her) lópez", "AL"),
        ("  ", "?"),
        ("— 42 —", "?"),
        ("<script>", "S"),
        ("高橋 淳", "高淳"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    "settings",
    [
        {"IMAGE_WIDTHS": []},
        {"IMAGE_WIDTHS": [10]},
        {"IMAGE_WIDTHS": [True]},
        {"IMAGE_WIDTHS": "720"},
        {"IMAGE_QUALITY": 0},
        {"IMAGE_QUALITY": "80"},
        {"RESPONSIVE_IMAGES": "yes"},
    ],
)
def test_bad_settings(settings: dict[str, object]) -> None:
    with pytest.raises(ImageSettingsError):
        ImageSettings.from_settings(settings)


def test_default_settings() -> None:
    config = ImageSettings.from_settings({"CACHE_PATH": "/tmp/c", "IMAGE_WIDTHS": [720, 360, 720]})
    assert config.widths == (360, 720) and config.cache == Path("/tmp/c/images")
    assert config.enabled and config.quality == 78


def test_headers_are_kept_by_content_and_a_damaged_record_is_read_again(tmp_path: Path) -> None:
    source = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter: 300 by 600
    Image.new("RGB", (600, 300), "red").save(source, exif=exif)
    record = tmp_path / "cache" / HEADERS
    headers = Headers(record)
    header = headers.of(source.read_bytes(), source)
    assert (header.width, header.height, header.has_alpha, header.notes) == (300, 600, False, ())
    headers.save()
    again = Headers(record)
    moved = tmp_path / "elsewhere.jpg"
    source.rename(moved)  # the same bytes under another name: known, never opened
    assert again.of(moved.read_bytes(), tmp_path / "gone.jpg") == header
    assert not again.changed
    for damaged in ("not json", "[1, 2]", '{"%s": [0, -1, true, []]}', '{"%s": "x"}'):
        digest = next(iter(json.loads(record.read_text())))
        broken = tmp_path / "broken.json"
        broken.write_text(damaged.replace("%s", digest))
        assert Headers(broken).of(moved.read_bytes(), moved) == header, damaged
