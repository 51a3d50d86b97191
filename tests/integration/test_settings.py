"""Settings, seen from Pelican's own command line: every default shown, a bad value refused."""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT

from culture_hub.declare import declarations, python

DECLARED = declarations()
OURS = [s for s in DECLARED if not s.pelican]


def pelican(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}  # rich wraps long values at the terminal's width
    return subprocess.run(
        [sys.executable, "-m", "pelican", *args],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=300, env=env,
    )  # fmt: skip


def printed(output: str) -> dict[str, object]:
    """``--print-settings NAME …``'s answer: each name with its value (read back as Python)."""
    values: dict[str, object] = {}
    name = ""
    lines: list[str] = []
    for line in [*output.splitlines(), ""]:
        head, colon, rest = line.partition(":")
        if colon and head.isupper() and head.replace("_", "").isalnum():
            name, lines = head, ([rest.strip()] if rest.strip() else [])
        elif line.strip() and name:
            lines.append(line.strip())
        elif name:
            values[name] = ast.literal_eval(" ".join(lines))
            name = ""
    return values


def test_print_settings_shows_every_culture_hub_default() -> None:
    names = [s.name for s in DECLARED]
    done = pelican("content", "-s", "pelicanconf.py", "--print-settings", *names)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is not a recognized setting" not in done.stdout, done.stdout
    values = printed(done.stdout)
    assert sorted(values) == sorted(names), done.stdout
    set_in_pelicanconf = {
        "AUDIENCE": "staff", "PREVIEW_UNPUBLISHED": True, "SITE_X_HANDLE": "lanternfield",
        "FEED_MAX_ITEMS": 50, "CODEOWNERS_DEFAULT": ["@lanternfield/culture-hub-maintainers"],
    }  # fmt: skip
    for setting in OURS:
        if setting.name in set_in_pelicanconf:
            assert values[setting.name] == set_in_pelicanconf[setting.name], setting.name
        elif setting.name not in {"PUBLIC_OUTPUT_PATH", "SITE_TAGLINE", "SITE_IMAGE_ALT"}:
            assert values[setting.name] == setting.default_for({"DEFAULT_LANG": "en"}), setting.name
    assert values["BUILD_WORKERS"] == (os.cpu_count() or 1)  # worked out, then shown
    assert values["FEED_LANGUAGE"] == "en"  # DEFAULT_LANG
    assert values["JSON_FEED"] is True
    assert values["SEARCH_PAGES_PER_INDEX"] == 600


def test_print_settings_of_everything_lists_them_too() -> None:
    done = pelican("content", "-s", "publishconf.py", "--print-settings")
    assert done.returncode == 0, done.stdout + done.stderr
    for setting in DECLARED:
        assert f"'{setting.name}':" in done.stdout, setting.name
    assert "'OG_LOCALE': 'en_GB'" in done.stdout
    assert "'READING_WORDS_PER_MINUTE': 220" in done.stdout


def site_settings(folder: Path, lines: str) -> Path:
    """A settings file of a site of its own: the project's publish settings plus ``lines``."""
    settings = folder / "site.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from publishconf import *  # noqa: F403\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"{lines}\n",
        encoding="utf-8",
    )
    return settings


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


BAD = [
    ("BUILD_WORKERS = 0", "BUILD_WORKERS", "0 is not a whole number of 1 or more; set a number"),
    ("CONTRIBUTIONS_MONTHS = '12'", "CONTRIBUTIONS_MONTHS", "'12' is not a whole number from 1"),
    ('SHARE_NETWORKS = ["x", "myspace"]', "SHARE_NETWORKS", "'myspace' is not one of 'x'"),
    ('FEED_LEDGER = "../../ledger.json"', "FEED_LEDGER", "is not a .json file name (no folders)"),
    ("STRICT_CONTENT = 'yes'", "STRICT_CONTENT", "'yes' is not True or False; use True"),
    ("OG_LOCALE = 'English'", "OG_LOCALE", "'English' is not a locale such as 'en_GB'"),
    ('INTRASITE_LINK_REGEX = "[{|](?P<what>.*?)[|}]"', "INTRASITE_LINK_REGEX", "set INTRASITE"),
    ('PUBLISH_TARGET = "ftp"', "PUBLISH_TARGET", "'ftp' is not one of 'folder', 'rsync'"),
    ("SEARCH_CACHE_PATH = 7", "SEARCH_CACHE_PATH", "7 is not text; give a folder path in quotes"),
]


@pytest.mark.parametrize(("line", "name", "wrong"), BAD, ids=[b[1] for b in BAD])
def test_a_bad_value_refuses_the_build_in_one_located_line(
    tmp_path: Path, line: str, name: str, wrong: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good site\n", encoding="utf-8")
    before = tree(tmp_path)
    # Without the atomic swap too: the refusal comes before anything could be written.
    site_settings(tmp_path, f"ATOMIC_OUTPUT = False\nDELETE_OUTPUT_DIRECTORY = True\n{line}")
    done = pelican("content", "-s", "site.py", "-o", "output", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"site.py: {name}: "), lines[0]
    assert wrong in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    after = tree(tmp_path)
    assert {k: v for k, v in after.items() if k != "site.py"} == {
        k: v for k, v in before.items() if k != "site.py"
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output", "site.py"]


def test_a_bad_value_given_with_e_is_located_there(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    done = pelican(
        str(content), "-s", str(ROOT / "publishconf.py"), "-o", str(tmp_path / "out"),
        "-e", "SEARCH_PAGES_PER_INDEX=0", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "-e: SEARCH_PAGES_PER_INDEX: 0 is not a whole number of 1 or more; "
        "set a number of pages above 0"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_print_settings_refuses_a_bad_value_too(tmp_path: Path) -> None:
    site_settings(tmp_path, "READING_WORDS_PER_MINUTE = 0")
    done = pelican(str(ROOT / "content"), "-s", "site.py", "--print-settings", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("site.py: READING_WORDS_PER_MINUTE: 0 is not")


def test_invoke_check_names_its_settings_file(tmp_path: Path) -> None:
    settings = site_settings(tmp_path, "SHARE_X_LIMIT = 1000")
    code = (
        "import sys; from pathlib import Path; from culture_hub.content_model.check import main;"
        f"sys.exit(main(Path({str(settings)!r}), Path({str(FIXTURES / 'basic')!r}), [], 'text'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "site.py: SHARE_X_LIMIT: 1000 is not a whole number from 50 to 280; "
        "set a number from 50 to 280"
    )


def test_settings_change_what_is_built(tmp_path: Path) -> None:
    """Declared defaults and settings reach the pages (reading speed, og:locale, handle)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    story = content / "stories" / "first.md"
    story.write_text(story.read_text() + "\n\n" + "Counting takes patience. " * 100 + "\n")
    site_settings(
        tmp_path,
        "READING_WORDS_PER_MINUTE = 50\nOG_LOCALE = 'fr_FR'\nSEARCH_INDEX = False\n"
        "SITE_X_HANDLE = '@hub'",
    )
    done = pelican("content", "-s", "site.py", "-o", "output", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "output" / "stories" / "counting-the-first-thing" / "index.html").read_text()
    assert '<meta property="og:locale" content="fr_FR">' in page
    assert '<meta name="twitter:site" content="@hub">' in page  # written with or without @
    default = pelican(
        "content", "-s", str(ROOT / "publishconf.py"), "-o", "default", "-e",
        "SEARCH_INDEX=false", cwd=tmp_path,
    )  # fmt: skip
    assert default.returncode == 0, default.stdout + default.stderr
    plain = tmp_path / "default" / "stories" / "counting-the-first-thing" / "index.html"
    assert '<meta property="og:locale" content="en_GB">' in plain.read_text()
    minutes = [_minutes(p) for p in (page, plain.read_text())]
    assert minutes == [7, 2], minutes  # 300-odd words at 50 and at 220 a minute
    assert not (tmp_path / "output" / "pagefind").exists()


def _minutes(html: str) -> int:
    start = html.index('class="reading-time">') + len('class="reading-time">')
    return int(html[start:].split(" ", 1)[0])


def test_printed_values_read_back_as_python() -> None:
    assert printed("\nA_B: 1\n\nC:\n('x',\n 'y')\n") == {"A_B": 1, "C": ("x", "y")}
    assert python(("x",)) == '("x",)'


def test_print_settings_after_a_build_prints_them(tmp_path: Path) -> None:
    """A finished build (the README's first command) must not answer ``--print-settings``
    with "Nothing changed": the up-to-date check stops a build, not a look at settings."""
    site = [str(FIXTURES / "quotes"), "-s", "publishconf.py", "-o", str(tmp_path / "out")]
    cache = ["-e", f'CACHE_PATH="{tmp_path / "cache"}"']
    built = pelican(*site, *cache)
    assert built.returncode == 0, built.stderr
    again = pelican(*site, *cache)  # the check is on: a second build is skipped
    assert "Nothing changed" in again.stderr
    done = pelican(*site, *cache, "--print-settings", "SEARCH_PAGES_PER_INDEX")
    assert done.returncode == 0, done.stderr
    assert "Nothing changed" not in done.stderr
    assert printed(done.stdout) == {"SEARCH_PAGES_PER_INDEX": 600}
