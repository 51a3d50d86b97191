"""Live preview settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from culture_hub.declare import Setting, boolean

LIVE_PREVIEW = Setting(
    "LIVE_PREVIEW", False,
    "record which pages read which story fields, and keep the render jobs, so an edit "
    "re-renders only those pages (set by `invoke serve`)",
    boolean, "use True or False; `invoke serve` sets it for you",
)  # fmt: skip

SETTINGS = (LIVE_PREVIEW,)
