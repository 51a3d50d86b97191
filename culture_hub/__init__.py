"""The culture hub's Pelican plugins: one package, one entry in ``PLUGINS``.

``PLUGINS = ["culture_hub"]`` registers every capability, in the one order
the build depends on. Each capability is a subpackage with its own
``register()`` and may also be listed on its own (``"culture_hub.feeds"``):
imports are absolute, so none depends on another having been loaded first.

Where order matters, it is decided here:

- ``sanitize`` and ``content_model`` first: the reader, its rules and the
  inventory of the content folder exist before anything is read;
- at ``finalized``, in this order: ``parallel`` renders the pages and feeds,
  ``search`` indexes them, ``atomic_output`` checks the copies and swaps the
  finished site in, ``uptodate`` records what it was made of.

A capability that cannot be imported or registered must never mean a
missing guarantee (a publish build without ``atomic_output`` would write
straight into ``output/``). Pelican only logs such a failure and builds on,
so the failure is remembered and the build is refused when Pelican starts,
before anything is written: one plain line and exit code 1.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any

from pelican import signals

from culture_hub.declare import apply_settings, value
from culture_hub.run import Run

CAPABILITIES = (
    "sanitize",
    "content_model",
    "share_tweet",
    "sections",
    "feeds",
    "discovery",
    "images",
    "parallel",
    "live",
    "search",
    "publish",
    "atomic_output",
    "uptodate",
)

# Capabilities that failed to load, with the reason: (name, error).
_FAILED: list[tuple[str, str]] = []


class CapabilityMissing(SystemExit):
    """A capability failed to load: the build stops before it writes anything."""

    def __init__(self, failed: list[tuple[str, str]]) -> None:
        super().__init__(1)
        names = ", ".join(name for name, _ in failed)
        reasons = "; ".join(f"{name}: {error}" for name, error in failed)
        self.message = (
            f"The culture hub could not load {names} ({reasons}); nothing was built, "
            "because a missing part could publish what its checks would refuse. "
            "Reinstall with `.venv/bin/pip install -r requirements.lock` and build again."
        )

    def __str__(self) -> str:
        return self.message


def refuse_incomplete(pelican: Any) -> None:
    """Sent when Pelican starts: stop here if any capability failed to load."""
    if _FAILED:
        failure = CapabilityMissing(list(_FAILED))
        print(failure, file=sys.stderr, flush=True)
        raise failure


def end_run(pelican: Any) -> None:
    """Sent last at ``finalized``: the run's state is dropped (see ``culture_hub.run``).

    The live preview keeps it: it re-reads and re-renders pages of the run it
    built, and drops the run itself when it builds again (with new settings).
    """
    if not value(pelican.settings, "LIVE_PREVIEW"):
        Run.end(pelican.settings)


def register() -> None:
    """Register every capability, in order; remember any that fails.

    The garbage collector waits while they load: their imports (Markdown,
    Pillow, lxml, BeautifulSoup...) make hundreds of thousands of objects that
    live as long as the process, and Python's default thresholds walked them
    several times over, a twentieth of a second of every build's start.
    """
    _FAILED.clear()
    signals.initialized.connect(refuse_incomplete)
    signals.initialized.connect(apply_settings)  # defaults and checks, before any other reads
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in CAPABILITIES:
            try:
                importlib.import_module(f"{__name__}.{name}").register()
            except Exception as error:
                _FAILED.append((name, f"{type(error).__name__}: {error}"))
    finally:
        if collecting:
            gc.enable()
    signals.finalized.connect(end_run)
