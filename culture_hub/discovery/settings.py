"""Discovery settings (meta tags, reading time): declared here once (``SETTINGS``).

The theme reads ``SITE_TAGLINE``, ``SITE_IMAGE``, ``SITE_IMAGE_ALT`` and
``OG_LOCALE`` for every page's meta tags; they are declared here, with the
code that makes the rest of those tags.
"""

from __future__ import annotations

from culture_hub.declare import Setting, text, whole

from .core import WORDS_PER_MINUTE

SITE_TAGLINE = Setting(
    "SITE_TAGLINE", "", "the line under the site name on the home page, and every page's "
    "default meta description",
    text(), "use text in quotes",
)  # fmt: skip
SITE_IMAGE = Setting(
    "SITE_IMAGE", "theme/images/og-default.png",
    "link-preview image for pages without their own (1200 by 630 pixels), a path under the "
    "site",
    text(r"[^\s:]+", "a path under the site"), "give the image's path under the site, "
    "such as 'images/preview.png'",
)  # fmt: skip
SITE_IMAGE_ALT = Setting(
    "SITE_IMAGE_ALT", "", "the alt text of `SITE_IMAGE`",
    text(), "describe the image in quotes",
)  # fmt: skip
OG_LOCALE = Setting(
    "OG_LOCALE", "en_GB", "the pages' `og:locale` (language_TERRITORY)",
    text(r"[a-z]{2,3}_[A-Z]{2}", "a locale such as 'en_GB'"), "use a locale such as 'en_US'",
)  # fmt: skip
READING_WORDS_PER_MINUTE = Setting(
    "READING_WORDS_PER_MINUTE", WORDS_PER_MINUTE,
    "reading speed behind each story's \"N min read\"",
    whole(50, 1000), "set a number of words from 50 to 1000",
)  # fmt: skip

SITE_LOGO = Setting(
    "SITE_LOGO", "theme/images/icon-512.png",
    "the publisher's logo in every story's JSON-LD (at least 112 px square), a path under "
    "the site",
    text(r"[^\s:]+", "a path under the site"), "give the logo's path under the site, "
    "such as 'images/logo.png'",
)  # fmt: skip

SETTINGS = (
    SITE_TAGLINE, SITE_IMAGE, SITE_IMAGE_ALT, SITE_LOGO, OG_LOCALE, READING_WORDS_PER_MINUTE
)  # fmt: skip
