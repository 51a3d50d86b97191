"""The settings declarations: one per setting, each default valid, each mistake explained."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from pelican.settings import DEFAULT_CONFIG

import culture_hub
from culture_hub import declare
from culture_hub.content_model.settings import ContentSettings
from culture_hub.declare import FILE_KEY, Setting, SettingsError, declarations
from culture_hub.feeds.settings import FeedSettings
from culture_hub.parallel.settings import ParallelSettings
from culture_hub.sections.settings import SectionSettings
from culture_hub.share_tweet.settings import ShareSettings

DECLARED = declarations()
BY_NAME = {s.name: s for s in DECLARED}


def pelican_defaults(**values: Any) -> dict[str, Any]:
    """Pelican's own defaults plus what a settings file sets (what ``initialized`` sees)."""
    return {**DEFAULT_CONFIG, "PATH": "content", **values}


def test_every_capability_with_settings_is_collected() -> None:
    owners = {capability for _, capability in declare._with_capability(DECLARED)}
    assert owners == {
        "content_model", "share_tweet", "sections", "feeds", "discovery", "images",
        "parallel", "live", "search", "publish", "atomic_output", "uptodate",
    }  # fmt: skip
    assert culture_hub.CAPABILITIES  # the order they are collected in


def test_each_setting_is_declared_once() -> None:
    names = [s.name for s in DECLARED]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("setting", DECLARED, ids=lambda s: s.name)
def test_a_declaration_is_complete(setting: Setting) -> None:
    assert re.fullmatch(r"[A-Z][A-Z0-9_]+", setting.name)
    assert setting.doc and "\n" not in setting.doc
    assert setting.fix, "say how to fix a bad value"
    if setting.pelican:
        assert setting.name in DEFAULT_CONFIG, "Pelican's own settings only"


@pytest.mark.parametrize("setting", [s for s in DECLARED if not s.pelican], ids=lambda s: s.name)
def test_a_default_passes_its_own_check(setting: Setting) -> None:
    assert setting.problem(setting.default_for(pelican_defaults())) is None


@pytest.mark.parametrize(
    ("name", "value", "wrong"),
    [
        ("AUDIENCE", "everyone", "'everyone' is not one of 'public', 'staff'"),
        ("STRICT_CONTENT", "yes", "'yes' is not True or False"),
        ("MAX_SOURCE_BYTES", 0, "0 is not a whole number of 1 or more"),
        ("MAX_IMAGE_PIXELS", True, "True is not a whole number of 1 or more"),
        ("PUBLIC_OUTPUT_PATH", "", "'' is not a folder"),
        ("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]", "is not r'"),
        ("CODEOWNERS_DEFAULT", "@team", "'@team' is not a list"),
        ("CODEOWNERS_DEFAULT", ["team"], "'team' is not a GitHub @user or @org/team"),
        ("SHARE_NETWORKS", ["x", "myspace"], "'myspace' is not one of 'x'"),
        ("SHARE_MASTODON_INSTANCE", "https://m.example/x", "is not a server name"),
        ("SITE_X_HANDLE", "far too long a handle", "is not an X handle"),
        ("SHARE_X_LIMIT", 500, "500 is not a whole number from 50 to 280"),
        ("SHARE_STORY_HASHTAGS", -1, "-1 is not a whole number from 0 to 10"),
        ("CONTRIBUTIONS_MONTHS", 0, "0 is not a whole number from 1 to 60"),
        ("PAGINATED_TEMPLATES", ["department"], "is not a dict"),
        ("FEED_MAX_ITEMS", "50", "'50' is not a whole number of 1 or more"),
        ("FEED_LEDGER", "../ledger.json", "is not a .json file name (no folders)"),
        ("FEED_LEDGER", "/tmp/x.json", "is not a .json file name (no folders)"),
        ("FEED_GUID_PREFIX", "urn: x", "is not text without spaces"),
        ("FEED_LANGUAGE", "en_GB", "is not a language tag"),
        ("WEBSUB_HUB", "hub.example", "is not an http(s) URL"),
        ("OG_LOCALE", "en-GB", "is not a locale such as 'en_GB'"),
        ("SITE_IMAGE", "https://cdn.example/x.png", "is not a path under the site"),
        ("READING_WORDS_PER_MINUTE", 0, "0 is not a whole number from 50 to 1000"),
        ("BUILD_WORKERS", 0, "0 is not a whole number of 1 or more"),
        ("BUILD_GC_THRESHOLD", (1, 2), "is not three whole numbers"),
        ("BUILD_GC_THRESHOLD", 700, "is not a tuple of three whole numbers"),
        ("PARALLEL_MIN_FILES", -1, "-1 is not a whole number of 0 or more"),
        ("SEARCH_PAGES_PER_INDEX", 0, "0 is not a whole number of 1 or more"),
        ("SEARCH_INDEX", 1, "1 is not True or False"),
        ("LIVE_PREVIEW", "false", "'false' is not True or False"),
        ("ATOMIC_OUTPUT", None, "None is not True or False"),
        ("SKIP_UNCHANGED_BUILD", "no", "'no' is not True or False"),
        ("PUBLISH_TARGET", "ftp", "'ftp' is not one of 'folder', 'rsync', 'object-store'"),
        ("PUBLISH_KEEP_RELEASES", 1, "1 is not a whole number of 2 or more"),
        ("PUBLISH_RSYNC_PORT", 0, "0 is not a whole number from 1 to 65535"),
        ("PUBLISH_RSYNC_HOST", "web server", "'web server' is not a host name"),
        ("PUBLISH_RSYNC_PATH", "//", "is not an absolute folder other than /"),
        ("PUBLISH_SSH_OPTIONS", "-i key", "'-i key' is not a list of strings"),
        ("PUBLISH_RCLONE_REMOTE", "-x", "'-x' is not an rclone destination"),
        ("PUBLISH_GITHUB_BRANCH", "a..b", "'a..b' is not a branch name"),
        ("PUBLISH_CSP", "default-src 'self';\nx", "is not one line of policy text"),
        ("PUBLISH_SERVER_NAME", "a;b", "'a;b' is not a host name"),
        ("PUBLISH_NGINX_LISTEN", "80 }", "'80 }' is not an nginx listen value"),
        ("PUBLISH_FOLDER", None, "None is not a folder"),
    ],
)
def test_a_bad_value_says_what_is_wrong_and_how_to_fix_it(
    name: str, value: Any, wrong: str
) -> None:
    problem = BY_NAME[name].problem(value)
    assert problem is not None
    assert wrong in problem
    _what, _, fix = problem.partition("; ")
    assert fix, problem
    assert "\n" not in problem


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FEED_LEDGER", None),
        ("WEBSUB_HUB", None),
        ("WEBSUB_HUB", "https://hub.example/"),
        ("SITE_X_HANDLE", "@lanternfield"),
        ("SHARE_NETWORKS", []),
        ("BUILD_GC_THRESHOLD", [50_000, 20, 100]),  # as -e gives it (JSON)
        ("CODEOWNERS_DEFAULT", ["@lanternfield/culture-hub-maintainers", "@ada"]),
        ("FEED_LANGUAGE", "en-GB"),
        ("INTRASITE_LINK_REGEX", r"\{(?P<what>filename|static|attach)\}"),
        ("PUBLISH_NGINX_LISTEN", 8080),  # as -e gives it
        ("PUBLISH_NGINX_LISTEN", "[::]:80"),
        ("PUBLISH_SERVER_NAME", "_"),
        ("PUBLISH_RSYNC_USER", None),
        ("PUBLISH_FOLDER", Path("/srv/deploy")),
        ("PUBLISH_SSH_OPTIONS", ["-i", "/home/me/.ssh/deploy"]),
    ],
)
def test_good_values_pass(name: str, value: Any) -> None:
    assert BY_NAME[name].problem(value) is None


def test_defaults_are_added_and_what_is_set_is_kept() -> None:
    settings = pelican_defaults(AUDIENCE="staff", DEFAULT_LANG="cy", FEED_MAX_ITEMS=7)
    declare.apply(settings, DECLARED)
    assert settings["AUDIENCE"] == "staff"
    assert settings["STRICT_CONTENT"] is False
    assert settings["FEED_LANGUAGE"] == "cy"  # worked out from DEFAULT_LANG
    assert settings["BUILD_WORKERS"] >= 1
    assert settings["FEED_MAX_ITEMS"] == 7
    assert declare.problems(settings, DECLARED) == [
        (
            "INTRASITE_LINK_REGEX",
            BY_NAME["INTRASITE_LINK_REGEX"].problem(DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]),
        )
    ]


def test_pelicans_own_settings_are_checked_never_set() -> None:
    settings: dict[str, Any] = {}
    declare.apply(settings, DECLARED)
    assert not [s.name for s in DECLARED if s.pelican and s.name in settings]


def test_a_setting_is_read_as_set_else_its_declared_default() -> None:
    workers = BY_NAME["BUILD_WORKERS"]
    assert workers.read({"BUILD_WORKERS": 3}) == 3
    assert workers.read({}) >= 1
    assert BY_NAME["SEARCH_INDEX"].read({}) is True


@pytest.mark.parametrize(
    ("argv", "settings", "where"),
    [
        (["content", "-s", "site.py"], {}, "site.py"),
        (["content", "--settings=conf/site.py"], {}, str(Path("conf/site.py"))),
        (["content", "-ssite.py"], {}, "site.py"),
        (["content", "-s", "site.py", "-e", "BUILD_WORKERS=0"], {}, "-e"),
        ([], {FILE_KEY: str(ROOT / "publishconf.py")}, "publishconf.py"),
    ],
)
def test_a_problem_names_where_the_value_was_set(
    argv: list[str], settings: dict[str, Any], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    line = declare.located("BUILD_WORKERS", "0 is wrong; fix it", settings, argv)
    assert line == f"{where}: BUILD_WORKERS: 0 is wrong; fix it"


@pytest.mark.parametrize(
    ("reader", "bad"),
    [
        (ContentSettings.from_settings, {"AUDIENCE": "all"}),
        (FeedSettings.from_settings, {"FEED_MAX_ITEMS": 0}),
        (ParallelSettings.from_settings, {"BUILD_WORKERS": -2}),
        (SectionSettings.from_settings, {"CONTRIBUTIONS_MONTHS": 99}),
        (ShareSettings.from_settings, {"SHARE_X_LIMIT": 10}),
    ],
)
def test_from_settings_still_reads_and_refuses(reader: Any, bad: dict[str, Any]) -> None:
    good = pelican_defaults(
        INTRASITE_LINK_REGEX=BY_NAME["INTRASITE_LINK_REGEX"].check.__globals__["INTRASITE_LINKS"]
    )
    assert reader(good)  # a capability's settings from Pelican's defaults alone
    with pytest.raises(SettingsError, match=f"^{next(iter(bad))}: "):
        reader({**good, **bad})


def test_from_settings_keeps_its_values() -> None:
    share = ShareSettings.from_settings({"SITE_X_HANDLE": "@hub", "SHARE_STORY_HASHTAGS": 0})
    assert (share.site_handle, share.story_hashtags, share.limit) == ("hub", 0, 280)
    feeds = FeedSettings.from_settings({"PATH": "c", "DEFAULT_LANG": "de", "FEED_LEDGER": None})
    assert (feeds.language, feeds.ledger, feeds.max_items) == ("de", None, 100)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("public", '"public"'), (1_000_000, "1_000_000"), (280, "280"), (("x",), '("x",)'),
     ((50_000, 20, 100), "(50_000, 20, 100)"), ([], "[]"), (None, "None")],
)  # fmt: skip
def test_defaults_are_shown_as_a_settings_file_would_write_them(value: Any, shown: str) -> None:
    assert declare.python(value) == shown


def test_the_table_has_a_row_per_setting_and_escapes_bars() -> None:
    table = declare.table(DECLARED)
    rows = table.strip().splitlines()[2:]
    assert len(rows) == len(DECLARED)
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row


def test_the_readme_settings_table_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert declare.with_table(readme, DECLARED) == readme, (
        "README.md's settings table is out of date: run `.venv/bin/invoke settings-doc` "
        "and commit README.md"
    )


def test_a_readme_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        declare.with_table("# no table here\n", DECLARED)


# What code outside settings.py reads: every upper-case name is declared here,
# is Pelican's own, or is one the culture hub puts in the template context.
READS = re.compile(r"""(?:settings|context)(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
TEMPLATE_NAMES = re.compile(r"\b([A-Z][A-Z0-9_]{3,})\b")
# Only names inside Jinja's {{ ... }} and {% ... %} are read from the settings
# (upper-case words in the page's text, such as "IFTTT", are not).
JINJA = re.compile(r"\{[{%](.*?)[}%]\}", re.S)
# Pelican's own, documented without an entry in its DEFAULT_CONFIG.
PELICAN_DOCUMENTED = {
    "AUTHOR",
    "SITEURL",
    "SITENAME",
    "TIMEZONE",
    "DEBUG",
    "TAG_REGEX_SUBSTITUTIONS",
}
CONTEXT = {"SEARCH_MERGE"}  # put in the template context by the search capability


def _reads() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    sources = [*(ROOT / "culture_hub").rglob("*.py"), ROOT / "tasks.py"]
    for path in sources:
        if path.name == "settings.py":
            continue
        for name in READS.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for path in (ROOT / "theme" / "templates").rglob("*.html"):
        code = " ".join(JINJA.findall(path.read_text(encoding="utf-8")))
        for name in TEMPLATE_NAMES.findall(code):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_setting_read_is_declared_or_pelicans() -> None:
    known = set(BY_NAME) | set(DEFAULT_CONFIG) | PELICAN_DOCUMENTED | CONTEXT
    undeclared = {name: where for name, where in _reads().items() if name not in known}
    assert not undeclared, f"declare these in their capability's settings.py: {undeclared}"


def test_no_code_repeats_a_declared_default() -> None:
    pattern = re.compile(r"""\.get\(\s*["']([A-Z][A-Z0-9_]+)["']\s*,""")
    repeated = []
    for path in [*(ROOT / "culture_hub").rglob("*.py"), ROOT / "tasks.py"]:
        if path.name == "settings.py":
            continue
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            if name in BY_NAME:
                repeated.append(f"{path.relative_to(ROOT)}: {name}")
    assert not repeated, f"read these with their declaration (NAME.read(settings)): {repeated}"


def test_the_templates_repeat_no_default() -> None:
    for path in (ROOT / "theme" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for name in BY_NAME:
            assert not re.search(rf"{name}\s*\|\s*default", text), f"{path}: {name}"


def test_another_capabilitys_setting_is_read_by_name() -> None:
    assert declare.value({}, "LIVE_PREVIEW") is False
    assert declare.value({"FEED_LEDGER": None}, "FEED_LEDGER") is None
    with pytest.raises(KeyError):
        declare.value({}, "NOT_DECLARED")
