"""A hostile pull request, tried for real: nothing a reviewer did not see is published.

Each attack is a change to a copy of the basic fixture site. The publish
build must refuse it with ``path:line`` at the offending file, leave the last
good output byte for byte as it was, and publish nothing from outside the
content folder; ``invoke check`` must report the same problem; and the dev
build (which only warns) must still never copy anything from outside.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, build_site
from PIL import Image

SECRET = "zzsecretmarker"
PNG = (FIXTURES / "basic" / "images" / "box.png").read_bytes()


def _story(body: str, *, extra: str = "", title: str = "Attack") -> str:
    return (
        f"---\ntitle: {title}\ndate: 2025-05-01 09:00\nauthors: [ada-quill]\n"
        f"departments: [finance]\nsummary: A story.\n{extra}---\n{body}\n"
    )


def _link(content: Path, name: str, target: str) -> None:
    (content / name).parent.mkdir(parents=True, exist_ok=True)
    (content / name).symlink_to(target)


@dataclass(frozen=True)
class Attack:
    name: str
    make: Callable[[Path], None]
    expected: str  # the located error, as printed
    dev: bool = True  # the dev build reads it too (the ledger is read by the publish build only)


def _png(width: int, height: int) -> bytes:
    data = io.BytesIO()
    Image.new("1", (width, height)).save(data, format="PNG")
    return data.getvalue()


ATTACKS = [
    Attack(
        "image symlink to a secret outside",
        lambda c: _link(c, "images/passwd.png", str(c.parent / "secret.txt")),
        "content/images/passwd.png:1: error: this is a symbolic link",
    ),
    Attack(
        "relative symlink to .git/config",
        lambda c: _link(c, "images/config.png", "../../.git/config"),
        "content/images/config.png:1: error: this is a symbolic link",
    ),
    Attack(
        "two folder links that loop",
        lambda c: (_link(c, "images/loop-a", "."), _link(c, "images/loop-b", "..")),
        "content/images/loop-a:1: error: this is a symbolic link",
    ),
    Attack(
        "symlinked story",
        lambda c: _link(c, "stories/linked.md", "../../secret.txt"),
        "content/stories/linked.md:1: error: this is a symbolic link",
    ),
    Attack(
        "reStructuredText page with an include",
        lambda c: (c / "pages" / "leak.rst").write_text(
            f"Leak\n####\n\n.. include:: {c.parent / 'secret.txt'}\n"
        ),
        "content/pages/leak.rst:1: error: 'leak.rst' is not a Markdown file",
    ),
    Attack(
        "HTML page that replaces the home page",
        lambda c: (c / "pages" / "home.html").write_text(
            '<html><head><title>Home</title><meta name="save_as" content="index.html">'
            f"</head><body>{SECRET}</body></html>"
        ),
        "content/pages/home.html:1: error: 'home.html' is not a Markdown file",
    ),
    Attack(
        "a story saved as text",
        lambda c: (c / "stories" / "draft.txt").write_text(_story(SECRET)),
        "content/stories/draft.txt:1: error: 'draft.txt' is not a Markdown file",
    ),
    Attack(
        "SVG with a script",
        lambda c: (c / "images" / "logo.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>{SECRET}</script>'
            "</svg>"
        ),
        "content/images/logo.svg:1: error: SVG files are not published",
    ),
    Attack(
        "an HTML login form named like a JPEG",
        lambda c: (c / "images" / "x.jpg").write_text(f"<form action=https://evil>{SECRET}</form>"),
        "content/images/x.jpg:1: error: the file is named like a JPEG image, but its bytes",
    ),
    Attack(
        "a PNG renamed to .jpg",
        lambda c: (c / "images" / "renamed.jpg").write_bytes(PNG),
        "content/images/renamed.jpg:1: error: the file is named like a JPEG image",
    ),
    Attack(
        "a service worker in images",
        lambda c: (c / "images" / "sw.js").write_text(f"self.addEventListener('fetch', {SECRET})"),
        "content/images/sw.js:1: error: 'sw.js' is not an image the site publishes",
    ),
    Attack(
        "an image over the size limit",
        lambda c: (c / "images" / "huge.png").write_bytes(PNG + b"\0" * 10_000_001),
        "content/images/huge.png:1: error: the image is 10.0 MB; the limit is 10.0 MB",
    ),
    Attack(
        "a static link out of the content folder",
        lambda c: (c / "stories" / "escape.md").write_text(_story("![x]({static}/../secret.txt)")),
        "content/stories/escape.md:8: error: the picture '{static}/../secret.txt' points outside",
    ),
    Attack(
        "a relative filename link out of the content folder",
        lambda c: (c / "stories" / "escape.md").write_text(
            _story("Intro.\n\n[x]({filename}../../secret.txt)")
        ),
        "content/stories/escape.md:10: error: the link '{filename}../../secret.txt' points",
    ),
    Attack(
        "a folder the site does not have",
        lambda c: (c / "extra").mkdir() or (c / "extra" / "robots.txt").write_text(SECRET),
        "content/extra:1: error: 'extra/' is not one of the site's folders",
    ),
    Attack(
        "a file at the top of the content folder",
        lambda c: (c / "notes.md").write_text(SECRET),
        "content/notes.md:1: error: this file is not part of any content folder",
    ),
    Attack(
        "a person file in a sub-folder",
        lambda c: (c / "people" / "x").mkdir() or (c / "people" / "x" / "y.md").write_text(SECRET),
        "content/people/x:1: error: files in people/ must sit directly in it",
    ),
    Attack(
        "a script in a person's bio",
        lambda c: (c / "people" / "ada-quill.md").write_text(
            (c / "people" / "ada-quill.md").read_text() + f"\nMore.\n\n<script>{SECRET}</script>\n"
        ),
        "content/people/ada-quill.md:",
    ),
    Attack(
        "an event handler in a department description",
        lambda c: (c / "departments" / "finance.md").write_text(
            (c / "departments" / "finance.md").read_text() + f'\n<img src="x" onerror="{SECRET}">\n'
        ),
        "content/departments/finance.md:",
    ),
    Attack(
        "a link marker Pelican would turn into javascript:",
        lambda c: (c / "stories" / "xss.md").write_text(
            _story("Click [here]({alert(document.domain)}javascript:0) please.")
        ),
        "content/stories/xss.md:8: error: '{alert(document.domain)}' in the link",
    ),
    Attack(
        "a raw HTML link with a marker",
        lambda c: (c / "stories" / "xss.md").write_text(
            _story('Intro.\n\n<a href="{alert(2)}javascript:0">raw</a>')
        ),
        "content/stories/xss.md:10: error: '{alert(2)}' in the link",
    ),
    Attack(
        "a marker link in the summary",
        lambda c: (c / "stories" / "xss.md").write_text(
            _story("Body.").replace(
                "summary: A story.", 'summary: "Read [it]({alert(document.cookie)}javascript:0)."'
            )
        ),
        "content/stories/xss.md:6: error: the summary links with a {…} marker",
    ),
    Attack(
        "a filename link hidden from a Markdown scan by backticks in attributes",
        lambda c: (c / "stories" / "hide.md").write_text(
            _story('<div><a title="`" href="{filename}../../secret.txt" class="`">x</a></div>')
        ),
        "content/stories/hide.md:8: error: the link '{filename}../../secret.txt' points outside",
    ),
    Attack(
        "Pelican's |filename| form",
        lambda c: (c / "stories" / "pipe.md").write_text(
            _story('<a href="|filename|first.md">x</a>')
        ),
        "content/stories/pipe.md:8: error: '|filename|' in the link",
    ),
    Attack(
        "a cite attribute out of the content folder",
        lambda c: (c / "stories" / "cite.md").write_text(
            _story('<blockquote cite="{static}/../secret.txt">q</blockquote>')
        ),
        "content/stories/cite.md:8: error: the link '{static}/../secret.txt' points outside",
    ),
    Attack(
        "a title with no letters (an empty address)",
        lambda c: (c / "stories" / "bang.md").write_text(_story("Body.", title='"!!!"')),
        "content/stories/bang.md:2: error: the title has no letters or digits",
    ),
    Attack(
        "a tag with no letters (over the tags page)",
        lambda c: (c / "stories" / "bang.md").write_text(_story("Body.", extra='tags: ["!!!"]\n')),
        "content/stories/bang.md:7: error: the tag '!!!' has no letters or digits",
    ),
    Attack(
        "a person file linked to an endless device",
        lambda c: _link(c, "people/zero.md", "/dev/zero"),
        "content/people/zero.md:1: error: this is a symbolic link",
    ),
    Attack(
        "a file name that writes a CI command",
        lambda c: (c / "stories" / "x\n::error file=README.md::injected.txt").write_text("x"),
        "content/stories/x\\n::error file=README.md::injected.txt:1: error: 'x\\n::error",
    ),
    Attack(
        "a picture that decodes into gigabytes",
        lambda c: (c / "images" / "bomb.png").write_bytes(_png(9_000, 9_000)),
        "content/images/bomb.png:1: error: the image has 81 megapixels; the limit is 40",
    ),
    Attack(
        "a picture cut short",
        lambda c: (c / "images" / "cut.png").write_bytes(PNG[:-20]),
        "content/images/cut.png:1: error: the file is named like a PNG image, but its bytes",
    ),
    # /_culture-hub/ is where the object-store publisher keeps its release record: the
    # deploy refuses a site with a page there, so the check must say so first, at the
    # line that makes the address (in any casing or spelling that slugifies to it).
    Attack(
        "a page whose title makes the reserved address",
        lambda c: (c / "pages" / "hub.md").write_text("---\ntitle: _Culture Hub!\n---\nHi.\n"),
        "content/pages/hub.md:2: error: the address /_culture-hub/ uses '_culture-hub', a "
        "name the site keeps for its own publishing records, so this page cannot be "
        "published there (change the title or add a different 'slug:')",
    ),
    Attack(
        "a story whose title makes the reserved name",
        lambda c: (c / "stories" / "hub.md").write_text(
            _story("Hi.", title="\uff3fculture\u2013HUB")
        ),
        "content/stories/hub.md:2: error: the address /stories/_culture-hub/ uses '_culture-hub'",
    ),
    Attack(
        "a page given the reserved slug",
        lambda c: (c / "pages" / "hub.md").write_text(
            "---\ntitle: Hub\nslug: _Culture-Hub\n---\nHi.\n"
        ),
        "content/pages/hub.md:3: error: 'slug' '_Culture-Hub' is not a valid id: ids are lower-case "
        "letters, digits and hyphens, as in the file names (write 'culture-hub')",
    ),
    Attack(
        "a feed ledger redirecting from the reserved folder",
        lambda c: (c / "feed-ledger.json").write_text(
            '{"version": 1, "items": [\n {"guid": "urn:x:1", "path": "stories/first.md",\n'
            '  "first_seen": "2025-05-01T09:00:00+00:00", "body": "", "key": "",\n'
            '  "addresses": ["stories/counting-the-first-thing/",\n'
            '   "_Culture-Hub/releases.json/"]}\n]}\n'
        ),
        "content/feed-ledger.json:5: error: the feed ledger cannot be read: the address "
        "'_Culture-Hub/releases.json/' uses '_culture-hub', a name the site keeps for its own "
        "publishing records, so nothing may redirect from there",
        dev=False,
    ),
    Attack(
        "a broken feed ledger",
        lambda c: (c / "feed-ledger.json").write_text('{"items": [{"guid": 1}]}\n'),
        "content/feed-ledger.json:1: error: the feed ledger cannot be read",
        dev=False,
    ),
]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _project(tmp_path: Path) -> Path:
    """A project folder as CI checks it out: content, a secret, a .git config."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (tmp_path / "secret.txt").write_text(f"{SECRET}\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(f"[http]\n\textraheader = {SECRET}\n")
    return content


def _leaks(output: Path) -> list[str]:
    return [
        str(p.relative_to(output))
        for p in output.rglob("*")
        if p.is_symlink() or (p.is_file() and SECRET.encode() in p.read_bytes())
    ]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_publish_refuses_the_attack_and_keeps_the_last_good_site(
    tmp_path: Path, attack: Attack
) -> None:
    content = _project(tmp_path)
    output = tmp_path / "output"
    good = build_site(content, output, cwd=tmp_path)
    assert good.returncode == 0, good.log
    before = _snapshot(output)

    attack.make(content)
    refused = build_site(content, output, cwd=tmp_path)
    assert refused.returncode == 1, refused.log
    assert attack.expected in refused.stderr, refused.log
    assert "Traceback" not in refused.log
    assert not [line for line in refused.log.splitlines() if line.startswith("::")]
    assert _snapshot(output) == before

    checked = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "check", "--content", str(content)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert attack.expected in checked.stdout, checked.stdout + checked.stderr


@pytest.mark.timeout(120)
@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.dev], ids=lambda a: a.name)
def test_the_dev_build_warns_and_copies_nothing_from_outside(
    tmp_path: Path, attack: Attack
) -> None:
    content = _project(tmp_path)
    attack.make(content)
    dev = build_site(content, tmp_path / "dev", settings="pelicanconf.py", cwd=tmp_path)
    assert dev.returncode == 0, dev.log
    assert attack.expected.replace(": error: ", ": warning: ") in dev.stderr, dev.log
    assert "Traceback" not in dev.log
    assert _leaks(dev.output) == []
    assert (dev.output / "index.html").read_text().count("<html") == 1
