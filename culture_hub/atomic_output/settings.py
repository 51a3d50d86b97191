"""Atomic output settings: declared here once (``SETTINGS``)."""

from __future__ import annotations

from culture_hub.declare import Setting, boolean

ATOMIC_OUTPUT = Setting(
    "ATOMIC_OUTPUT", False,
    "build into a hidden sibling folder and swap it in only on success (`OUTPUT_RETENTION` "
    "names, e.g. `.git`, are kept; `True` in publishconf)",
    boolean, "use True or False",
)  # fmt: skip

SETTINGS = (ATOMIC_OUTPUT,)
