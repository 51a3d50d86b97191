"""Up-to-date check settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from culture_hub.declare import Setting, boolean

SKIP_UNCHANGED_BUILD = Setting(
    "SKIP_UNCHANGED_BUILD", False,
    "when nothing a build reads changed since the last build into the same folder "
    "(content, theme, plugins, settings, installed packages, the day, no scheduled story "
    "due) and that folder is untouched, leave it as it is; `invoke rebuild` forces a build "
    "(`True` in publishconf)",
    boolean, "use True or False",
)  # fmt: skip

SETTINGS = (SKIP_UNCHANGED_BUILD,)
