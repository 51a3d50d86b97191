"""Plain Pelican 4.12, for the benchmark baseline: default theme, its own feeds,
the YAML metadata plugin only, reading the same Markdown as our build."""

SITENAME = "Plain Pelican baseline"
SITEURL = "https://plain.example"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["stories", "leadership"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
PLUGINS = ["yaml_metadata"]
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
