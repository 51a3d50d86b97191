"""Local / development settings. ``publishconf.py`` imports these for production."""

import sys
from pathlib import Path

try:
    import culture_hub  # noqa: F401 - installed with the project: `pip install -e .`
except ImportError as error:  # Pelican would log it and build without our checks
    sys.exit(
        f"The culture hub's plugins are not installed ({error}); nothing was built. "
        "Run `.venv/bin/pip install -r requirements.lock` in the project folder."
    )

SITENAME = "Lanternfield Culture Hub"
SITE_TAGLINE = "Stories from the people who make Lanternfield work"
SITEURL = ""
SITE_X_HANDLE = "lanternfield"
# The link-preview image for pages without their own (1200 by 630 pixels).
SITE_IMAGE = "theme/images/og-default.png"
SITE_IMAGE_ALT = "A warm lantern glowing over a field of small lights"
AUTHOR = "Lanternfield"

PATH = "content"
# A plain `pelican content` previews into dev-output/: output/ is the public
# site's folder, and a build that shows staff stories or drafts refuses it.
OUTPUT_PATH = "dev-output"
PUBLIC_OUTPUT_PATH = str(Path(__file__).resolve().parent / "output")
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

THEME = "theme"
# Every capability, registered in the order the build depends on, by one entry
# (the culture_hub package, installed by the README's commands). A part that
# fails to load stops the build before it writes anything.
PLUGINS = ["culture_hub"]

# The folder decides the kind: stories and leadership pieces are articles,
# departments/ and people/ are registries read by the content_model plugin.
ARTICLE_PATHS = ["stories", "leadership"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Stories"
# Dates come from the front matter (required, checked). Pelican's default would
# also parse one out of every file name: a name like 2026-02-30-x.md then made it
# drop the story with only "Could not process", and the parse costs a large build.
FILENAME_METADATA = ""

# Pelican rewrites only these links inside content (its default also takes
# {index}, {tag}, |filename| ... and could turn a crafted one into a live
# javascript: link after the sanitizer ran). The content model requires it.
INTRASITE_LINK_REGEX = r"\{(?P<what>filename|static|attach)\}"

# Pretty URLs: every page is a folder with an index.html.
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
# People pages come from the registry (sections plugin), not Pelican's authors.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "search", "404"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"

DEFAULT_PAGINATION = 12
# The home page is a front page, not a paginated list; /stories/ lists them all.
PAGINATED_TEMPLATES = {"tag": None, "category": None, "department": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

MARKDOWN = {
    "extensions": [
        "markdown.extensions.extra",
        "markdown.extensions.toc",
        "markdown.extensions.sane_lists",
        # [inlinetweet] shortcodes -> highlighted quotes (share_tweet plugin)
        "culture_hub.share_tweet.markdown_ext:InlineTweetExtension",
    ],
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
    },
    "output_format": "html5",
}

# Templates escape every value; trusted HTML is marked |safe where printed.
# Each build (and each full rebuild of the live preview) makes a new Jinja
# environment, so templates need no re-checking on disk at every page render
# (auto_reload's stat calls were a tenth of rendering a story page).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# The feeds plugin writes every feed (publish build); Pelican's own feeds stay off.
# Items per feed, newest first: enough to cover a scheduler's polling gap.
FEED_MAX_ITEMS = 50
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

RELATIVE_URLS = True
# The local preview shows everything, clearly marked; publishconf.py sets "public".
AUDIENCE = "staff"
STRICT_CONTENT = False
PREVIEW_UNPUBLISHED = True

# Reviewers for anything no department lead owns (`invoke codeowners`).
CODEOWNERS_DEFAULT = ["@lanternfield/culture-hub-maintainers"]
