"""Pelican glue: index the finished site with Pagefind (the PyPI package ships the binary).

Runs on ``finalized``, before ``atomic_output`` swaps the build in (that plugin
comes last in ``PLUGINS``), so the index describes exactly the pages published:
in the public build, public content only. ``SEARCH_INDEX`` (default ``True``)
turns it off. A failed indexing fails the build.
"""

from __future__ import annotations

import logging
import subprocess
from typing import Any

from pagefind_bin import get_executable
from pelican import signals

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def index_site(pelican: Any) -> None:
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    command = [
        str(get_executable()),
        "--site",
        str(pelican.output_path),
        "--output-subdir",
        "pagefind",
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SearchIndexError(
            f"Pagefind failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    logger.debug("Pagefind: %s", done.stdout.strip())


def register() -> None:
    signals.finalized.connect(index_site)
