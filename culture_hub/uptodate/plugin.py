"""Pelican glue: skip a build when nothing it reads has changed since the last one.

``SKIP_UNCHANGED_BUILD`` (default ``False``; ``True`` in publishconf.py).
When the build starts (not when Pelican is only made, as for
``--print-settings``), the inputs' digest (``fingerprint``) is compared with
the one recorded by the last successful build into the same output folder
(kept under ``CACHE_PATH``); if they match, the output is untouched since,
and no scheduled story has come due, the build stops at once with a message.
Otherwise it runs, and when it has finished (after ``atomic_output``'s swap,
which is why this plugin comes last) it records the digests.

The feed ledger is written by the build itself, so it is compared by its
state after the build. ``invoke rebuild`` (or deleting ``cache/``) forces a
full build.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican import signals

from culture_hub import pelican_internals
from culture_hub.content_model.build import BuildState
from culture_hub.declare import value
from culture_hub.run import Run

from .fingerprint import digest, file_stamp, inputs_digest, output_digest
from .settings import SKIP_UNCHANGED_BUILD

# The plugins' own code: a change to it is a change to the build.
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class Inputs:
    """This run's part (``culture_hub.run``): the inputs' digest, taken when it started."""

    digest: str | None = None


def _enabled(settings: dict[str, Any]) -> bool:
    return SKIP_UNCHANGED_BUILD.read(settings) and not value(settings, "LIVE_PREVIEW")


def _record_path(settings: dict[str, Any]) -> Path:
    output = str(Path(settings["OUTPUT_PATH"]).resolve())
    name = digest(output)[:16]
    return Path(settings.get("CACHE_PATH", "cache")).resolve() / "uptodate" / f"{name}.json"


def _ledger(settings: dict[str, Any]) -> Path | None:
    """The feed ledger, which the build itself writes into the content folder."""
    name = value(settings, "FEED_LEDGER")
    return Path(settings["PATH"]).resolve() / name if name else None


def _ledger_stamp(settings: dict[str, Any]) -> list[int] | None:
    ledger = _ledger(settings)
    return file_stamp(ledger) if ledger else None


def _now(settings: dict[str, Any]) -> datetime:
    return datetime.now(ZoneInfo(settings.get("TIMEZONE", "UTC")))


def _inputs(settings: dict[str, Any]) -> str:
    folders = [Path(settings["PATH"]), Path(settings["THEME"])]
    folders += [PACKAGE, *(Path(p) for p in settings.get("PLUGIN_PATHS", []))]
    day = _now(settings).date().isoformat()
    ledger = _ledger(settings)
    skip = [ledger] if ledger else []
    return inputs_digest(settings, [f.resolve() for f in folders], day, skip)


def up_to_date(record: dict[str, Any], current: dict[str, Any], now: datetime) -> bool:
    """Whether the recorded build still stands: same digests, no scheduled story due."""
    due = record.get("next_publication")
    same = all(record.get(key) == value for key, value in current.items())
    return same and (due is None or now < datetime.fromisoformat(due))


def check(pelican: Any) -> None:
    """As the build starts (``check_when_run``): stop here if the last build still stands."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    inputs = _inputs(settings)
    Run.of(settings).part(Inputs).digest = inputs
    try:
        record = json.loads(_record_path(settings).read_text())
    except (OSError, ValueError):
        return
    current = {
        "inputs": inputs,
        "ledger": _ledger_stamp(settings),
        "output": output_digest(Path(settings["OUTPUT_PATH"]).resolve()),
    }
    if up_to_date(record, current, _now(settings)):
        print(
            f"Nothing changed since the last build of {settings['OUTPUT_PATH']}: "
            "content, theme, plugins, settings and packages are as they were, so the "
            "site is left as it is (invoke rebuild builds anyway).",
            file=sys.stderr,
            flush=True,
        )
        raise SystemExit(0)


def remember(pelican: Any) -> None:
    """Sent when the build has finished (and been swapped in): record what it was made of."""
    settings = pelican.settings
    inputs = Run.of(settings).part(Inputs).digest
    if inputs is None or not _enabled(settings):
        return
    due = BuildState.of(settings).next_publication
    record = {
        "inputs": inputs,
        "ledger": _ledger_stamp(settings),
        "output": output_digest(Path(pelican.output_path).resolve()),
        "next_publication": due.isoformat() if due else None,
    }
    path = _record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))


def check_when_run(pelican: Any) -> None:
    """Sent when Pelican is made: check when it runs, not on ``--print-settings``, which
    makes it and never runs it (and would be told that nothing changed)."""
    pelican_internals.before_run(pelican, check)


def register() -> None:
    signals.initialized.connect(check_when_run)
    signals.finalized.connect(remember)
