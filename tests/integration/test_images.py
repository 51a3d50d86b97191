"""Responsive images: variants made at build time, shown with srcset/sizes, cached by content."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import FIXTURES, Build, build_site
from PIL import Image

from culture_hub.images.artwork import cover, portrait
from culture_hub.images.core import HEADERS, MADE

SITE = "https://culture.lanternfield.example"


def _site(base: Path) -> Path:
    """The basic fixture with a JPEG cover on the first story and a photo for Ada; two
    pictures in the first story's text (one wide, one narrower than the column) and
    one picture no page uses."""
    content = base / "content"
    shutil.copytree(FIXTURES / "basic", content)
    cover(7, (1600, 900)).save(content / "images" / "cover.jpg", quality=80)
    portrait(3, "#1f6f5c", 400).save(content / "images" / "ada.jpg", quality=80)
    cover(11, (1000, 750)).save(content / "images" / "wide.jpg", quality=80)
    portrait(5, "#7a3b0b", 300).save(content / "images" / "small.png")
    cover(13, (800, 600)).save(content / "images" / "unused.jpg", quality=80)
    story = content / "stories" / "first.md"
    story.write_text(
        story.read_text().replace(
            "summary:",
            "image: images/cover.jpg\nimage_alt: Hills under a pale sun\nfeatured: true\nsummary:",
            1,
        )
        + "\n![Hills at dusk, seen from the office](images/wide.jpg)\n"
        + '\nAnd a face: <img src="images/small.png" alt="A drawn face" title="Ada">\n'
    )
    person = content / "people" / "ada-quill.md"
    person.write_text(
        person.read_text().replace("x: ada_quill", "x: ada_quill\navatar: images/ada.jpg")
    )
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    base = tmp_path_factory.mktemp("images")
    content = _site(base)
    cache = base / "image-cache"
    result = build_site(content, base / "output", cwd=base, IMAGE_CACHE_PATH=str(cache))
    assert result.returncode == 0, result.log
    return result, cache


def _rebuild(result: Build, output: Path, cache: Path, **settings: object) -> Build:
    """The fixture's site built again, into ``output``, with its variants cached in ``cache``."""
    site = result.output.parent
    return build_site(site / "content", output, cwd=site, IMAGE_CACHE_PATH=str(cache), **settings)


def _candidates(srcset: str) -> list[tuple[str, int]]:
    pairs = [item.strip().rsplit(" ", 1) for item in srcset.split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def test_story_cover_is_a_responsive_picture(built: tuple[Build, Path]) -> None:
    result, _ = built
    page = result.soup("stories/counting-the-first-thing/index.html")
    picture = page.select_one("figure.cover picture")
    source = picture.find("source")
    img = picture.find("img")
    assert source["type"] == "image/webp"
    assert img["alt"] == "Hills under a pale sun"
    assert (img["width"], img["height"]) == ("1440", "810")  # never wider than the widest
    assert img["fetchpriority"] == "high" and not img.get("loading")  # the page's main image
    assert img["sizes"] == source["sizes"] and "100vw" in img["sizes"]
    webp = _candidates(source["srcset"])
    jpeg = _candidates(img["srcset"])
    assert [w for _, w in webp] == [160, 360, 720, 1080, 1440] == [w for _, w in jpeg]
    for (url, width), kind in [*((c, "WEBP") for c in webp), *((c, "JPEG") for c in jpeg)]:
        assert url.startswith(f"{SITE}/images/r/")
        with Image.open(result.output / url.removeprefix(f"{SITE}/")) as made:
            assert made.format == kind
            assert made.width == width
            assert made.height == round(width * 9 / 16)
    assert img["src"] == jpeg[-1][0]


def test_cards_are_lazy_and_sized(built: tuple[Build, Path]) -> None:
    result, _ = built
    home = result.soup("index.html")
    hero = home.select_one(".hero-cover img")
    assert hero["fetchpriority"] == "high" and not hero.get("loading")
    for img in home.select(".card img"):
        assert img["loading"] == "lazy"
        assert img.get("sizes") and img.get("width") and img.get("height")
    stories = result.soup("stories/index.html")
    card = stories.select_one(".card-cover img")
    assert card["loading"] == "lazy" and card["alt"] == ""  # the title says it; no repeat
    assert "(min-width" in card["sizes"]


def test_avatar_photo_and_initials(built: tuple[Build, Path]) -> None:
    result, _ = built
    ada = result.soup("people/ada-quill/index.html")
    photo = ada.select_one(".person-header .avatar img")
    assert photo["alt"] == "" and photo["width"] == "160"
    assert "image/webp" in str(ada.select_one(".person-header .avatar source"))
    ben = result.soup("people/ben-ortiz/index.html")
    initials = ben.select_one(".person-header svg.avatar-initials")
    assert initials.find("text").get_text() == "BO"
    assert initials["aria-hidden"] == "true"
    story = result.soup("stories/counting-the-first-thing/index.html")
    assert story.select_one(".byline .avatar img")  # Ada's face in the byline
    # Small faces on story cards: one variant each (enough for a 3x screen at 24 px).
    card = result.soup("stories/index.html").select_one(
        ".card:has(a[href$='counting-the-first-thing/'])"
    )
    face = card.select_one(".byline .avatar img")
    assert (face["width"], face["sizes"], face["loading"]) == ("24", "24px", "lazy")
    assert face["srcset"] == face["src"] + " 160w" and face["src"].endswith("-160.jpg")
    assert card.select_one(".byline .avatar source")["srcset"].endswith("-160.webp 160w")
    second = result.soup("stories/index.html").select_one(
        ".card:has(a[href$='moving-the-second-thing/'])"
    )
    assert second.select_one(".byline svg.avatar-initials text").get_text() == "BO"
    # A large face keeps every variant a 3x screen can use at 160 px.
    assert ada.select_one(".person-header .avatar img")["srcset"].count("w,") == 2


def test_a_rebuild_reuses_every_variant(built: tuple[Build, Path], tmp_path: Path) -> None:
    result, cache = built
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    # cover: 5 widths; box.png (1200 px): 4 and its own; photo: 160, 360 and its own 400;
    # in the text: wide.jpg (1000 px) 160, 360, 720 and its own, small.png 160 and its own
    assert len([p for p in before if p.name not in (MADE, HEADERS)]) == (5 + 5 + 3 + 4 + 2) * 2
    assert cache / HEADERS in before  # what each picture is, by its bytes
    again = _rebuild(result, tmp_path / "again", cache)
    assert again.returncode == 0, again.log
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before  # nothing made again
    for made in (result.output / "images" / "r").iterdir():
        assert (tmp_path / "again" / "images" / "r" / made.name).read_bytes() == made.read_bytes()


def test_variants_are_linked_from_the_cache_and_one_rewritten_in_place_is_made_again(
    built: tuple[Build, Path], tmp_path: Path
) -> None:
    """The output's variants are the cache's files (hard links: no copy at each build).
    A variant rewritten in place in an output rewrites the cache with it: the next
    build must notice, make it again and publish the picture, not the damage."""
    result, cache = built
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    first = _rebuild(result, tmp_path / "one", copy)
    assert first.returncode == 0, first.log
    variants = sorted((first.output / "images" / "r").iterdir())
    cached = {p.name: p for p in copy.rglob("*") if p.is_file() and p.name != MADE}
    assert variants and all(v.stat().st_ino == cached[v.name].stat().st_ino for v in variants)
    damaged = next(v for v in variants if v.suffix == ".jpg")
    original = damaged.read_bytes()
    with damaged.open("r+b") as file:  # in place: the same file, so the cache's too
        file.write(b"not a picture any more")
    assert cached[damaged.name].read_bytes() != original
    again = _rebuild(result, tmp_path / "two", copy)
    assert again.returncode == 0, again.log
    remade = (again.output / "images" / "r" / damaged.name).read_bytes()
    assert remade.startswith(b"\xff\xd8") and len(remade) == len(original)  # a JPEG again
    with Image.open(again.output / "images" / "r" / damaged.name) as picture:
        picture.verify()


def test_a_cache_on_another_disk_is_copied_from(built: tuple[Build, Path], tmp_path: Path) -> None:
    """Hard links cannot cross disks: variants are copied from a cache elsewhere (here
    /dev/shm, a memory file system) and the site is the same."""
    result, cache = built
    shm = Path("/dev/shm")
    assert shm.is_dir() and shm.stat().st_dev != tmp_path.stat().st_dev
    elsewhere = Path(tempfile.mkdtemp(dir=shm)) / "cache"
    try:
        shutil.copytree(cache, elsewhere)
        again = _rebuild(result, tmp_path / "out", elsewhere)
        assert again.returncode == 0, again.log
        for made in (result.output / "images" / "r").iterdir():
            copied = tmp_path / "out" / "images" / "r" / made.name
            assert copied.read_bytes() == made.read_bytes()
            assert copied.stat().st_nlink == 1
    finally:
        shutil.rmtree(elsewhere.parent)


def test_changed_settings_make_new_variants(built: tuple[Build, Path], tmp_path: Path) -> None:
    result, cache = built
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    old = {p.name for p in copy.iterdir()}
    again = _rebuild(result, tmp_path / "out", copy, IMAGE_WIDTHS=[300, 600])
    assert again.returncode == 0, again.log
    img = again.soup("stories/counting-the-first-thing/index.html").select_one(".cover img")
    assert [w for _, w in _candidates(img["srcset"])] == [300, 600]
    assert img["width"] == "600"
    new = {p.name for p in copy.iterdir()} - old
    assert len(new) == 5  # the same five pictures, under keys of the new settings


def test_pictures_in_the_text_are_responsive(built: tuple[Build, Path]) -> None:
    """A picture in a story's text gets the covers' variants, sized for the prose column,
    lazy and asynchronous, with its alt text and nothing the sanitizer did not allow."""
    result, _ = built
    page = result.soup("stories/counting-the-first-thing/index.html")
    pictures = page.select(".prose picture")
    assert len(pictures) == 2
    wide, small = (p.find("img") for p in pictures)
    assert wide["alt"] == "Hills at dusk, seen from the office"
    assert (wide["width"], wide["height"]) == ("1000", "750")
    assert wide["loading"] == "lazy" and wide["decoding"] == "async"
    assert "fetchpriority" not in wide.attrs  # only the cover is the page's main picture
    assert wide["sizes"] == "(min-width: 48rem) 42rem, calc(100vw - 2rem)"
    assert small["alt"] == "A drawn face" and small["title"] == "Ada"
    assert (small["width"], small["height"]) == ("300", "300")
    assert small["sizes"] == "(min-width: 332px) 300px, calc(100vw - 2rem)"
    expected = {
        wide: ([160, 360, 720, 1000], "JPEG"),
        small: ([160, 300], "JPEG"),
    }  # no transparency: JPEG
    for img, (widths, fallback) in expected.items():
        source = img.find_parent("picture").find("source")
        assert source["type"] == "image/webp" and source["sizes"] == img["sizes"]
        for srcset, kind in ((source["srcset"], "WEBP"), (img["srcset"], fallback)):
            candidates = _candidates(srcset)
            assert [w for _, w in candidates] == widths
            for url, width in candidates:
                assert url.startswith(f"{SITE}/images/r/")  # this site's variants only
                with Image.open(result.output / url.removeprefix(f"{SITE}/")) as made:
                    assert (made.format, made.width) == (kind, width)
        assert img["src"] == _candidates(img["srcset"])[-1][0]
        assert set(img.attrs) <= {
            "src", "srcset", "sizes", "width", "height", "alt", "title", "loading", "decoding"
        }  # fmt: skip
    # The feed keeps the plain picture (readers resolve no srcset), at its absolute address.
    feed = (result.output / "feeds" / "all.atom.xml").read_text()
    assert f'src="{SITE}/images/wide.jpg"' in feed and "images/r/" not in feed


def test_only_pictures_pages_use_get_variants(built: tuple[Build, Path]) -> None:
    result, cache = built
    made = {p.name.split("-")[0] for p in (result.output / "images" / "r").iterdir()}
    assert made == {"cover", "ada", "box", "wide", "small"}
    assert not (result.output / "images" / "unused.jpg").exists()
    assert not list(cache.rglob("unused-*"))  # nothing made for it either


def test_a_picture_that_cannot_be_read_is_a_located_error(tmp_path: Path) -> None:
    content = _site(tmp_path)
    data = (content / "images" / "cover.jpg").read_bytes()
    (content / "images" / "cover.jpg").write_bytes(data[: len(data) // 3])  # cut short
    result = build_site(content, tmp_path / "output", cwd=tmp_path,
                        IMAGE_CACHE_PATH=str(tmp_path / "cache"))  # fmt: skip
    assert result.returncode == 1
    assert "content/images/cover.jpg:1: error: the picture cannot be read" in result.stderr
    assert "Traceback" not in result.log
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("setting", "value"),
    [("IMAGE_WIDTHS", []), ("IMAGE_WIDTHS", [0]), ("IMAGE_QUALITY", 101), ("RESPONSIVE_IMAGES", 1)],
)
def test_bad_image_settings_stop_the_build(tmp_path: Path, setting: str, value: object) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    result = build_site(content, tmp_path / "output", cwd=tmp_path, **{setting: value})
    assert result.returncode == 1
    assert setting in result.stderr and "Traceback" not in result.log


def test_images_off_shows_the_original(tmp_path: Path) -> None:
    content = _site(tmp_path)
    result = build_site(content, tmp_path / "output", cwd=tmp_path, RESPONSIVE_IMAGES=False)
    assert result.returncode == 0, result.log
    img = result.soup("stories/counting-the-first-thing/index.html").select_one(".cover img")
    assert img["src"] == f"{SITE}/images/cover.jpg"
    assert not (tmp_path / "output" / "images" / "r").exists()


# Put on PYTHONPATH, it counts what the build asks of Pillow (in every process of the
# build, workers included): each file decoded (``load``), and each picture the images
# capability opens. Pillow itself does its work as ever.
COUNTING = """
import os, sys
from PIL import Image, ImageFile

_load, _open = ImageFile.ImageFile.load, Image.open


def _note(what, name):
    with open(os.environ["PILLOW_CALLS"], "a", encoding="utf-8") as log:
        log.write(f"{what} {name}\\n")


def load(self):
    if getattr(self, "filename", ""):
        _note("load", self.filename)
    return _load(self)


def opened(fp, *args, **kwargs):
    if "culture_hub/images/" in sys._getframe(1).f_code.co_filename:
        _note("open", fp)
    return _open(fp, *args, **kwargs)


ImageFile.ImageFile.load = load
Image.open = opened
"""


def test_a_rebuild_decodes_no_unchanged_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first build reads every picture (a PNG is decoded whole to find its EXIF
    orientation); the next, with the same cache, opens none: what the plans need of
    each picture is kept by its bytes. A picture changed since is read again."""
    content = _site(tmp_path)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNTING)
    calls = tmp_path / "calls.log"
    monkeypatch.setenv("PYTHONPATH", str(hook))
    monkeypatch.setenv("PILLOW_CALLS", str(calls))
    cache = tmp_path / "image-cache"

    def build(name: str) -> list[str]:
        calls.write_text("")
        result = build_site(content, tmp_path / name, cwd=tmp_path, IMAGE_CACHE_PATH=str(cache))
        assert result.returncode == 0, result.log
        return [line for line in calls.read_text().splitlines() if "/content/images/" in line]

    first = build("first")
    assert "load" in " ".join(first) and any(line.endswith("small.png") for line in first)
    assert build("second") == []  # nothing opened, nothing decoded
    portrait(6, "#7a3b0b", 300).save(content / "images" / "small.png")  # a new picture
    third = build("third")
    assert third and all(line.endswith("/images/small.png") for line in third), third


def test_a_picture_with_damaged_exif_is_named_in_a_warning(tmp_path: Path) -> None:
    """A camera or editor that wrote a cut-short EXIF block: Pillow's warning comes out
    as the picture's own line (what is wrong, how to fix it), at every build, and the
    picture is still published."""
    content = _site(tmp_path)
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x010E] = "A description that is long enough"
    damaged = exif.tobytes()[:-40]  # the description and the next-IFD pointer cut off
    cover(9, (800, 600)).save(content / "images" / "cover.jpg", quality=80, exif=damaged)
    cache = tmp_path / "image-cache"
    for name in ("first", "again"):
        result = build_site(content, tmp_path / name, cwd=tmp_path, IMAGE_CACHE_PATH=str(cache))
        assert result.returncode == 0, result.log
        (line,) = [line for line in result.log.splitlines() if "EXIF" in line]
        assert line.startswith(
            "content/images/cover.jpg:1: warning: the picture's EXIF data is damaged, so which way up"
        ), line
        assert "Pillow says: Tag data larger than file" in line and "Corrupt EXIF data" in line

        assert "export it again" in line
        assert "UserWarning" not in result.log and "PIL/" not in result.log
        cover_picture = result.soup("stories/counting-the-first-thing/index.html").select_one(
            "figure.cover img"
        )
        assert (result.output / cover_picture["src"].removeprefix(f"{SITE}/")).is_file()


@pytest.mark.parametrize(
    ("wrong", "picture"),
    [
        ("height", "cover.jpg (the picture is 1600 by 900"),
        ("width", "wide.jpg (the picture is 1000 by 750"),
    ],
)
def test_a_hand_edited_picture_record_is_never_published(
    built: tuple[Build, Path], tmp_path: Path, wrong: str, picture: str
) -> None:
    """``HEADERS`` says each picture's size without opening it again. A record edited
    to a wrong size (the same width: its variants' names are those already made) must
    not give pages a size the picture is not, nor stretched variants: the picture is
    named, with the file to delete. (A record of a wider picture in the same shape
    plans the same variants: harmless, so not stopped at.)"""
    result, cache = built
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    records = json.loads((copy / HEADERS).read_text())
    for record in records.values():
        record[:2] = [record[0], 7] if wrong == "height" else [record[0] * 2, record[1] * 2]
    (copy / HEADERS).write_text(json.dumps(records))
    again = _rebuild(result, tmp_path / "again", copy)
    assert again.returncode == 1, again.log
    name, size = picture.split(" ", 1)
    assert (
        f"images/{name}:1: error: the image cache's record of this picture ({copy / HEADERS}) "
        f"does not match it {size} pixels) (delete that file and build again; the picture "
        "itself is fine)"
    ) in again.log
    assert not (tmp_path / "again").exists()  # nothing published


def test_a_phone_photo_with_a_second_picture_inside_is_a_jpeg(tmp_path: Path) -> None:
    """Phones save depth and HDR gain maps as extra pictures in a JPEG (the Multi-Picture
    Format, which Pillow opens as "MPO"): every browser shows it as the JPEG it is, so it
    is published like one, not refused as "named like a JPEG but not one"."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    main, depth = cover(7, (1200, 900)), cover(9, (600, 450)).convert("L").convert("RGB")
    main.save(content / "images" / "phone.jpg", format="MPO", save_all=True,
              append_images=[depth])  # fmt: skip
    with Image.open(content / "images" / "phone.jpg") as opened:
        assert opened.format == "MPO"
    story = content / "stories" / "second.md"
    story.write_text(story.read_text() + "\n![The view from the roof](images/phone.jpg)\n")
    result = build_site(content, tmp_path / "output", cwd=tmp_path)
    assert result.returncode == 0, result.log
    assert "phone.jpg" not in result.log
    shown = result.soup("stories/moving-the-second-thing/index.html").find(
        "img", alt="The view from the roof"
    )
    assert shown is not None
    variant = tmp_path / "output" / shown["src"].removeprefix(SITE + "/")
    with Image.open(variant) as made:
        assert made.format == "JPEG"
        assert made.size[0] <= 1200
