"""Production settings for the public site: ``pelican content -s publishconf.py``.

A staff build is the same with ``-e AUDIENCE='"staff"'``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

OUTPUT_PATH = "output"
SITEURL = "https://culture.lanternfield.example"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Build aside, swap in only on success: a failed build leaves the last good site.
ATOMIC_OUTPUT = True

# Nothing changed since the last build into this folder: leave it as it is.
SKIP_UNCHANGED_BUILD = True

AUDIENCE = "public"
# Any content error stops the build before anything is written.
STRICT_CONTENT = True
PREVIEW_UNPUBLISHED = False
